/* A sweep run on this machine: the configurations of its plan not yet
 * finished, on a pool of local workers, and what that did said. */
#ifndef MESILAB_SWEEP_LOCAL_H
#define MESILAB_SWEEP_LOCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"

/* Runs the first N configurations of PLAN (the sweep in DIR) on JOBS
 * workers and says on stderr how many ran and how fast (unless QUIET), or
 * why it stopped. Returns an exit status (error.h): ML_EXIT_OK,
 * ML_EXIT_CHECK_FAILED when configurations failed (each said) or the pool
 * could not run, or the interruption's. */
int sweep_run_local(const char *dir, const struct csv_file *plan, size_t n, unsigned jobs, bool quiet);

#endif
