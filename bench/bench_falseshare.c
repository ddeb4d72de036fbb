/* 'mesilab bench falseshare': threads working on their own counters, the
 * counters DISTANCE bytes apart, against counters one line apart. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "interrupt.h"
#include "kernels.h"
#include "progress.h"
#include "stats.h"
#include "threads.h"
#include "xalloc.h"

/* What each variant does and, in words, what it really measures. */
enum { V_PLAIN, V_ATOMIC, V_READMOSTLY, NVARIANTS };

static const char *const variant_names[NVARIANTS] = { "plain", "atomic", "readmostly" };

static const struct variant {
	enum counter_op writer, others;
	const char *measures;
} variants[NVARIANTS] = {
	[V_PLAIN] = { COUNTER_INCREMENT, COUNTER_INCREMENT,
		      "plain increments: a load and a store through memory (never a register); a thread's own "
		      "store can forward to its next load, so a lost line shows only when another core takes it" },
	[V_ATOMIC] = { COUNTER_ATOMIC, COUNTER_ATOMIC,
		       "atomic fetch-and-add: each one needs the line exclusive, so every increment pays for the "
		       "line's trip when it is shared" },
	[V_READMOSTLY] = { COUNTER_INCREMENT, COUNTER_READ,
			   "thread 0 increments its counter, the others only read theirs: shared reading is cheap, the "
			   "one writer invalidates the readers' copies" },
};

struct falseshare_config {
	struct cli_list distances, threads; /* THREADS empty: 1 up to the number of cores */
	bool variants[NVARIANTS];
	uint64_t iterations;
	unsigned repeat;
};

#define FIELD(member) CLI_FIELD(struct falseshare_config, member)

static const struct cli_option options[] = {
	{ .name = "distance", .arg = "LIST", .type = CLI_SIZES, .min = 1, .def = "4,8,16,32,64,128", FIELD(distances),
	  .help = "bytes between counters, powers of two from 4" },
	{ .name = "threads", .arg = "LIST", .type = CLI_UINTS, .min = 1, FIELD(threads),
	  .help = "thread counts (default 1 up to the number of cores)" },
	{ .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(variant_names), FIELD(variants),
	  .help = "plain, atomic, readmostly (default all)" },
	{ .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "2000000", .quick = "200000",
	  FIELD(iterations), .help = "operations per thread" },
	{ .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "5", .quick = "3", .full = "11",
	  FIELD(repeat), .help = "timed repetitions" },
};

struct job {
	unsigned char *memory;
	uint64_t distance, iterations;
	const struct variant *v;
};

static void run_one(void *arg, struct access_native *ctx)
{
	const struct job *j = arg;
	unsigned index = ctx->thread;
	struct counter_args a = { j->memory + index * j->distance, j->distance < 8 ? 4 : 8, j->iterations,
				  index == 0 ? j->v->writer : j->v->others, 0 };

	counter_native(ctx, &a);
}

enum { F_VARIANT, F_THREADS, F_DISTANCE, F_NS, F_RATE, F_SLOWDOWN, F_P5, F_P95, F_UNSTABLE, NFCOLUMNS };

