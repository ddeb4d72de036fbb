/* The end of a sweep, wherever its configurations ran (a local pool, a
 * Slurm job array): the finished configurations' rows merged into
 * sweep.csv in the plan's order, after checking that every configuration
 * is there exactly once, with a row for each of its protocols. */
#ifndef MESILAB_SWEEP_COLLECT_H
#define MESILAB_SWEEP_COLLECT_H

#include <stddef.h>

#include "csv_read.h"
#include "error.h"

struct sweep_collection {
	size_t configurations, finished;
	size_t nmissing;
	size_t *missing; /* plan rows without rows of their own; the caller frees */
};

/* Checks DIR's rows against PLAN and, when none is missing, writes
 * DIR/sweep.csv. 0 when written; 1 when configurations are missing
 * (COLLECTION lists them, nothing written); -1 with ERR when a rows file
 * is not what its configuration should have written. */
int sweep_collect(const char *dir, const struct csv_file *plan, struct sweep_collection *collection,
		  struct ml_error *err);

#endif
