#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "fleet_report.h"
#include "plot.h"
#include "report_doc.h"
#include "rundir.h"
#include "table.h"
#include "xalloc.h"

enum { F_MACHINE, F_GROUP, F_HOSTNAME, F_CPU, F_SHAPE, F_KERNEL, F_COMPLETE, F_PATH, F_FIGURES };

static int write_machines(const struct fleet *f, const char *out, struct ml_error *err)
{
	static const char *const fixed[] = { "machine", "group", "hostname", "cpu", "shape", "kernel", "complete", "path" };
	struct table_column columns[F_FIGURES + FLEET_MAX_FIGURES];
	char *path = xasprintf("%s/fleet.csv", out);
	struct table *t;
	int rc;

	for (size_t c = 0; c < F_FIGURES; c++)
		columns[c] = (struct table_column){ fixed[c], fixed[c], TABLE_LEFT };
	for (size_t k = 0; k < f->nfigures; k++)
		columns[F_FIGURES + k] = (struct table_column){ f->figures[k], f->figures[k], TABLE_RIGHT };
	t = table_new(columns, F_FIGURES + f->nfigures);
	for (size_t i = 0; i < f->nmachines; i++) {
		const struct fleet_machine *m = &f->machines[i];

		table_add_row(t);
		table_set(t, F_MACHINE, m->name, NULL);
		table_setf(t, F_GROUP, "%zu", m->group + 1);
		table_set(t, F_HOSTNAME, m->hostname, NULL);
		table_set(t, F_CPU, m->cpu, NULL);
		table_set(t, F_SHAPE, m->shape, NULL);
		table_set(t, F_KERNEL, m->kernel, NULL);
		table_set(t, F_COMPLETE, m->complete ? "yes" : "no", NULL);
		table_set(t, F_PATH, m->path, NULL);
		for (size_t k = 0; k < f->nfigures; k++)
			if (isfinite(m->value[k]))
				table_setf(t, F_FIGURES + k, "%.4g", m->value[k]);
	}
	rc = table_save_csv(t, path, err);
	table_free(t);
	free(path);
	return rc;
}

/* Each machine's main latency sweep (the first row's order and pages),
 * copied into the fleet's directory: the figure then reads nothing
 * outside it, whatever fleet.csv's paths say. */
static int write_staircases(const struct fleet *f, const char *out, struct ml_error *err)
{
	static const struct table_column columns[] = {
		{ "machine", "machine", TABLE_LEFT },         { "group", "group", TABLE_RIGHT },
		{ "size_bytes", "size", TABLE_RIGHT },        { "latency_ns", "latency", TABLE_RIGHT },
	};
	struct table *t = table_new(columns, sizeof(columns) / sizeof(columns[0]));
	char *path = xasprintf("%s/fleet-latency.csv", out);
	int rc;

	for (size_t i = 0; i < f->nmachines; i++) {
		const struct fleet_machine *m = &f->machines[i];
		char *lat_path = xasprintf("%s/latency.csv", m->path);
		struct csv_file *lat = NULL;
		struct ml_error ignored;

		if (csv_read_optional(lat_path, m->path, &lat, &ignored) == 0 && lat) {
			for (size_t q = 0; q < csv_rows(lat); q++) {
				if (strcmp(csv_cell_named(lat, q, "order"), csv_cell_named(lat, 0, "order")) ||
				    strcmp(csv_cell_named(lat, q, "pages"), csv_cell_named(lat, 0, "pages")) ||
				    !isfinite(csv_number_named(lat, q, "size_bytes")) ||
				    !isfinite(csv_number_named(lat, q, "latency_ns")))
					continue;
				table_add_row(t);
				table_set(t, 0, m->name, NULL);
				table_setf(t, 1, "%zu", m->group + 1);
				table_setf(t, 2, "%.0f", csv_number_named(lat, q, "size_bytes"));
				table_setf(t, 3, "%.6g", csv_number_named(lat, q, "latency_ns"));
			}
		}
		csv_free(lat);
		free(lat_path);
	}
	rc = table_save_csv(t, path, err);
	table_free(t);
	free(path);
	return rc;
}

