/* Figure "latency": its row is in figures.c, its template is
 * scripts/gnuplot/latency.gp. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* The latency staircase: the main sweep, the detected levels as shaded
 * spans, hwloc's sizes as markers. */
int plot_prepare_latency(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "latency.csv", err), *lv = NULL;
	int size, ns, p5, p95, order, pages, rc = -1;
	double lo = INFINITY, hi = 0, ymin = INFINITY, ymax = 0, prev_end;
	FILE *data = NULL, *levels = NULL;
	char *sweep = NULL;

	if (!f || (size = plot_need_number(f, "size_bytes", err)) < 0 || (ns = plot_need_number(f, "latency_ns", err)) < 0 ||
	    (p5 = plot_need_number(f, "latency_ns_p5", err)) < 0 || (p95 = plot_need_number(f, "latency_ns_p95", err)) < 0 ||
	    (order = plot_need(f, "order", err)) < 0 || (pages = plot_need(f, "pages", err)) < 0)
		goto out;
	if (csv_rows(f) == 0) {
		rc = 1; /* a header and no point: nothing to draw */
		goto out;
	}
	if (!(data = plot_open_data(in, "latency.dat", err)))
		goto out;
	/* The main sweep is the first row's order and page size. */
	for (size_t r = 0; r < csv_rows(f); r++) {
		double x = csv_number(f, r, (size_t)size), y = csv_number(f, r, (size_t)ns);

		if (strcmp(csv_cell(f, r, (size_t)order), csv_cell(f, 0, (size_t)order)) ||
		    strcmp(csv_cell(f, r, (size_t)pages), csv_cell(f, 0, (size_t)pages)))
			continue;
		fprintf(data, "%.0f %g %g %g\n", x, y, csv_number(f, r, (size_t)p5), csv_number(f, r, (size_t)p95));
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		ymin = y < ymin ? y : ymin;
		ymax = y > ymax ? y : ymax;
	}
	sweep = xasprintf("%s order, %s pages", csv_cell(f, 0, (size_t)order), csv_cell(f, 0, (size_t)pages));
	plot_set_string(in->vars, "sweep", sweep);
	fprintf(in->vars, "xmin = %g\nxmax = %g\nymin = %g\nymax = %g\n", lo / 1.2, hi * 1.2, ymin / 1.6,
		ymax * 2.5);
	plot_size_tics(in->vars, "xtics_spec", lo, hi);

	/* Detected levels: from the previous level's end to this one's. */
	if (!(levels = plot_open_named_data(in, "levels", "levels.dat", err)))
		goto out;
	if (plot_load_optional(in, "levels.csv", &lv, err) < 0)
		goto out;
	prev_end = lo;
	fprintf(in->vars, "nlevels = %zu\n", lv ? csv_rows(lv) : 0);
	if (!lv || csv_rows(lv) == 0)
		fprintf(levels, "%g %g \"\" %d %g\n", lo / 100, lo / 50, 0x4477aa, ymax);
	for (size_t r = 0; lv && r < csv_rows(lv); r++) {
		int level = plot_need(lv, "level", err), lat = plot_need_number(lv, "latency_ns", err);
		int ends = plot_need_number(lv, "ends_bytes", err);
		double end;
		char *label;

		if (level < 0 || lat < 0 || ends < 0)
			goto out;
		end = csv_number(lv, r, (size_t)ends);
		if (isnan(end))
			end = hi;
		/* Neighbouring levels in two alternating colours, their labels at
		 * two heights so that narrow ones do not overlap. */
		label = xasprintf("%s%s %.3g ns", strcmp(csv_cell(lv, r, (size_t)level), "memory") ? "L" : "",
				  csv_cell(lv, r, (size_t)level), csv_number(lv, r, (size_t)lat));
		fprintf(levels, "%g %g ", prev_end, end);
		plot_put_datum(levels, label);
		fprintf(levels, " %d %g\n", r % 2 ? 0xccbb44 : 0x4477aa, ymax * 2.5 / (r % 2 ? 2.0 : 1.4));
		free(label);
		prev_end = end;
	}

	if (plot_hwloc_caches(in, lo, hi, err) < 0)
		goto out;
	rc = 0;
out:
	if (data)
		fclose(data);
	if (levels)
		fclose(levels);
	free(sweep);
	csv_free(f);
	csv_free(lv);
	return rc;
}
