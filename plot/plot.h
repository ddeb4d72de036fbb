/* Drawing a run's figures with gnuplot, one template per figure. */
#ifndef MESILAB_PLOT_H
#define MESILAB_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum plot_format { PLOT_PNG = 1, PLOT_SVG = 2, PLOT_PDF = 4 };

#define PLOT_MAX_FILES 64

struct plot_summary {
	size_t nfiles;
	char *files[PLOT_MAX_FILES]; /* written, relative to the run: "figures/latency.png" */
	/* Figures not drawn: each its name and the result file it lacks
	 * (NULL: the file is there but holds no point for it). */
	unsigned skipped;
	struct plot_skipped {
		const char *figure, *why_file; /* WHY_FILE NULL: nothing to draw */
	} skipped_figures[PLOT_MAX_FILES];
	unsigned warnings;           /* figures gnuplot complained about (each said on stderr) */
	char topology_note[160];     /* why there is no lstopo.png, when there is none */
};

/* Where the templates are: $MESILAB_GNUPLOT_DIR, else the installed ones,
 * else the source tree's (for a build that is not installed). */
const char *plot_template_dir(void);

/* Bytes of an instance's name (a workload's) kept in its figure's name. */
#define PLOT_SUFFIX_MAX 128

/* The name of FIGURE's file, without the extension, for the instance
 * SUFFIX (NULL: none): "latency", "protocols-WORKLOAD", with a '/' or a
 * control byte of the instance made '_' (the file stays in figures/) and
 * the instance cut at PLOT_SUFFIX_MAX bytes. Free it. */
char *plot_figure_name(const char *figure, const char *suffix);

/* What plot_run returns when a file of the run is not a result it can
 * read (malformed, a number that is not one, a FIFO): bad input. */
#define PLOT_BAD_INPUT (-2)

/* Draws every figure RUN has the results for into RUN/figures, in the
 * FORMATS asked. Each file appears whole or not at all. Returns 0; 1 with
 * ERR saying so when gnuplot is not installed; PLOT_BAD_INPUT with ERR
 * naming the file (and line) that is not a result; -1 with ERR when the
 * templates are missing or a figure fails. */
int plot_run(const char *run, unsigned formats, struct plot_summary *sum, struct ml_error *err);
void plot_summary_free(struct plot_summary *sum);

/* The caption of FIGURE for the report: of the one drawn once per
 * instance when PER_INSTANCE (two figures may share a name: the suite's
 * protocols per workload, a sim run's for its one trace); NULL when there
 * is no such figure. */
const char *plot_figure_caption(const char *figure, bool per_instance);
/* The workloads of the run's sim-workloads.csv, one protocols figure
 * each, NULL-terminated (NULL when there is no such file); free with
 * plot_free_list. */
char **plot_workloads(const char *run);
void plot_free_list(char **list);

#endif