static const struct bench_column columns[NFCOLUMNS] = {
	[F_VARIANT] = BENCH_KEY("variant", "variant", TABLE_LEFT),
	[F_THREADS] = BENCH_KEY("threads", "threads", TABLE_RIGHT),
	[F_DISTANCE] = BENCH_KEY("distance_bytes", "distance", TABLE_RIGHT),
	[F_NS] = BENCH_STAT("ns_per_op", "ns/op", FROM_MEDIAN, "%.3f"),
	[F_RATE] = BENCH_KEY("ops_per_s_per_thread", "Mops/s/thread", TABLE_RIGHT),
	[F_SLOWDOWN] = BENCH_KEY("slowdown", "vs padded", TABLE_RIGHT),
	[F_P5] = BENCH_STAT("ns_per_op_p5", "p5", FROM_P5, "%.3f"),
	[F_P95] = BENCH_STAT("ns_per_op_p95", "p95", FROM_P95, "%.3f"),
	[F_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("variant", "variant", TABLE_LEFT),
	BENCH_KEY("threads", "threads", TABLE_RIGHT),
	BENCH_KEY("distance_bytes", "distance", TABLE_RIGHT),
	BENCH_REP,
	BENCH_SAMPLE("ns_per_op", "ns/op", "%.4f"),
};

/* Nanoseconds per operation of each repetition, averaged over the threads. */
static int measure(const struct bench_context *ctx, unsigned threads, const unsigned *pus, struct job *j,
		   unsigned repeat, double *ns, struct ml_error *err)
{
	uint64_t elapsed[64];

	for (unsigned r = 0; r <= repeat; r++) {
		double sum = 0;

		if (threads_run(ctx->topo, threads, pus, run_one, j, 0, elapsed, NULL, err) < 0)
			return -1;
		for (unsigned i = 0; i < threads; i++)
			sum += (double)elapsed[i] / (double)j->iterations;
		if (r > 0) /* the first one warms up */
			ns[r - 1] = sum / threads;
	}
	return 0;
}

static void check_falseshare(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	const struct falseshare_config *c = config;

	(void)ctx;
	for (size_t i = 0; i < c->distances.n; i++) {
		uint64_t d = c->distances.v[i];

		if (d < 4 || d > (1 << 20) || (d & (d - 1)))
			cli_usage_error(args, "invalid distance %" PRIu64 " in --distance (powers of two from 4 to 1M)", d);
	}
}

/* A measurement under way. */
struct falseshare_run {
	const struct bench_context *ctx;
	const struct falseshare_config *c;
	uint64_t line;         /* the padded counters' distance */
	unsigned char *memory; /* MOST threads' counters, a line or a distance apart */
	unsigned most;
	double *ns;
	struct bench_series *series;
};

/* The thread counts to measure: --threads or 1 up to the cores, less
 * those beyond the PUs (said); into COUNTS, returns how many. */
static size_t thread_counts(const struct falseshare_run *fr, unsigned *counts)
{
	unsigned cores = topo_usable_cores(fr->ctx->topo), pus = topo_usable_pus(fr->ctx->topo);
	size_t n = 0;

	if (!fr->c->threads.n)
		return threads_default_counts(cores < 64 ? cores : 64, counts, CLI_LIST_MAX);
	for (size_t i = 0; i < fr->c->threads.n; i++) {
		uint64_t t = fr->c->threads.v[i];

		if (t <= pus && t <= 64) {
			counts[n++] = (unsigned)t;
			continue;
		}
		progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs (at most 64): skipped", t, pus);
		rundir_setf(fr->ctx->run, "falseshare.skipped", "%" PRIu64 " threads: more than the PUs", t);
	}
	return n;
}

/* Variant K on THREADS threads: the padded counters first, then each
 * distance, a point each. */
static int measure_count(struct falseshare_run *fr, size_t k, unsigned threads, struct ml_error *err)
{
	const struct falseshare_config *c = fr->c;
	unsigned pus[64];
	double padded = 0;

	topo_place(fr->ctx->topo, TOPO_PLACE_SCATTER, threads, pus);
	for (size_t d = 0; d <= c->distances.n; d++) {
		struct job j = { fr->memory, d == 0 ? fr->line : c->distances.v[d - 1], c->iterations, &variants[k] };
		struct bench_series *s = fr->series;
		char rate[32], rate_m[32];
		struct stats st;

		bench_progress(fr->ctx, "%s, %u thread%s, %" PRIu64 " bytes apart", variant_names[k], threads,
			       threads == 1 ? "" : "s", j.distance);
		memset(fr->memory, 0, fr->most * j.distance);
		if (measure(fr->ctx, threads, pus, &j, c->repeat, fr->ns, err) < 0)
			return -1;
		if (d == 0) {
			stats_compute(fr->ns, c->repeat, &st);
			padded = st.median;
			continue;
		}
		bench_point(s);
		bench_set(s, F_VARIANT, variant_names[k], NULL);
		bench_setf(s, F_THREADS, "%u", threads);
		bench_setf(s, F_DISTANCE, "%" PRIu64, j.distance);
		bench_samples(s, fr->ns, c->repeat, &st);
		snprintf(rate, sizeof(rate), "%.0f", 1e9 / st.median);
		snprintf(rate_m, sizeof(rate_m), "%.1f", 1e3 / st.median);
		bench_set(s, F_RATE, rate, rate_m);
		bench_setf(s, F_SLOWDOWN, "%.2f", st.median / padded);
	}
	return 0;
}

static int measure_falseshare(const struct bench_context *ctx, const void *config, struct bench_result *r,
			      struct ml_error *err)
{
	const struct falseshare_config *c = config;
	int l1 = topo_data_cache_at_depth(ctx->topo, 1);
	struct falseshare_run fr = { .ctx = ctx, .c = c, .most = 1, .ns = xcalloc(c->repeat, sizeof(double)) };
	unsigned counts[CLI_LIST_MAX];
	size_t ncounts = thread_counts(&fr, counts);
	char *heading;
	int rc = 0;

	fr.line = l1 >= 0 && topo_cache_level(ctx->topo, (size_t)l1)->line ? topo_cache_level(ctx->topo, (size_t)l1)->line
									    : 64;
	for (size_t i = 0; i < ncounts; i++)
		fr.most = counts[i] > fr.most ? counts[i] : fr.most;
	fr.memory = xpages(fr.most * (fr.line > 1u << 20 ? fr.line : 1u << 20));
	fr.series = bench_series(r, "falseshare", NULL, columns, NFCOLUMNS, sample_columns,
				 sizeof(sample_columns) / sizeof(sample_columns[0]));
	heading = xasprintf("false sharing: each thread on its own counter; slowdown against counters %" PRIu64
			    " bytes (a line) apart\n", fr.line);
	for (size_t k = 0; k < NVARIANTS; k++) {
		char *longer = c->variants[k] ? xasprintf("%s  %s: %s\n", heading, variant_names[k], variants[k].measures)
					      : xstrdup(heading);

		free(heading);
		heading = longer;
	}
	bench_heading(r, "%s\n", heading);
	free(heading);
	for (size_t k = 0; k < NVARIANTS && rc == 0; k++) {
		if (!c->variants[k])
			continue;
		rundir_set(ctx->run, variant_names[k], variants[k].measures);
		for (size_t i = 0; i < ncounts && rc == 0 && !interrupt_requested(); i++)
			rc = measure_count(&fr, k, counts[i], err);
	}
	rundir_setf(ctx->run, "falseshare.padded_bytes", "%" PRIu64, fr.line);
	free(fr.ns);
	free(fr.memory);
	return rc;
}

/* Its threads work at once, each on its own counter: a measurement takes
 * about as long with more of them. */
static double scale_falseshare(const struct topo *t, char *what, size_t len)
{
	unsigned counts[CLI_LIST_MAX], cores = topo_usable_cores(t);
	unsigned n = threads_default_counts(cores < 64 ? cores : 64, counts, CLI_LIST_MAX);

	snprintf(what, len, "%u thread counts, 1 to %u", n, n ? counts[n - 1] : 0);
	return (double)n / 2;
}

const struct benchmark bench_falseshare = {
	.name = "falseshare",
	.summary = "threads on their own counters, DISTANCE bytes apart, against padded counters",
	.description =
		"T threads (spread over cores) each work on their own counter; the counters lie\n"
		"DISTANCE bytes apart. Reports nanoseconds per operation, operations per second\n"
		"per thread and the slowdown against counters a cache line apart, for plain\n"
		"increments, atomic increments, and one writer beside readers.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct falseshare_config),
	.check = check_falseshare,
	.measure = measure_falseshare,
	.scale = scale_falseshare,
};
