/* A native benchmark: one file holds its configuration struct, its
 * option rows (each filling a field of the struct), the function that
 * measures into a result and its descriptor, registered in
 * bench/benchmarks.c. 'mesilab bench NAME' fills the struct from the
 * command line; 'mesilab run' from a profile's defaults. */
#ifndef MESILAB_BENCH_H
#define MESILAB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "counters.h"
#include "error.h"
#include "result.h"
#include "rundir.h"
#include "stats.h"
#include "table.h"
#include "timer.h"
#include "topo.h"

/* What a benchmark runs with: the host, its clock, where results go. */
struct bench_context {
	const char *name;            /* the benchmark's */
	const struct topo *topo;
	const struct clock_calibration *clock;
	struct rundir *run;
	FILE *out; /* where the tables go (NULL: only into the run's files) */
	bool csv;  /* the main table as CSV on OUT */
	/* The quick profile (what is not an option shrinks with it: probes,
	 * batches, the points of a sweep) and --seed. */
	bool quick, seed_given;
	uint64_t seed;
};

struct benchmark {
	const char *name;
	const char *summary;
	const char *description;
	/* Its options, each filling a field of its configuration struct
	 * (CONFIG_SIZE bytes). */
	const struct cli_option *options;
	size_t noptions, config_size;
	/* The command line's checks beyond the rows (how options go together,
	 * what this machine allows): a usage error. NULL: none. */
	void (*check)(const struct cli_args *args, const struct bench_context *ctx, void *config);
	/* Measures with CONFIG into RESULT; its tables are printed and saved
	 * by bench_run. */
	int (*measure)(const struct bench_context *ctx, const void *config, struct bench_result *result,
		       struct ml_error *err);
	/* The work of a run with default options on T, as a multiple of its
	 * work on the smallest machine it measures (two cores without SMT),
	 * with what it is in WHAT ("56 ordered pairs"): what the suite says
	 * grows with the machine before it starts. NULL: the same everywhere. */
	double (*scale)(const struct topo *t, char *what, size_t len);
};

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

/* B's configuration in PROFILE, with the command line's VALUES (NULL for
 * none) where given: B's struct, allocated. */
void *bench_configure(const struct benchmark *b, enum cli_profile profile, const char *const *values);
/* Runs B with CONFIG, the events of C counted around it when C is
 * available (the counts become rows of COUNTS, see bench_counters_table),
 * prints its result on CTX->out and saves its tables into CTX->run. */
int bench_run(const struct benchmark *b, struct bench_context *ctx, const void *config, struct counters *c,
	      struct table *counts, struct ml_error *err);
/* The benchmark's progress: "NAME: " and the rest. */
void bench_progress(const struct bench_context *ctx, const char *fmt, ...) ML_PRINTF(2, 3);
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
