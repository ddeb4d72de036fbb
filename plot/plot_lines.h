/* What the figures of lines share: one line per group of a result file's
 * rows, each a block of lines.dat (gnuplot's index), their titles in the
 * gnuplot array "titles" and their count in "nblocks". */
#ifndef MESILAB_PLOT_LINES_H
#define MESILAB_PLOT_LINES_H

#include "error.h"
#include "plot_io.h"

/* The lines a figure draws from one of the run's result files: one per
 * distinct (group, subgroup) of its rows (subgroup NULL: group alone),
 * titled "GROUP, SUBGROUP SUBGROUP_LABEL", column x against column y times
 * y_scale; the rows of subgroup skip_subgroup (NULL: none) left out. */
struct grouped_lines {
	const char *file;
	const char *group, *subgroup, *subgroup_label;
	const char *x, *y;
	double y_scale;
	const char *skip_subgroup;
};

/* The first 64 lines of LINES, "xmin" and "xmax" set to x's range.
 * Returns 0, 1 when there is no line to draw, -1 with ERR. */
int plot_grouped_lines(const struct plot_input *in, const struct grouped_lines *lines, struct ml_error *err);

#endif
