/* The end of a sweep, wherever its configurations ran (a local pool, a
 * Slurm job array): its rows merged into sweep.csv (sweep_collect.h), its
 * figures drawn, and what there is said on stdout. */
#ifndef MESILAB_SWEEP_FINISH_H
#define MESILAB_SWEEP_FINISH_H

#include <stdbool.h>

#include "csv_read.h"
#include "error.h"

/* Merges the sweep in DIR, whose plan is PLAN, draws its figures (why
 * there are none said on stderr unless QUIET) and prints sweep.csv as CSV
 * when CSV, else its path and the figures' files. Returns 0; 1 when it
 * failed and said why on stderr (configurations missing, each listed; a
 * figure gnuplot could not draw); -1 with ERR when a configuration's rows
 * are not what it should have written. */
int sweep_finish(const char *dir, const struct csv_file *plan, bool quiet, bool csv, struct ml_error *err);

#endif
