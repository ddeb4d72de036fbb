/* The fleet's report: fleet.csv (a row per machine: its group, identity
 * and figures), fleet-flags.csv (each figure that stands out), the
 * latency staircases of each group overlaid, and fleet.md / fleet.html
 * saying it in words. */
#ifndef MESILAB_FLEET_REPORT_H
#define MESILAB_FLEET_REPORT_H

#include "error.h"
#include "fleet.h"
#include "table.h"

/* Into OUT (made if need be); 0 with *FLAGGED the table of
 * fleet-flags.csv (the caller frees it), or -1 with ERR. */
int fleet_report_write(const struct fleet *f, const char *out, struct table **flagged, struct ml_error *err);

#endif
