/* Figure "fleet-latency": its row is in figures.c, its template is
 * scripts/gnuplot/fleet-latency.gp. The latency staircases of a fleet
 * group's machines overlaid, one figure per group of fleet.csv. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot.h"
#include "plot_io.h"
#include "xalloc.h"

static int by_number(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The groups fleet.csv's rows name, each once, in order: at most one per
 * row, whatever numbers a file of somebody else's holds (a group numbered
 * 10000000 is one figure, not ten million). */
char **plot_fleet_groups(const char *run)
{
	char *path = xasprintf("%s/fleet.csv", run);
	struct ml_error err;
	struct csv_file *f = NULL;
	char **list = NULL;
	unsigned long *groups;
	size_t n = 0, kept = 0;

	csv_read_optional(path, run, &f, &err);
	free(path);
	if (!f)
		return NULL;
	groups = xcalloc(csv_rows(f) + 1, sizeof(*groups));
	for (size_t r = 0; r < csv_rows(f); r++) {
		const char *cell = csv_cell_named(f, r, "group");
		char *end;
		unsigned long g = strtoul(cell, &end, 10);

		if (end != cell && !*end && g > 0)
			groups[n++] = g;
	}
	qsort(groups, n, sizeof(*groups), by_number);
	list = xcalloc(n + 1, sizeof(*list));
	for (size_t i = 0; i < n; i++)
		if (i == 0 || groups[i] != groups[i - 1])
			list[kept++] = xasprintf("%lu", groups[i]);
	free(groups);
	csv_free(f);
	return list;
}

/* One block per machine of the group: its main latency sweep, as the
 * fleet report copied it into fleet-latency.csv. */
int plot_prepare_fleet_latency(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "fleet.csv", err), *lat = NULL;
	int cg, cm, lm, lg, ls, ln, rc = -1;
	char **machines = NULL, *title;
	size_t nmachines = 0;
	FILE *fp = NULL;

	if (!f || (cg = plot_need_number(f, "group", err)) < 0 || (cm = plot_need(f, "machine", err)) < 0 ||
	    !(lat = plot_load(in, "fleet-latency.csv", err)) || (lm = plot_need(lat, "machine", err)) < 0 ||
	    (lg = plot_need_number(lat, "group", err)) < 0 || (ls = plot_need_number(lat, "size_bytes", err)) < 0 ||
	    (ln = plot_need_number(lat, "latency_ns", err)) < 0 || !(fp = plot_open_data(in, "fleet.dat", err)))
		goto out;
	machines = xcalloc(csv_rows(f) + 1, sizeof(*machines));
	for (size_t r = 0; r < csv_rows(f); r++) {
		size_t points = 0;

		if (strcmp(csv_cell(f, r, (size_t)cg), in->suffix) != 0)
			continue;
		for (size_t q = 0; q < csv_rows(lat); q++)
			if (!strcmp(csv_cell(lat, q, (size_t)lm), csv_cell(f, r, (size_t)cm)) &&
			    !strcmp(csv_cell(lat, q, (size_t)lg), in->suffix)) {
				fprintf(fp, "%g %g\n", csv_number(lat, q, (size_t)ls), csv_number(lat, q, (size_t)ln));
				points++;
			}
		if (points == 0)
			continue;
		fputs("\n\n", fp);
		machines[nmachines++] = xstrdup(csv_cell(f, r, (size_t)cm));
	}
	if (nmachines == 0) {
		rc = 1; /* no machine of the group has a latency sweep */
		goto out;
	}
	fprintf(in->vars, "nmachines = %zu\n", nmachines);
	plot_set_strings(in->vars, "machines", machines, nmachines);
	for (size_t r = 0; r < csv_rows(f); r++)
		if (strcmp(csv_cell(f, r, (size_t)cg), in->suffix) == 0) {
			title = xasprintf("Group %s: %s", in->suffix, csv_cell_named(f, r, "cpu"));
			plot_set_string(in->vars, "title", title);
			free(title);
			break;
		}
	rc = 0;
out:
	plot_free_list(machines);
	if (fp)
		fclose(fp);
	csv_free(f);
	csv_free(lat);
	return rc;
}
