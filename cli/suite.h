/* 'mesilab run': the suite's shared state and its stages beyond the
 * benchmarks, each in its own file. */
#ifndef MESILAB_SUITE_H
#define MESILAB_SUITE_H

#include "bench.h"

struct suite {
	const struct cli_args *args;
	enum cli_profile profile; /* the benchmarks' defaults */
	struct rundir *run;
	const struct topo *topo;
	struct clock_calibration clock;
	struct counters counters;
	struct table *counts;
};

/* The coherence kernels' traces replayed under every protocol:
 * sim-workloads.csv. */
int suite_sim_stage(struct suite *s, struct ml_error *err);
/* c2c's ping-pong and the contention benchmark's locks, driven by each
 * protocol's timing on the machine BASE: their rows into TABLE
 * (sim-workloads.csv's). */
struct sim_config;
int suite_sim_driven(struct suite *s, const struct sim_config *base, struct table *table, struct ml_error *err);
/* The figures of the run (mesilab plot). */
int suite_plot_stage(struct suite *s, struct ml_error *err);
/* report.md and report.html (mesilab report), the last stage: the report
 * says whether the run completed or FAILED (its meta.json says "running"
 * until the run has ended). */
int suite_report_stage(struct suite *s, bool failed, struct ml_error *err);

#endif
