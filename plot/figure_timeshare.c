/* Figure "timeshare": its row is in figures.c, its template is
 * scripts/gnuplot/timeshare.gp. The refill a task pays after another took
 * its turn on the PU, against the other's working set, one line per own
 * working set, the cache sizes marked. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* Lines per figure: more own working sets than this are not drawn. */
#define MAX_LINES 10

int plot_prepare_timeshare(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "timeshare-refill.csv", err);
	int own, competitor, per_line, tasks, rc = -1;
	double lo = INFINITY, hi = 0, ymin = INFINITY, ymax = 0, zero_x;
	char *titles[MAX_LINES];
	size_t nlines = 0;
	FILE *fp = NULL;

	if (!f || (own = plot_need_number(f, "own_bytes", err)) < 0 ||
	    (competitor = plot_need_number(f, "competitor_bytes", err)) < 0 ||
	    (per_line = plot_need_number(f, "refill_ns_per_line", err)) < 0 || (tasks = plot_need(f, "tasks", err)) < 0)
		goto out;
	for (size_t r = 0; r < csv_rows(f); r++) {
		double x = csv_number(f, r, (size_t)competitor);

		if (x > 0) {
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
	}
	if (hi == 0) {
		rc = 1;
		goto out;
	}
	/* No competitor at all sits one step left of the smallest one. */
	zero_x = lo / 2;
	if (!(fp = plot_open_data(in, "timeshare.dat", err)))
		goto out;
	for (size_t r = 0; r < csv_rows(f) && nlines < MAX_LINES; r++) {
		char size[16];

		if (plot_seen_before(f, r, own, -1))
			continue;
		if (nlines)
			fputs("\n\n", fp);
		plot_format_bytes(csv_number(f, r, (size_t)own), size, sizeof(size));
		titles[nlines++] = xasprintf("own working set %s", size);
		for (size_t k = r; k < csv_rows(f); k++) {
			double x = csv_number(f, k, (size_t)competitor), y = csv_number(f, k, (size_t)per_line);

			if (strcmp(csv_cell(f, k, (size_t)own), csv_cell(f, r, (size_t)own)) != 0)
				continue;
			fprintf(fp, "%g %g\n", x > 0 ? x : zero_x, y);
			/* On a log axis: a refill of nothing (or less, by noise) is
			 * not drawn. */
			if (y > 0) {
				ymin = y < ymin ? y : ymin;
				ymax = y > ymax ? y : ymax;
			}
		}
	}
	fprintf(in->vars, "nlines = %zu\n", nlines);
	plot_set_strings(in->vars, "titles", titles, nlines);
	fprintf(in->vars, "zero_x = %g\nxmin = %g\nxmax = %g\nymin = %g\nymax = %g\n", zero_x, zero_x / 1.5,
		hi * 1.5, ymax > 0 ? ymin / 1.5 : 0.1, ymax > 0 ? ymax * 2 : 1);
	plot_set_string(in->vars, "tasks", csv_cell(f, 0, (size_t)tasks));
	plot_size_tics(in->vars, "xtics_spec", lo, hi);
	rc = plot_hwloc_caches(in, lo, hi, err);
out:
	for (size_t i = 0; i < nlines; i++)
		free(titles[i]);
	if (fp)
		fclose(fp);
	csv_free(f);
	return rc;
}
