/* Figure "falseshare-sim": its row is in figures.c, its template is
 * scripts/gnuplot/falseshare-sim.gp. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* The simulated slowdown (cycles with counters 8 bytes apart over 64)
 * per protocol beside the native one for two threads. */
int plot_prepare_falseshare_sim(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *sim = plot_load(in, "sim-workloads.csv", err), *native = NULL;
	int cw, cp, cc, rc = -1;
	FILE *fp;

	if (!sim || (cw = plot_need(sim, "workload", err)) < 0 || (cp = plot_need(sim, "protocol", err)) < 0 ||
	    (cc = plot_need_number(sim, "cycles", err)) < 0)
		goto out;
	if (!(fp = plot_open_data(in, "falseshare-sim.dat", err)))
		goto out;
	if (plot_load_optional(in, "falseshare.csv", &native, err) < 0) {
		fclose(fp);
		goto out;
	}
	for (size_t r = 0; native && r < csv_rows(native); r++) {
		int v = csv_column(native, "variant"), t = csv_column(native, "threads");
		int d = csv_column(native, "distance_bytes"), s = csv_column(native, "slowdown");

		if (v >= 0 && t >= 0 && d >= 0 && s >= 0 && strcmp(csv_cell(native, r, (size_t)t), "2") == 0 &&
		    strcmp(csv_cell(native, r, (size_t)d), "8") == 0 &&
		    strcmp(csv_cell(native, r, (size_t)v), "readmostly") != 0) {
			char *label = xasprintf("native %s", csv_cell(native, r, (size_t)v));

			plot_put_datum(fp, label);
			fprintf(fp, " %g 1\n", csv_number(native, r, (size_t)s));
			free(label);
		}
	}
	for (size_t r = 0; r < csv_rows(sim); r++) {
		if (strcmp(csv_cell(sim, r, (size_t)cw), "falseshare-8") != 0)
			continue;
		for (size_t k = 0; k < csv_rows(sim); k++)
			if (strcmp(csv_cell(sim, k, (size_t)cw), "falseshare-64") == 0 &&
			    strcmp(csv_cell(sim, k, (size_t)cp), csv_cell(sim, r, (size_t)cp)) == 0) {
				plot_put_datum(fp, csv_cell(sim, r, (size_t)cp));
				fprintf(fp, " %g 2\n", csv_number(sim, r, (size_t)cc) / csv_number(sim, k, (size_t)cc));
			}
	}
	fclose(fp);
	rc = 0;
out:
	csv_free(sim);
	csv_free(native);
	return rc;
}
