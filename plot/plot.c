#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "figure.h"
#include "interrupt.h"
#include "path.h"
#include "plot.h"
#include "plot_io.h"
#include "subprocess.h"
#include "xalloc.h"

/* gnuplot runs in the figure's work directory and names every file it
 * reads or writes there relatively: the run's path never enters its
 * program text (SETUP is all of that text that is not the templates'). */
static const struct {
	enum plot_format format;
	const char *extension;
	const char *setup;
	const char *tail; /* what a whole file of this format ends with */
} terminals[] = {
	{ PLOT_PNG, "png", "set terminal pngcairo size 1000,620 font 'sans,11' noenhanced; set output 'figure.png'",
	  "IEND" },
	{ PLOT_SVG, "svg", "set terminal svg size 1000,620 font 'sans,11' noenhanced; set output 'figure.svg'",
	  "</svg>" },
	{ PLOT_PDF, "pdf", "set terminal pdfcairo size 10in,6.2in font 'sans,11' noenhanced; set output 'figure.pdf'",
	  "%%EOF" },
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

/* The figures' work directory and what they wrote there, whatever its
 * names: a figure's data files are its own business (figure.h). */
static void remove_work_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static void add_file(struct plot_summary *sum, const char *name)
{
	if (sum->nfiles < PLOT_MAX_FILES)
		sum->files[sum->nfiles++] = xasprintf("figures/%s", name);
}

/* FIGURE not drawn for WHY_FILE: said once, and not at all when another
 * figure of the same name (a sweep's, a simulation's) was drawn. */
static void skip(struct plot_summary *sum, const struct figure *f, const char *why_file)
{
	for (unsigned i = 0; i < sum->skipped; i++)
		if (strcmp(sum->skipped_figures[i].figure, f->name) == 0)
			return;
	if (sum->skipped < PLOT_MAX_FILES)
		sum->skipped_figures[sum->skipped++] = (struct plot_skipped){ f->name, why_file };
}

static bool drawn_as(const struct plot_summary *sum, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < sum->nfiles; i++) {
		const char *file = sum->files[i] + strlen("figures/");

		if (strncmp(file, name, len) == 0 && (file[len] == '.' || file[len] == '-'))
			return true;
	}
	return false;
}

static void forget_drawn(struct plot_summary *sum)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < sum->skipped; i++)
		if (!drawn_as(sum, sum->skipped_figures[i].figure))
			sum->skipped_figures[kept++] = sum->skipped_figures[i];
	sum->skipped = kept;
}

