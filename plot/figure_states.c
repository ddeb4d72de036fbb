/* Figure "states": its row is in figures.c, its template is
 * scripts/gnuplot/states.gp. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* The row of F for the first pair's STATE and OP, or -1. */
static long states_row(const struct csv_file *f, int ca, int cb, int cs, int co, const char *state,
		       const char *op)
{
	for (size_t r = 0; r < csv_rows(f); r++)
		if (strcmp(csv_cell(f, r, (size_t)ca), csv_cell(f, 0, (size_t)ca)) == 0 &&
		    strcmp(csv_cell(f, r, (size_t)cb), csv_cell(f, 0, (size_t)cb)) == 0 &&
		    strcmp(csv_cell(f, r, (size_t)cs), state) == 0 && strcmp(csv_cell(f, r, (size_t)co), op) == 0)
			return (long)r;
	return -1;
}

/* Operations down, states across (only the states measured), for the
 * first pair measured. */
int plot_prepare_states(const struct plot_input *in, struct ml_error *err)
{
	static const char *const states[] = { "M", "E", "S", "I", "SA" }, *const ops[] = { "load", "store", "cas", "faa", "swap" };
	enum { NSTATES = sizeof(states) / sizeof(states[0]) };
	struct csv_file *f = plot_load(in, "states.csv", err);
	int ca, cb, cs, co, cn, crel, rc = -1;
	bool measured[NSTATES] = { false }, any = false;
	unsigned columns = 1;
	char *pair;
	FILE *fp;

	if (!f || (ca = plot_need_number(f, "cpu_a", err)) < 0 || (cb = plot_need_number(f, "cpu_b", err)) < 0 ||
	    (cs = plot_need(f, "state", err)) < 0 || (co = plot_need(f, "op", err)) < 0 ||
	    (cn = plot_need_number(f, "latency_ns", err)) < 0 || (crel = plot_need(f, "relation", err)) < 0)
		goto out;
	for (size_t s = 0; s < NSTATES; s++) {
		for (size_t o = 0; o < 5 && !measured[s]; o++)
			measured[s] = csv_rows(f) > 0 && states_row(f, ca, cb, cs, co, states[s], ops[o]) >= 0;
		any |= measured[s];
	}
	/* No state mesilab knows with an operation it knows: nothing to draw
	 * (gnuplot would find no point). */
	if (!any) {
		rc = 1;
		goto out;
	}
	if (!(fp = plot_open_data(in, "states.dat", err)))
		goto out;
	fputs("op", fp);
	for (size_t s = 0; s < NSTATES; s++)
		if (measured[s]) {
			fprintf(fp, " %s", states[s]);
			columns++;
		}
	fputc('\n', fp);
	for (size_t o = 0; o < 5; o++) {
		fprintf(fp, "%s", ops[o]);
		for (size_t s = 0; s < NSTATES; s++) {
			long r = measured[s] ? states_row(f, ca, cb, cs, co, states[s], ops[o]) : -1;

			if (measured[s])
				fprintf(fp, r < 0 ? " -" : " %g", r < 0 ? 0 : csv_number(f, (size_t)r, (size_t)cn));
		}
		fputc('\n', fp);
	}
	fclose(fp);
	pair = xasprintf("A = PU %s, B = PU %s (%s)", csv_cell(f, 0, (size_t)ca), csv_cell(f, 0, (size_t)cb),
			 csv_cell(f, 0, (size_t)crel));
	fprintf(in->vars, "ncolumns = %u\n", columns);
	plot_set_string(in->vars, "pair", pair);
	free(pair);
	rc = 0;
out:
	csv_free(f);
	return rc;
}
