/* A sweep's figure: misses (by cause, when classified) and bus
 * transactions by type against the swept setting, one line per protocol;
 * one figure per trace and combination of the other settings swept. */
#ifndef MESILAB_PLOT_SWEEP_H
#define MESILAB_PLOT_SWEEP_H

#include "error.h"
#include "plot_data.h"

/* The figures' suffixes ("1", "2", ...), NULL-terminated; NULL when RUN
 * has no sweep.csv. */
char **plot_sweep_groups(const char *run);
int plot_prepare_sweep(const struct plot_input *in, struct ml_error *err);

#endif
