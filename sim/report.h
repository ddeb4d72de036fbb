/* The simulator's results as tables: the side-by-side summary for people,
 * and sim-summary.csv, sim-cores.csv and sim-transitions.csv. */
#ifndef MESILAB_SIM_REPORT_H
#define MESILAB_SIM_REPORT_H

#include "engine.h"
#include "table.h"

/* One row per protocol, totals over all cores. */
struct table *sim_summary_table(const struct sim *s);
/* The suite's table: one row per workload and protocol, the summary's
 * columns after "workload" (sim-workloads.csv); rows are added per sim. */
struct table *sim_workloads_table(void);
void sim_add_workload_rows(struct table *t, const struct sim *s, const char *workload);
/* One row per protocol and core. */
struct table *sim_cores_table(const struct sim *s);
/* One row per transition of each protocol's table, with how often it fired. */
struct table *sim_transitions_table(const struct sim *s);
/* Metrics down, protocols across, with the change against the first. */
struct table *sim_side_by_side_table(const struct sim *s);

#endif
