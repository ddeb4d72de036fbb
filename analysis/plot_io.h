/* What every figure's data preparation does: read a result file of the
 * run, write a data file and gnuplot variables (plot_data.h). */
#ifndef MESILAB_PLOT_IO_H
#define MESILAB_PLOT_IO_H

#include <stdbool.h>
#include <stdio.h>

#include "csv_read.h"
#include "error.h"
#include "plot_data.h"

/* The run's result file NAME; NULL with ERR. */
struct csv_file *plot_load(const struct plot_input *in, const char *name, struct ml_error *err);
/* An optional result file: *F stays NULL when the run has none. */
int plot_load_optional(const struct plot_input *in, const char *name, struct csv_file **f, struct ml_error *err);
/* Column NAME of F; -1 with ERR when missing. */
int plot_need(const struct csv_file *f, const char *name, struct ml_error *err);
/* A data file NAME, its path in the gnuplot variable VAR ("data" for
 * plot_open_data); NULL with ERR. */
FILE *plot_open_named_data(const struct plot_input *in, const char *var, const char *name, struct ml_error *err);
FILE *plot_open_data(const struct plot_input *in, const char *name, struct ml_error *err);
/* The data caches hwloc reported (from the run's meta.json) whose sizes
 * lie in [LO, HI], as lines "SIZE NAME" in the data file of the gnuplot
 * variable "hwloc", their count in "nhwloc" (with no cache, one line
 * outside the range, so the file is never empty); -1 with ERR. */
int plot_hwloc_caches(const struct plot_input *in, double lo, double hi, struct ml_error *err);
/* The gnuplot variable VAR: xtics at every power of four from LOW to
 * HIGH, labelled 1K, 4K, ... 1G (short labels that do not overlap). */
void plot_size_tics(FILE *vars, const char *var, double low, double high);
/* Text safe inside a gnuplot single-quoted string. */
void plot_put_quoted(FILE *fp, const char *text);
/* Whether an earlier row than ROW has ROW's values in columns A and B (B
 * < 0: A alone). */
bool plot_seen_before(const struct csv_file *f, size_t row, int a, int b);

#endif
