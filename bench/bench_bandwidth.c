/* 'mesilab bench bandwidth': read, write, copy and streaming-store
 * bandwidth by working-set size, on one thread and on all. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "block.h"
#include "interrupt.h"
#include "kernels.h"
#include "memory.h"
#include "progress.h"
#include "stats.h"
#include "threads.h"
#include "units.h"
#include "xalloc.h"

struct bandwidth_config {
	uint64_t min, max; /* MAX 0: 4x the last-level cache, at most 256M (8M quick) */
	bool ops[BW_NOPS];
	const char *threads; /* "1,all" */
	unsigned repeat;
};

enum { OPT_MIN, OPT_MAX, OPT_OPS, OPT_THREADS, OPT_REPEAT, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct bandwidth_config, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_MIN] = { .name = "min", .arg = "SIZE", .type = CLI_SIZE, .def = "4K", FIELD(min),
		      .help = "smallest working set per thread" },
	[OPT_MAX] = { .name = "max", .arg = "SIZE", .type = CLI_SIZE, .min = 1, FIELD(max),
		      .help = "largest working set per thread (default 4x the last-level cache, at most 256M; 8M with --quick)" },
	[OPT_OPS] = { .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(bandwidth_op_names), FIELD(ops),
		      .help = "read, write, copy, stream (non-temporal stores), comma-separated (default all)" },
	[OPT_THREADS] = { .name = "threads", .arg = "LIST", .def = "1,all", FIELD(threads),
			  .help = "thread counts, or all, spread over the topology" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .full = "15", FIELD(repeat), .help = "timed repetitions per point" },
};

#define MAX_THREAD_COUNTS 8

/* One timed repetition: every thread passes over its own buffer. */
struct job {
	unsigned char **buffers;
	size_t bytes;
	uint64_t passes;
	enum bandwidth_op op;
	uint64_t *checksums;
};

static void run_one(void *arg, struct access_native *ctx)
{
	struct job *j = arg;
	struct bandwidth_args a = { j->buffers[ctx->thread], j->bytes, j->passes, j->op };

	j->checksums[ctx->thread] = bandwidth_native(ctx, &a);
}

enum { B_SIZE, B_OP, B_THREADS, B_GBS, B_MIN, B_P5, B_P95, B_MAD, B_UNSTABLE, NBCOLUMNS };

