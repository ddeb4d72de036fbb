/* A native benchmark: one descriptor per file, registered in
 * bench/benchmarks.c, run by 'mesilab bench NAME' and by 'mesilab run'. */
#ifndef MESILAB_BENCH_H
#define MESILAB_BENCH_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"
#include "counters.h"
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
	/* The work of a run with default options on T, as a multiple of the
	 * work on a two-core machine without SMT (what the suite's time
	 * estimates are measured on), with what it is in WHAT ("56 ordered
	 * pairs"). NULL: the same everywhere. */
	double (*scale)(const struct topo *t, char *what, size_t len);
};

/* Sets COLUMN of the last row to 1 ("UNSTABLE") or 0 ("yes") by stats_unstable(). */
void bench_set_stability(struct table *t, size_t column, const struct stats *st);

/* Repetitions of points in rounds: the points of a sweep whose working sets
 * lie well inside the core's private caches take turns, one repetition
 * each per round, so that a burst of the host's own work (tens of
 * milliseconds in a VM, the time of several repetitions) costs one
 * repetition of many points, which their medians reject, rather than
 * every repetition of one. A few passes bring such a set back into its
 * cache; a shared last level may need tens (an AMD L3, filled by the L2's
 * victims, learns a set's reuse only slowly), so larger sets run alone.
 * The largest working set, per thread, that takes turns on T: */
uint64_t bench_turns_limit(const struct topo *t);

/* Runs B, with the events of C counted around it when C is available;
 * the counts become rows of COUNTS (see bench_counters_table). */
int bench_run_counted(const struct benchmark *b, struct bench_context *ctx, struct counters *c,
		      struct table *counts, struct ml_error *err);
/* The table of counts: benchmark, event, value. */
struct table *bench_counters_table(void);
/* Records in the run which events were counted, or why none were, and
 * saves counters.csv when there are counts. */
int bench_counters_save(struct rundir *run, const struct counters *c, const struct table *counts,
			struct ml_error *err);
/* The --events option every benchmark command and the suite take. */
#define BENCH_EVENTS_OPTION                                                                          \
	{ .name = "events", .arg = "LIST",                                                                   \
	  .help = "hardware events to count, PAPI names (default: cycles, instructions, L1D and L2 misses, " \
		  "a cache-to-cache event where known)" }

/* NULL-terminated. */
extern const struct benchmark *const benchmarks[];
extern const struct benchmark bench_latency, bench_bandwidth, bench_falseshare, bench_c2c,
	bench_contention, bench_states, bench_storage, bench_timeshare;

#endif
