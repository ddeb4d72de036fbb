/* Figure "pyramid": its row is in figures.c, its template is
 * scripts/gnuplot/pyramid.gp. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* The pyramid, top first: one bar per level on a log latency axis. */
int plot_prepare_pyramid(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "pyramid.csv", err);
	FILE *fp = NULL;
	int rc = -1;

	if (!f || plot_need(f, "level", err) < 0 || plot_need_number(f, "latency_ns", err) < 0 ||
	    plot_need_number(f, "capacity_bytes", err) < 0 || plot_need_number(f, "bandwidth_mbs", err) < 0 ||
	    !(fp = plot_open_data(in, "pyramid.dat", err)))
		goto out;
	for (size_t r = 0; r < csv_rows(f); r++) {
		double bytes = csv_number_named(f, r, "capacity_bytes"), mbs = csv_number_named(f, r, "bandwidth_mbs");
		double ns = csv_number_named(f, r, "latency_ns");
		char size[32] = "capacity unknown", bw[48] = "", latency[32], *label;

		if (isfinite(bytes))
			plot_format_bytes(bytes, size, sizeof(size));
		if (isfinite(mbs))
			snprintf(bw, sizeof(bw), ", %.3g GB/s", mbs / 1000);
		snprintf(latency, sizeof(latency), ns < 1e3 ? "%.3g ns" : ns < 1e6 ? "%.3g us" : "%.3g ms",
			 ns < 1e3 ? ns : ns < 1e6 ? ns / 1e3 : ns / 1e6);
		label = xasprintf("%s, %s%s", latency, size, bw);
		fprintf(fp, "%zu ", r);
		plot_put_datum(fp, csv_cell_named(f, r, "level"));
		fprintf(fp, " %g ", ns);
		plot_put_datum(fp, label);
		fputc('\n', fp);
		free(label);
	}
	fprintf(in->vars, "nlevels = %zu\n", csv_rows(f));
	rc = 0;
out:
	if (fp)
		fclose(fp);
	csv_free(f);
	return rc;
}
