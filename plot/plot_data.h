/* The figures of a run: for each, the result files it needs, the data it
 * hands its gnuplot template (plain columns, one block per line of the
 * figure) and the variables the template reads. */
#ifndef MESILAB_PLOT_DATA_H
#define MESILAB_PLOT_DATA_H

#include <stdio.h>

#include "error.h"

/* Where a figure's data go: DATA is the directory for its .dat files; the
 * gnuplot variable assignments are written to VARS. */
struct plot_input {
	const char *run;  /* the run directory */
	const char *data;
	FILE *vars;
	const char *suffix; /* for a figure drawn once per instance: the instance */
};

struct figure {
	const char *name;     /* the file: NAME.png, NAME.svg, NAME.pdf */
	const char *template; /* scripts/gnuplot/TEMPLATE */
	const char *needs;    /* the result file without which there is no figure */
	const char *caption;  /* for the report */
	/* Writes the data and variables; returns 0, 1 when the run has
	 * nothing to draw (e.g. no pair of cores), -1 with ERR. */
	int (*prepare)(const struct plot_input *in, struct ml_error *err);
	/* NULL: drawn once; else drawn once per name it lists (NAME-SUFFIX,
	 * the suffix in plot_input), such as the workloads of a run. */
	char **(*instances)(const char *run);
};

extern const struct figure figures[];
extern const size_t nfigures;

/* The workloads of the run's sim-workloads.csv, NULL-terminated (NULL when
 * there is no such file); free with plot_free_list. */
char **plot_workloads(const char *run);
void plot_free_list(char **list);

#endif
