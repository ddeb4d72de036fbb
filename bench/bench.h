/* A native benchmark: one descriptor per file, registered in
 * bench/benchmarks.c, run by 'mesilab bench NAME' and by 'mesilab run'. */
#ifndef MESILAB_BENCH_H
#define MESILAB_BENCH_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "error.h"
#include "rundir.h"
#include "stats.h"
#include "table.h"
#include "timer.h"
#include "topo.h"

/* What a benchmark runs with: the host, its clock, where results go. */
struct bench_context {
	const struct cli_args *args; /* values indexed by the benchmark's options */
	const struct topo *topo;
	const struct clock_calibration *clock;
	struct rundir *run;
	FILE *out; /* where the tables go (NULL: only into the run's files) */
};

struct benchmark {
	const char *name;
	const char *summary;
	const char *description;
	const struct cli_option *options;
	size_t noptions;
	/* Measures, prints the table (or CSV with --csv), saves its files. */
	int (*run)(struct bench_context *ctx, struct ml_error *err);
};

/* Sets COLUMN of the last row to 1 ("UNSTABLE") or 0 ("yes") by stats_unstable(). */
void bench_set_stability(struct table *t, size_t column, const struct stats *st);

/* NULL-terminated. */
extern const struct benchmark *const benchmarks[];
extern const struct benchmark bench_latency, bench_bandwidth, bench_falseshare, bench_c2c,
	bench_contention, bench_states;

#endif
