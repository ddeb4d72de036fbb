/* A fleet's figure: the latency staircases of a group's machines
 * overlaid, one figure per group of fleet.csv. */
#ifndef MESILAB_PLOT_FLEET_H
#define MESILAB_PLOT_FLEET_H

#include "error.h"
#include "plot_data.h"

/* "1", "2", ... one per group; NULL when RUN has no fleet.csv. */
char **plot_fleet_groups(const char *run);
int plot_prepare_fleet(const struct plot_input *in, struct ml_error *err);

#endif
