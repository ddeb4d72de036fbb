/* Figure "c2c": its row is in figures.c, its template is
 * scripts/gnuplot/c2c.gp. */
#include <config.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"

/* The PUs of the c2c matrix, in order of first appearance. */
static size_t c2c_pus(const struct csv_file *f, int ca, int cb, long *pus, size_t max)
{
	size_t n = 0;

	for (size_t r = 0; r < csv_rows(f); r++) {
		for (int side = 0; side < 2; side++) {
			long pu = atol(csv_cell(f, r, (size_t)(side ? cb : ca)));
			bool known = false;

			for (size_t i = 0; i < n; i++)
				known |= pus[i] == pu;
			if (!known && n < max)
				pus[n++] = pu;
		}
	}
	return n;
}

/* Every cell of the PU x PU grid (NaN where no pair was measured), the
 * store variant, so that gnuplot draws it as an image. */
int plot_prepare_c2c(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "c2c.csv", err);
	int ca, cb, cv, cn, rc = -1;
	long pus[256];
	double lo = INFINITY, hi = -INFINITY;
	size_t n;
	FILE *fp;

	if (!f || (ca = plot_need_number(f, "cpu_a", err)) < 0 || (cb = plot_need_number(f, "cpu_b", err)) < 0 ||
	    (cv = plot_need(f, "variant", err)) < 0 || (cn = plot_need_number(f, "latency_ns", err)) < 0)
		goto out;
	n = c2c_pus(f, ca, cb, pus, 256);
	if (n < 2) {
		rc = 1;
		goto out;
	}
	if (!(fp = plot_open_data(in, "c2c.dat", err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++) {
			double v = NAN;

			for (size_t r = 0; r < csv_rows(f); r++)
				if (atol(csv_cell(f, r, (size_t)ca)) == pus[i] &&
				    atol(csv_cell(f, r, (size_t)cb)) == pus[k] &&
				    strcmp(csv_cell(f, r, (size_t)cv), "store") == 0)
					v = csv_number(f, r, (size_t)cn);
			fprintf(fp, "%zu %zu %g\n", k, i, v);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		fputc('\n', fp);
	}
	fclose(fp);
	/* The colour scale spans the values, and a little more when they are
	 * all the same (gnuplot warns about an empty range). */
	if (!(hi > lo)) {
		lo = isinf(lo) ? 0 : lo - 1;
		hi = isinf(hi) ? 1 : hi + 1;
	}
	fprintf(in->vars, "cbmin = %g\ncbmax = %g\n", lo, hi);
	fprintf(in->vars, "npus = %zu\nlabels_on = %d\npu_tics = '(", n, n <= 16);
	for (size_t i = 0; i < n; i++)
		fprintf(in->vars, "%s\"%ld\" %zu", i ? ", " : "", pus[i], i);
	fputs(")'\n", in->vars);
	rc = 0;
out:
	csv_free(f);
	return rc;
}