static const struct table_column flag_columns[] = {
	{ "machine", "machine", TABLE_LEFT },       { "group", "group", TABLE_RIGHT },
	{ "figure", "figure", TABLE_LEFT },         { "value", "value", TABLE_RIGHT },
	{ "group_median", "group median", TABLE_RIGHT }, { "deviation_pct", "deviation", TABLE_RIGHT },
	{ "robust_z", "robust z", TABLE_RIGHT },    { "own_noise_pct", "own noise", TABLE_RIGHT },
	{ "beyond_own_noise", "beyond its noise", TABLE_LEFT },
};

static struct table *flags_table(const struct fleet *f, const struct fleet_flag *flags, size_t n)
{
	struct table *t = table_new(flag_columns, sizeof(flag_columns) / sizeof(flag_columns[0]));

	for (size_t i = 0; i < n; i++) {
		const struct fleet_flag *fl = &flags[i];
		const struct fleet_machine *m = &f->machines[fl->machine];

		table_add_row(t);
		table_set(t, 0, m->name, NULL);
		table_setf(t, 1, "%zu", m->group + 1);
		table_set(t, 2, f->figures[fl->figure], NULL);
		table_setf(t, 3, "%.4g", m->value[fl->figure]);
		table_setf(t, 4, "%.4g", fl->median);
		table_setf(t, 5, "%+.1f", 100 * fl->deviation);
		table_setf(t, 6, "%+.1f", fl->z);
		if (fl->noise_known)
			table_setf(t, 7, "%.2f", 100 * m->noise[fl->figure]);
		table_set(t, 8, !fl->noise_known ? "unknown" : fl->beyond_noise ? "yes" : "no", NULL);
	}
	return t;
}

/* A group's machines and their figures, the flagged ones marked. */
#define GROUP_FIXED 3 /* machine, hostname, kernel */
static struct table *group_table(const struct fleet *f, size_t g, const struct fleet_flag *flags, size_t nflags)
{
	struct table_column columns[GROUP_FIXED + FLEET_MAX_FIGURES];
	size_t used[FLEET_MAX_FIGURES], nused = 0;
	struct table *t;

	columns[0] = (struct table_column){ "machine", "machine", TABLE_LEFT };
	columns[1] = (struct table_column){ "hostname", "hostname", TABLE_LEFT };
	columns[2] = (struct table_column){ "kernel", "kernel", TABLE_LEFT };
	for (size_t k = 0; k < f->nfigures; k++) {
		bool any = false;

		for (size_t i = 0; i < f->nmachines && !any; i++)
			any = f->machines[i].group == g && isfinite(f->machines[i].value[k]);
		if (any) {
			columns[GROUP_FIXED + nused] = (struct table_column){ f->figures[k], f->figures[k], TABLE_RIGHT };
			used[nused++] = k;
		}
	}
	t = table_new(columns, GROUP_FIXED + nused);
	for (size_t i = 0; i < f->nmachines; i++) {
		const struct fleet_machine *m = &f->machines[i];

		if (m->group != g)
			continue;
		table_add_row(t);
		table_set(t, 0, m->name, NULL);
		table_set(t, 1, m->hostname, NULL);
		table_set(t, 2, m->kernel, NULL);
		for (size_t c = 0; c < nused; c++) {
			const struct fleet_flag *fl = NULL;

			for (size_t q = 0; q < nflags && !fl; q++)
				if (flags[q].machine == i && flags[q].figure == used[c])
					fl = &flags[q];
			if (!isfinite(m->value[used[c]]))
				continue;
			if (fl)
				table_setf(t, GROUP_FIXED + c, "%.4g (%+.0f%%, flagged)", m->value[used[c]], 100 * fl->deviation);
			else
				table_setf(t, GROUP_FIXED + c, "%.4g", m->value[used[c]]);
		}
	}
	return t;
}

