/* What the figures of lines share: one line per group of a result file's
 * rows, each a block of lines.dat (gnuplot's index), their titles in the
 * gnuplot array "titles" and their count in "nblocks". */
#ifndef MESILAB_PLOT_LINES_H
#define MESILAB_PLOT_LINES_H

#include "error.h"
#include "plot_io.h"

/* One line per distinct (GROUP, SUBGROUP) of the run's result FILE
 * (SUBGROUP NULL: GROUP alone), titled "GROUP, SUBGROUP SUBGROUP_LABEL":
 * column X against column Y times Y_SCALE, "xmin" and "xmax" set to X's
 * range. The first 64 lines are drawn, those of subgroup SKIP_SUBGROUP
 * (NULL: none) left out. Returns 0, 1 when there is no line to draw, -1
 * with ERR. */
int plot_grouped_lines(const struct plot_input *in, const char *file, const char *group, const char *subgroup,
		       const char *subgroup_label, const char *x, const char *y, double y_scale,
		       const char *skip_subgroup, struct ml_error *err);

#endif
