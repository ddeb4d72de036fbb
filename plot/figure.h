/* The figures: the table of them (figures.c, one row per figure) and the
 * functions of each figure's own file (figure_NAME.c), which prepares its
 * data on the helpers of plot_io.h and includes no other figure's file.
 *
 * Adding a figure is one file, one row and one template: figure_NAME.c
 * with its prepare function (declared below; listed in Makefile.am), its
 * row in figures.c, and scripts/gnuplot/NAME.gp (listed in Makefile.am),
 * which reads the variables and data files the function writes. */
#ifndef MESILAB_FIGURE_H
#define MESILAB_FIGURE_H

#include <stddef.h>

#include "error.h"

struct plot_input;

struct figure {
	const char *name;     /* the file: NAME.png, NAME.svg, NAME.pdf */
	const char *template; /* scripts/gnuplot/TEMPLATE */
	const char *needs;    /* the result file without which there is no figure */
	const char *caption;  /* for the report */
	/* Writes the data and variables; returns 0, 1 when the run has
	 * nothing to draw (e.g. no pair of cores), -1 with ERR. */
	int (*prepare)(const struct plot_input *in, struct ml_error *err);
	/* NULL: drawn once; else drawn once per name it lists (NAME-SUFFIX,
	 * the suffix in plot_input), such as the workloads of a run;
	 * NULL-terminated, freed with plot_free_list. */
	char **(*instances)(const char *run);
};

/* In the order they are drawn. */
extern const struct figure figures[];
extern const size_t nfigures;

/* Each figure's data (struct figure's prepare), one file each. */
int plot_prepare_bandwidth(const struct plot_input *in, struct ml_error *err);
int plot_prepare_c2c(const struct plot_input *in, struct ml_error *err);
int plot_prepare_contention(const struct plot_input *in, struct ml_error *err);
int plot_prepare_falseshare(const struct plot_input *in, struct ml_error *err);
int plot_prepare_falseshare_sim(const struct plot_input *in, struct ml_error *err);
int plot_prepare_fleet_latency(const struct plot_input *in, struct ml_error *err);
int plot_prepare_latency(const struct plot_input *in, struct ml_error *err);
/* figure_protocols.c: a workload of the suite's sim-workloads.csv (its
 * instances: plot_workloads, plot.h); the trace of a 'mesilab sim' run. */
int plot_prepare_protocols(const struct plot_input *in, struct ml_error *err);
int plot_prepare_sim_protocols(const struct plot_input *in, struct ml_error *err);
int plot_prepare_pyramid(const struct plot_input *in, struct ml_error *err);
int plot_prepare_states(const struct plot_input *in, struct ml_error *err);
int plot_prepare_sweep(const struct plot_input *in, struct ml_error *err);
int plot_prepare_timeshare(const struct plot_input *in, struct ml_error *err);
int plot_prepare_topology(const struct plot_input *in, struct ml_error *err);

/* The instances of the figures drawn once per instance (struct figure's
 * instances): "1", "2", ... one per group of a fleet's fleet.csv, and one
 * per figure of a sweep's sweep.csv (a trace and combination of the
 * settings not along x); NULL when the run has no such file. */
char **plot_fleet_groups(const char *run);
char **plot_sweep_groups(const char *run);

#endif