static void describe_flag(struct doc *d, const struct fleet *f, const struct fleet_flag *fl)
{
	const struct fleet_machine *m = &f->machines[fl->machine];

	doc_item(d, "%s: %s %.4g is %.0f%% %s its group's median %.4g (robust z %+.1f); %s", m->name,
		 f->figures[fl->figure], m->value[fl->figure], 100 * fabs(fl->deviation),
		 fl->deviation > 0 ? "above" : "below", fl->median, fl->z,
		 !fl->noise_known ? "its run does not say how noisy the figure was"
		 : fl->beyond_noise ? "beyond its own run-to-run noise, a real difference of the machine"
				    : "but within its own run-to-run noise: measure it again before believing it");
}

static struct doc *fleet_doc(const struct fleet *f, const struct fleet_flag *flags, size_t nflags,
			     const struct plot_summary *sum)
{
	struct doc *d = doc_new("mesilab fleet");

	doc_paragraph(d, "%zu machine%s in %zu group%s of the same CPU and topology; %zu figure%s stand%s out from %s group.",
		      f->nmachines, f->nmachines == 1 ? "" : "s", f->ngroups, f->ngroups == 1 ? "" : "s", nflags,
		      nflags == 1 ? "" : "s", nflags == 1 ? "s" : "", nflags == 1 ? "its" : "their");
	doc_paragraph(d, "A figure stands out when its robust z-score (its distance from the group's median in units of "
			 "1.4826 median absolute deviations, at least 1%% of the median) is beyond %.1f, in a group of "
			 "%d machines or more: one odd machine cannot hide itself by moving the median. Whether the "
			 "difference is also beyond three times the machine's own run-to-run noise (the spread of its "
			 "repetitions) is said beside it.",
		      FLEET_Z_LIMIT, FLEET_MIN_GROUP);
	for (size_t g = 0; g < f->ngroups; g++) {
		size_t n = fleet_group_size(f, g), flagged = 0;
		char *figure = xasprintf("figures/fleet-latency-%zu.png", g + 1);

		doc_heading(d, "Group %zu: %s", g + 1, f->groups[g]);
		if (n < FLEET_MIN_GROUP)
			doc_paragraph(d, "%zu machine%s: too few to tell an odd one (at least %d are needed); compared with no other model.",
				      n, n == 1 ? "" : "s", FLEET_MIN_GROUP);
		doc_table(d, group_table(f, g, flags, nflags));
		for (size_t q = 0; q < nflags; q++)
			if (f->machines[flags[q].machine].group == g) {
				describe_flag(d, f, &flags[q]);
				flagged++;
			}
		if (!flagged && n >= FLEET_MIN_GROUP)
			doc_paragraph(d, "No machine stands out.");
		for (size_t i = 0; i < sum->nfiles; i++)
			if (strcmp(sum->files[i], figure) == 0)
				doc_figure(d, figure, "The latency staircases of the group's machines, overlaid.");
		free(figure);
	}
	return d;
}

int fleet_report_write(const struct fleet *f, const char *out, struct table **flagged, struct ml_error *err)
{
	struct fleet_flag *flags = NULL;
	size_t nflags = fleet_flags(f, &flags);
	struct plot_summary sum = { 0 };
	struct doc *d;
	char *path;
	int rc;

	*flagged = NULL;
	if (rundir_make_directories(out, err) < 0 || write_machines(f, out, err) < 0 ||
	    write_staircases(f, out, err) < 0) {
		free(flags);
		return -1;
	}
	*flagged = flags_table(f, flags, nflags);
	path = xasprintf("%s/fleet-flags.csv", out);
	rc = table_save_csv(*flagged, path, err);
	free(path);
	/* Without gnuplot the report goes on without its figures. */
	if (rc == 0 && plot_run(out, PLOT_PNG, &sum, err) < 0)
		rc = -1;
	if (rc == 0) {
		char *html = xasprintf("%s/fleet.html", out);

		d = fleet_doc(f, flags, nflags, &sum);
		path = xasprintf("%s/fleet.md", out);
		rc = doc_write(d, out, path, html, err);
		free(path);
		free(html);
		doc_free(d);
	}
	plot_summary_free(&sum);
	free(flags);
	if (rc < 0) {
		table_free(*flagged);
		*flagged = NULL;
	}
	return rc;
}