static const struct bench_column columns[NBCOLUMNS] = {
	[B_SIZE] = BENCH_KEY("size_bytes", "working set", TABLE_RIGHT),
	[B_OP] = BENCH_KEY("op", "op", TABLE_LEFT),
	[B_THREADS] = BENCH_KEY("threads", "threads", TABLE_RIGHT),
	[B_GBS] = BENCH_STAT("bandwidth_gbs", "GB/s", FROM_MEDIAN, "%.2f"),
	[B_MIN] = BENCH_STAT("bandwidth_gbs_min", "min", FROM_MIN, "%.2f"),
	[B_P5] = BENCH_STAT("bandwidth_gbs_p5", "p5", FROM_P5, "%.2f"),
	[B_P95] = BENCH_STAT("bandwidth_gbs_p95", "p95", FROM_P95, "%.2f"),
	[B_MAD] = BENCH_STAT("bandwidth_gbs_mad", "MAD", FROM_MAD, "%.2f"),
	[B_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("size_bytes", "working set", TABLE_RIGHT),
	BENCH_KEY("op", "op", TABLE_LEFT),
	BENCH_KEY("threads", "threads", TABLE_RIGHT),
	BENCH_REP,
	BENCH_SAMPLE("bandwidth_gbs", "GB/s", "%.3f"),
};

/* The thread counts of LIST ("1,all"), each once: a number from 1, or all
 * (PUS); those beyond PUS are left out, and said when SAY. Returns how
 * many, or -1 with the bad word in BAD. */
static int thread_counts(const char *list, unsigned pus, bool say, unsigned *counts, char *bad, size_t len)
{
	int n = 0;

	while (*list && n < MAX_THREAD_COUNTS) {
		size_t wlen = strcspn(list, ",");
		char word[16];
		uint64_t v;
		bool seen = false;

		snprintf(word, sizeof(word), "%.*s", (int)wlen, list);
		list += wlen + (list[wlen] == ',');
		if (strcmp(word, "all") == 0) {
			v = pus;
		} else if (units_parse_u64(word, &v) < 0 || v == 0) {
			snprintf(bad, len, "%s", word);
			return -1;
		}
		if (v > pus) {
			if (say)
				progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs: skipped", v, pus);
			continue;
		}
		for (int i = 0; i < n; i++)
			seen |= counts[i] == v;
		if (!seen)
			counts[n++] = (unsigned)v;
	}
	return n;
}

/* The usable PUs, at most 64: the threads of a point. */
static unsigned usable_pus(const struct topo *t)
{
	unsigned pus = topo_usable_pus(t);

	return pus > 64 ? 64 : pus;
}

#define DEFAULT_MAX_CAP (256ull << 20)

/* Powers of two, with one point halfway (x1.5) between them. */
static uint64_t next_size(uint64_t s, bool quick)
{
	bool power = (s & (s - 1)) == 0;

	if (quick || !power)
		return power ? 2 * s : (s / 3 * 4 + 127) / 128 * 128;
	return (s * 3 / 2 + 127) / 128 * 128;
}

/* One point of the sweep: a working set, a thread count, an operation. */
struct point {
	uint64_t size;
	unsigned count; /* index into the thread counts */
	enum bandwidth_op op;
	uint64_t passes;
	double *samples; /* GB/s, one per repetition */
	unsigned done;   /* repetitions measured */
};

/* One repetition of P on NTHREADS threads on PUS, after WARM untimed
 * passes (on their own threads, pinned alike: the caches are the PUs'). */
static int measure_rep(const struct topo *t, unsigned nthreads, const unsigned *pus, unsigned char **buffers,
		       uint64_t *checksums, struct point *p, uint64_t warm, struct ml_error *err)
{
	struct job j = { buffers, p->size, warm, p->op, checksums };
	uint64_t elapsed[64], slowest = 0;

	if (warm && threads_run(t, nthreads, pus, run_one, &j, 0, elapsed, NULL, err) < 0)
		return -1;
	j.passes = p->passes;
	if (threads_run(t, nthreads, pus, run_one, &j, 0, elapsed, NULL, err) < 0)
		return -1;
	for (unsigned i = 0; i < nthreads; i++)
		slowest = elapsed[i] > slowest ? elapsed[i] : slowest;
	p->samples[p->done++] = (double)p->size * (double)p->passes * nthreads / (double)(slowest ? slowest : 1);
	return 0;
}

/* The largest working set per thread without --max: 4x the last-level
 * cache, at most 256 MiB (8 MiB quick). */
static uint64_t default_max(const struct bench_context *ctx)
{
	uint64_t llc = topo_largest_data_cache(ctx->topo);

	return ctx->quick ? 8u << 20 : llc ? (4 * llc < DEFAULT_MAX_CAP ? 4 * llc : DEFAULT_MAX_CAP) : DEFAULT_MAX_CAP;
}

static unsigned most_threads(const unsigned *counts, int n)
{
	unsigned most = 0;

	for (int i = 0; i < n; i++)
		most = counts[i] > most ? counts[i] : most;
	return most;
}

static void check_bandwidth(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	const struct bandwidth_config *c = config;
	unsigned counts[MAX_THREAD_COUNTS], most;
	char bad[16];
	int n = thread_counts(c->threads, usable_pus(ctx->topo), false, counts, bad, sizeof(bad));

	if (n < 0)
		cli_usage_error(args, "invalid thread count '%s' in --threads (a number from 1, or all)", bad);
	most = most_threads(counts, n);
	if ((c->min + 127) / 128 * 128 > (c->max ? c->max : default_max(ctx)) || (c->max && c->max < 128))
		cli_usage_error(args, "--min must be at most --max, and --max at least 128 bytes");
	/* Each thread has a working set of its own. */
	if (c->max)
		bench_memory_must_fit(args, OPT_MAX, c->max, most);
}

/* A measurement under way: the points, the threads' buffers and PUs. */
struct bandwidth_run {
	const struct bench_context *ctx;
	unsigned repeat, counts[MAX_THREAD_COUNTS], *placed[MAX_THREAD_COUNTS];
	int ncounts;
	unsigned char **buffers;
	uint64_t *checksums;
	struct point *points;
	size_t npoints;
};

static int measure_point(struct bandwidth_run *br, struct point *p, unsigned rep, uint64_t warm, struct ml_error *err)
{
	char size[32];
	unsigned threads = br->counts[p->count];

	units_format_size(p->size, size, sizeof(size));
	bench_progress(br->ctx, "%s, %s, %u thread%s, repetition %u of %u", size, bandwidth_op_names[p->op], threads,
		       threads == 1 ? "" : "s", rep, br->repeat);
	return measure_rep(br->ctx->topo, threads, br->placed[p->count], br->buffers, br->checksums, p, warm, err);
}

/* Passes that bring a set taking turns back into its caches. */
#define REWARM_PASSES 4

/* The points are in order of size: those up to the limit take turns (see
 * bench_turns_limit), the others run alone after a repetition that warms
 * their caches and is not kept. */
static int measure_points(struct bandwidth_run *br, struct ml_error *err)
{
	uint64_t turns_limit = bench_turns_limit(br->ctx->topo);
	size_t nturns = 0;
	int rc = 0;

	while (nturns < br->npoints && br->points[nturns].size <= turns_limit)
		nturns++;
	for (unsigned r = 0; r < br->repeat && rc == 0 && !interrupt_requested(); r++)
		for (size_t i = 0; i < nturns && rc == 0 && !interrupt_requested(); i++) {
			struct point *p = &br->points[i];

			rc = measure_point(br, p, r + 1, p->passes < REWARM_PASSES ? p->passes : REWARM_PASSES, err);
		}
	for (size_t i = nturns; i < br->npoints && rc == 0 && !interrupt_requested(); i++)
		for (unsigned r = 0; r < br->repeat && rc == 0 && !interrupt_requested(); r++)
			rc = measure_point(br, &br->points[i], r + 1, r == 0 ? br->points[i].passes : 0, err);
	return rc;
}

/* Every size from MIN to MAX, thread count and operation chosen. */
static void plan_points(struct bandwidth_run *br, const struct bandwidth_config *c, uint64_t min, uint64_t max)
{
	double target_bytes = br->ctx->quick ? 16e6 : 128e6;
	size_t cap = 64;

	br->points = xcalloc(cap, sizeof(*br->points));
	for (uint64_t s = min; s <= max; s = next_size(s, br->ctx->quick))
		for (int k = 0; k < br->ncounts; k++)
			for (int o = 0; o < BW_NOPS; o++) {
				uint64_t passes = (uint64_t)(target_bytes / (double)s);

				if (!c->ops[o])
					continue;
				if (br->npoints == cap)
					br->points = xrealloc(br->points, cap *= 2, sizeof(*br->points));
				br->points[br->npoints++] = (struct point){
					.size = s, .count = (unsigned)k, .op = (enum bandwidth_op)o, .passes = passes ? passes : 1,
					.samples = xcalloc(br->repeat, sizeof(double)) };
			}
}

static void add_points(const struct bandwidth_run *br, struct bench_result *r)
{
	struct bench_series *s = bench_series(r, "bandwidth", NULL, columns, NBCOLUMNS, sample_columns,
					      sizeof(sample_columns) / sizeof(sample_columns[0]));

	for (size_t i = 0; i < br->npoints && br->points[i].done > 0; i++) {
		const struct point *p = &br->points[i];
		char size[32], size_csv[32];

		units_format_size(p->size, size, sizeof(size));
		snprintf(size_csv, sizeof(size_csv), "%" PRIu64, p->size);
		bench_point(s);
		bench_set(s, B_SIZE, size_csv, size);
		bench_set(s, B_OP, bandwidth_op_names[p->op], NULL);
		bench_setf(s, B_THREADS, "%u", br->counts[p->count]);
		bench_samples(s, p->samples, p->done, NULL);
	}
}

static int measure_bandwidth(const struct bench_context *ctx, const void *config, struct bench_result *r,
			     struct ml_error *err)
{
	const struct bandwidth_config *c = config;
	struct bandwidth_run br = { .ctx = ctx, .repeat = c->repeat };
	char bad[16];
	unsigned most;
	uint64_t max;
	bool capped = false;
	int rc;

	br.ncounts = thread_counts(c->threads, usable_pus(ctx->topo), true, br.counts, bad, sizeof(bad));
	br.ncounts = br.ncounts < 0 ? 0 : br.ncounts;
	most = most_threads(br.counts, br.ncounts);
	/* Defaults, never refused: capped so that the threads' sets take at
	 * most half the memory available. */
	max = c->max ? c->max : bench_memory_cap(default_max(ctx), most ? most : 1, &capped) / 128 * 128;
	if (!c->max && capped)
		rundir_setf(ctx->run, "bandwidth.max_note",
			    "the largest working set is %" PRIu64 " bytes a thread: half the memory available", max);
	br.buffers = xcalloc(most ? most : 1, sizeof(*br.buffers));
	br.checksums = xcalloc(most ? most : 1, sizeof(*br.checksums));
	for (unsigned i = 0; i < most; i++)
		br.buffers[i] = xpages(max);
	rundir_set(ctx->run, "bandwidth.vectors", block_isa());
	for (int k = 0; k < br.ncounts; k++) {
		br.placed[k] = xcalloc(br.counts[k], sizeof(unsigned));
		topo_place(ctx->topo, TOPO_PLACE_SCATTER, br.counts[k], br.placed[k]);
	}
	plan_points(&br, c, (c->min + 127) / 128 * 128, max);
	rc = measure_points(&br, err);
	if (rc == 0)
		add_points(&br, r);
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "bandwidth pinning", err->msg);
	bench_heading(r, "bandwidth, %s vectors, bytes moved per second (a copy counts what it reads and what it writes)\n\n",
		      block_isa());
	for (unsigned i = 0; i < most; i++)
		free(br.buffers[i]);
	free(br.buffers);
	free(br.checksums);
	for (int k = 0; k < br.ncounts; k++)
		free(br.placed[k]);
	for (size_t i = 0; i < br.npoints; i++)
		free(br.points[i].samples);
	free(br.points);
	return rc;
}

const struct benchmark bench_bandwidth = {
	.name = "bandwidth",
	.summary = "read, write, copy and streaming-store bandwidth by working-set size",
	.description =
		"Each thread passes over its own buffer with the widest vector loads and\n"
		"stores the CPU has (AVX2 or SSE2, chosen at run time), for working sets from\n"
		"--min to --max, on one thread and on all (spread over the topology).\n",
	.options = options,
	.noptions = NOPTIONS,
	.config_size = sizeof(struct bandwidth_config),
	.check = check_bandwidth,
	.measure = measure_bandwidth,
};
