/* What every figure's data preparation (figure.h) does: read a result
 * file of the run, write a data file and gnuplot variables. */
#ifndef MESILAB_PLOT_IO_H
#define MESILAB_PLOT_IO_H

#include <stdbool.h>
#include <stdio.h>

#include "csv_read.h"
#include "error.h"

/* Where a figure's data go: DATA is the directory for its .dat files; the
 * gnuplot variable assignments are written to VARS. */
struct plot_input {
	const char *run;  /* the run directory */
	const char *data;
	FILE *vars;
	const char *suffix; /* for a figure drawn once per instance: the instance */
};

/* The run's result file NAME; NULL with ERR. */
struct csv_file *plot_load(const struct plot_input *in, const char *name, struct ml_error *err);
/* An optional result file: *F stays NULL when the run has none. */
int plot_load_optional(const struct plot_input *in, const char *name, struct csv_file **f, struct ml_error *err);
/* Column NAME of F; -1 with ERR when missing. */
int plot_need(const struct csv_file *f, const char *name, struct ml_error *err);
/* The same for a column of numbers: -1 with ERR naming the file and line
 * of a cell that is not one. */
int plot_need_number(const struct csv_file *f, const char *name, struct ml_error *err);
/* A data file NAME in the work directory, its name in the gnuplot
 * variable VAR ("data" for plot_open_data): gnuplot runs in that directory
 * and names it relatively, so no path reaches its program text; NULL with
 * ERR. */
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
/* A size in bytes as units_format_size writes it ("48 KiB"), any number
 * from a file: one no size can be is written as it is ("-1 bytes"). */
void plot_format_bytes(double bytes, char *buf, size_t len);
/* A size in bytes as a short binary label: "512", "4K", "1.5M", "2G". */
void plot_size_label(double bytes, char *buf, size_t len);
/* A label of a data file (a key entry, a tic, a bar's name), escaped and
 * cut to a length the figure has room for. */
void plot_put_datum(FILE *fp, const char *text);
/* The gnuplot variable VAR holding TEXT, whatever it holds (escaped, cut
 * to a title's length); plot_set_strings' items are cut like labels. */
void plot_set_string(FILE *vars, const char *var, const char *text);
/* The gnuplot array VAR of the N strings ITEMS (escaped); with none, one
 * empty string (gnuplot has no empty array). Arrays, not a word list:
 * a name may hold spaces. */
void plot_set_strings(FILE *vars, const char *var, char *const *items, size_t n);
/* Whether an earlier row than ROW has ROW's values in columns A and B (B
 * < 0: A alone). */
bool plot_seen_before(const struct csv_file *f, size_t row, int a, int b);

#endif
