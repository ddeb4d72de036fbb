#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "plot.h"
#include "plot_data.h"
#include "subprocess.h"
#include "xalloc.h"

static const struct {
	enum plot_format format;
	const char *extension;
	const char *terminal;
	const char *tail; /* what a whole file of this format ends with */
} terminals[] = {
	{ PLOT_PNG, "png", "pngcairo size 1000,620 font 'sans,11' noenhanced", "IEND" },
	{ PLOT_SVG, "svg", "svg size 1000,620 font 'sans,11' noenhanced", "</svg>" },
	{ PLOT_PDF, "pdf", "pdfcairo size 10in,6.2in font 'sans,11' noenhanced", "%%EOF" },
};

const char *plot_template_dir(void)
{
	const char *env = getenv("MESILAB_GNUPLOT_DIR");

	if (env && *env)
		return env;
	if (path_exists(MESILAB_GNUPLOT_INSTALLED "/latency.gp"))
		return MESILAB_GNUPLOT_INSTALLED;
	return MESILAB_GNUPLOT_SOURCE;
}

static void remove_tree(const char *dir, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* The work files of one figure in the temporary directory. */
static const char *const work_files[] = { "vars.gp", "driver.gp", "log", "latency.dat", "levels.dat",
					  "hwloc.dat", "lines.dat", "c2c.dat", "states.dat",
					  "protocols.dat", "falseshare-sim.dat", "topology.dat", "sweep.dat", "fleet.dat", "pyramid.dat", "timeshare.dat", "lstopo.png",
					  "figure.png", "figure.svg", "figure.pdf" };

#define NWORK (sizeof(work_files) / sizeof(work_files[0]))

static void add_file(struct plot_summary *sum, const char *name)
{
	if (sum->nfiles < PLOT_MAX_FILES)
		sum->files[sum->nfiles++] = xasprintf("figures/%s", name);
}

/* One figure in every format: prepare its data, run its template, move
 * the results into FIGURES. Returns 0, 1 (nothing to draw), -1. */
static int draw(const char *run, const char *tmp, const char *figures_dir, const struct figure *fig,
		const char *suffix, unsigned formats, struct plot_summary *sum, struct ml_error *err)
{
	char *vars_path = xasprintf("%s/vars.gp", tmp), *driver_path = xasprintf("%s/driver.gp", tmp);
	char *log_path = xasprintf("%s/log", tmp);
	char *name = suffix ? xasprintf("%s-%s", fig->name, suffix) : xstrdup(fig->name);
	struct plot_input in = { run, tmp, fopen(vars_path, "w"), suffix };
	int rc = -1;

	if (!in.vars) {
		ml_error_set(err, "%s: %s", vars_path, strerror(errno));
		goto out;
	}
	rc = fig->prepare(&in, err);
	fclose(in.vars);
	for (size_t t = 0; rc == 0 && t < sizeof(terminals) / sizeof(terminals[0]); t++) {
		char *out = xasprintf("%s/figure.%s", tmp, terminals[t].extension), *final;
		char *template = xasprintf("%s/%s", plot_template_dir(), fig->template);
		char *argv[] = { "gnuplot", driver_path, NULL };
		FILE *driver;
		char message[256];
		int status;

		if (!(formats & terminals[t].format)) {
			free(out);
			free(template);
			continue;
		}
		driver = fopen(driver_path, "w");
		if (!driver) {
			ml_error_set(err, "%s: %s", driver_path, strerror(errno));
			rc = -1;
		} else {
			fprintf(driver, "templates = '%s'\nload '%s'\nset terminal %s\nset output '%s'\nload '%s'\nset output\n",
				plot_template_dir(), vars_path, terminals[t].terminal, out, template);
			fclose(driver);
			status = subprocess_run_logged(argv, log_path);
			path_first_line(log_path, message, sizeof(message));
			if (status != 0 || !path_exists(out)) {
				ml_error_set(err, "figure %s: gnuplot failed: %s", name,
					     message[0] ? message : "no output");
				rc = -1;
			} else if (!path_tail_holds(out, terminals[t].tail, strlen(terminals[t].tail), 64)) {
				/* gnuplot does not report a write that fell short. */
				ml_error_set(err, "figure %s: gnuplot's %s is incomplete (a full disk?)", name,
					     terminals[t].extension);
				rc = -1;
			} else {
				if (message[0]) {
					fprintf(stderr, "mesilab plot: figure %s: gnuplot says: %s\n", name, message);
					sum->warnings++;
				}
				final = xasprintf("%s/%s.%s", figures_dir, name, terminals[t].extension);
				if (rename(out, final) < 0) {
					ml_error_set(err, "%s: %s", final, strerror(errno));
					rc = -1;
				} else {
					char *file = xasprintf("%s.%s", name, terminals[t].extension);

					add_file(sum, file);
					free(file);
				}
				free(final);
			}
		}
		free(out);
		free(template);
	}
out:
	free(vars_path);
	free(driver_path);
	free(log_path);
	free(name);
	return rc;
}

/* lstopo's own picture of the machine from the run's hwloc export, beside
 * mesilab's topology figure; lstopo writes PNG only when built with cairo. */
static void draw_topology(const char *run, const char *tmp, const char *figures_dir,
			  struct plot_summary *sum)
{
	char *xml = xasprintf("%s/topology.xml", run), *png = xasprintf("%s/lstopo.png", tmp);
	char *argv[] = { "lstopo", "-i", xml, "-f", "--of", "png", png, NULL };
	int status;

	if (!path_exists(xml)) {
		snprintf(sum->topology_note, sizeof(sum->topology_note), "the run has no topology.xml");
	} else if ((status = subprocess_run(argv)) != 0 || !path_exists(png)) {
		snprintf(sum->topology_note, sizeof(sum->topology_note), "%s",
			 status < 0 ? "lstopo is not installed"
				    : "this lstopo cannot write PNG (built without cairo); topology.svg is its picture");
	} else {
		char *final = xasprintf("%s/lstopo.png", figures_dir);

		if (rename(png, final) == 0)
			add_file(sum, "lstopo.png");
		free(final);
	}
	free(xml);
	free(png);
}

int plot_run(const char *run, unsigned formats, struct plot_summary *sum, struct ml_error *err)
{
	char *figures_dir = xasprintf("%s/figures", run), *tmp = NULL, *probe;
	char *version[] = { "gnuplot", "--version", NULL };
	int rc = 0;

	memset(sum, 0, sizeof(*sum));
	probe = xasprintf("%s/latency.gp", plot_template_dir());
	if (subprocess_run(version) != 0) {
		ml_error_set(err, "gnuplot is not installed (Debian/Ubuntu: apt-get install gnuplot-nox); the CSVs in %s are there to plot by other means",
			     run);
		free(probe);
		free(figures_dir);
		return 1;
	}
	if (!path_exists(probe)) {
		ml_error_set(err, "no gnuplot templates in %s (set MESILAB_GNUPLOT_DIR)", plot_template_dir());
		rc = -1;
	} else if (mkdir(figures_dir, 0777) < 0 && errno != EEXIST) {
		ml_error_set(err, "%s: %s", figures_dir, strerror(errno));
		rc = -1;
	} else {
		/* Work files beside the figures, so each result is renamed into
		 * place within one file system. */
		tmp = xasprintf("%s/.plot-XXXXXX", figures_dir);
		if (!mkdtemp(tmp)) {
			ml_error_set(err, "%s: %s", tmp, strerror(errno));
			rc = -1;
		}
	}
	free(probe);
	for (size_t f = 0; rc == 0 && f < nfigures; f++) {
		char *needs = xasprintf("%s/%s", run, figures[f].needs);
		char **instances = figures[f].instances ? figures[f].instances(run) : NULL;

		if (!path_exists(needs)) {
			sum->skipped++;
		} else if (figures[f].instances) {
			for (size_t w = 0; rc == 0 && instances && instances[w]; w++)
				rc = draw(run, tmp, figures_dir, &figures[f], instances[w], formats, sum, err) < 0 ? -1 : 0;
		} else {
			int drawn = draw(run, tmp, figures_dir, &figures[f], NULL, formats, sum, err);

			rc = drawn < 0 ? -1 : 0;
			sum->skipped += drawn == 1;
		}
		plot_free_list(instances);
		free(needs);
	}
	if (rc == 0)
		draw_topology(run, tmp, figures_dir, sum);
	if (tmp)
		remove_tree(tmp, work_files, NWORK);
	free(tmp);
	free(figures_dir);
	return rc;
}

void plot_summary_free(struct plot_summary *sum)
{
	for (size_t i = 0; i < sum->nfiles; i++)
		free(sum->files[i]);
	sum->nfiles = 0;
}