char *plot_figure_name(const char *figure, const char *suffix)
{
	char *name = suffix ? xasprintf("%s-%.*s", figure, PLOT_SUFFIX_MAX, suffix) : xstrdup(figure);

	/* One file name inside figures/: no directory, no control byte. */
	for (char *p = name; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
	return name;
}

/* Where the templates are, absolute: gnuplot runs elsewhere, and is
 * handed them as file operands, never in its program text (an absolute
 * path cannot be taken for an option). NULL when there is no TEMPLATE. */
static char *template_path(const char *template)
{
	char *path = xasprintf("%s/%s", plot_template_dir(), template), *absolute = realpath(path, NULL);

	free(path);
	return absolute;
}

/* Figure NAME in format T: gnuplot in TMP, the file moved into FIGURES.
 * Returns 0 or -1 with ERR. */
static int render(const char *tmp, const char *figures_dir, const char *name, size_t t, char *common,
		  char *template, struct plot_summary *sum, struct ml_error *err)
{
	char *out = xasprintf("%s/figure.%s", tmp, terminals[t].extension), *log_path = xasprintf("%s/log", tmp);
	char *final = xasprintf("%s/%s.%s", figures_dir, name, terminals[t].extension);
	/* In sequence, in one session: the variables, the terminal, the shared
	 * look, the figure, and the output closed. */
	char *argv[] = { "gnuplot", "vars.gp", "-e", (char *)terminals[t].setup, common, template,
			 "-e", "set output", NULL };
	char message[256];
	int status = subprocess_run_logged_in(argv, tmp, log_path), rc = -1;

	path_first_line(log_path, message, sizeof(message));
	if (status != 0 || !path_exists(out)) {
		ml_error_set(err, "figure %s: gnuplot failed: %s", name, message[0] ? message : "no output");
	} else if (!path_tail_holds(out, terminals[t].tail, strlen(terminals[t].tail), 64)) {
		/* gnuplot does not report a write that fell short. */
		ml_error_set(err, "figure %s: gnuplot's %s is incomplete (a full disk?)", name, terminals[t].extension);
	} else if (rename(out, final) < 0) {
		ml_error_set(err, "%s: %s", final, strerror(errno));
	} else {
		char *file = xasprintf("%s.%s", name, terminals[t].extension);

		if (message[0]) {
			fprintf(stderr, "mesilab plot: figure %s: gnuplot says: %s\n", name, message);
			sum->warnings++;
		}
		add_file(sum, file);
		free(file);
		rc = 0;
	}
	free(out);
	free(log_path);
	free(final);
	return rc;
}

/* One figure in every format: prepare its data, run its template, move
 * the results into FIGURES. Returns 0, 1 (nothing to draw), -1, or
 * PLOT_BAD_INPUT when the run's files could not be read as results. */
static int draw(const char *run, const char *tmp, const char *figures_dir, const struct figure *fig,
		const char *suffix, unsigned formats, struct plot_summary *sum, struct ml_error *err)
{
	char *vars_path = xasprintf("%s/vars.gp", tmp), *name = plot_figure_name(fig->name, suffix);
	char *common = template_path("common.gp"), *template = template_path(fig->template);
	struct plot_input in = { run, tmp, NULL, suffix };
	int rc = -1;

	if (!common || !template) {
		ml_error_set(err, "figure %s: no %s in %s", name, common ? fig->template : "common.gp",
			     plot_template_dir());
		goto out;
	}
	if (!(in.vars = fopen(vars_path, "w"))) {
		ml_error_set(err, "%s: %s", vars_path, strerror(errno));
		goto out;
	}
	rc = fig->prepare(&in, err);
	if (rc < 0)
		rc = PLOT_BAD_INPUT;
	fclose(in.vars);
	for (size_t t = 0; rc == 0 && t < sizeof(terminals) / sizeof(terminals[0]); t++)
		if (formats & terminals[t].format)
			rc = render(tmp, figures_dir, name, t, common, template, sum, err);
out:
	free(vars_path);
	free(name);
	free(common);
	free(template);
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
			skip(sum, &figures[f], figures[f].needs);
		} else if (figures[f].instances) {
			/* A sweep or a fleet can have many: each a gnuplot of its own. */
			for (size_t w = 0; rc == 0 && instances && instances[w]; w++) {
				int drawn = interrupt_check(err)
						    ? -1
						    : draw(run, tmp, figures_dir, &figures[f], instances[w], formats, sum, err);

				rc = drawn < 0 ? drawn : 0;
			}
		} else {
			int drawn = draw(run, tmp, figures_dir, &figures[f], NULL, formats, sum, err);

			rc = drawn < 0 ? drawn : 0;
			if (drawn == 1)
				skip(sum, &figures[f], NULL);
		}
		plot_free_list(instances);
		free(needs);
	}
	forget_drawn(sum);
	if (rc == 0)
		draw_topology(run, tmp, figures_dir, sum);
	if (tmp)
		remove_work_dir(tmp);
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

const char *plot_figure_caption(const char *figure, bool per_instance)
{
	for (size_t i = 0; i < nfigures; i++)
		if (strcmp(figures[i].name, figure) == 0 && !figures[i].instances == !per_instance)
			return figures[i].caption;
	return NULL;
}

void plot_free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}
