/* The timesharing figure: the refill a task pays after another took its
 * turn on the PU, against the other's working set, one line per own
 * working set, the cache sizes marked. */
#ifndef MESILAB_PLOT_TIMESHARE_H
#define MESILAB_PLOT_TIMESHARE_H

#include "error.h"
#include "plot_data.h"

int plot_prepare_timeshare(const struct plot_input *in, struct ml_error *err);

#endif
