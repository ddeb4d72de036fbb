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

enum { OPT_MIN, OPT_MAX, OPT_OPS, OPT_THREADS, OPT_REPEAT, NOPTIONS };

static const char *const op_names[BW_NOPS] = { "read", "write", "copy", "stream" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_MIN] = { .name = "min", .arg = "SIZE", .type = CLI_SIZE, .def = "4K", .help = "smallest working set per thread" },
	[OPT_MAX] = { .name = "max", .arg = "SIZE", .type = CLI_SIZE,
		      .help = "largest working set per thread (default 4x the last-level cache, at most 256M; 8M with --quick)" },
	[OPT_OPS] = { .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(op_names),
		      .help = "read, write, copy, stream (non-temporal stores), comma-separated (default all)" },
	[OPT_THREADS] = { .name = "threads", .arg = "LIST", .def = "1,all",
			  .help = "thread counts, or all, spread over the topology" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .help = "timed repetitions per point" },
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

static const struct table_column columns[NBCOLUMNS] = {
	[B_SIZE] = { "size_bytes", "working set", TABLE_RIGHT },
	[B_OP] = { "op", "op", TABLE_LEFT },
	[B_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[B_GBS] = { "bandwidth_gbs", "GB/s", TABLE_RIGHT },
	[B_MIN] = { "bandwidth_gbs_min", "min", TABLE_RIGHT },
	[B_P5] = { "bandwidth_gbs_p5", "p5", TABLE_RIGHT },
	[B_P95] = { "bandwidth_gbs_p95", "p95", TABLE_RIGHT },
	[B_MAD] = { "bandwidth_gbs_mad", "MAD", TABLE_RIGHT },
	[B_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
};

enum { S_SIZE, S_OP, S_THREADS, S_REP, S_GBS, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_SIZE] = { "size_bytes", "working set", TABLE_RIGHT },
	[S_OP] = { "op", "op", TABLE_LEFT },
	[S_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_GBS] = { "bandwidth_gbs", "GB/s", TABLE_RIGHT },
};

static unsigned parse_threads(const struct cli_args *args, unsigned pus, unsigned *counts)
{
	const char *list = cli_text(args, OPT_THREADS);
	unsigned n = 0;

	while (*list && n < MAX_THREAD_COUNTS) {
		size_t len = strcspn(list, ",");
		char word[16];
		uint64_t v;

		snprintf(word, sizeof(word), "%.*s", (int)len, list);
		if (strcmp(word, "all") == 0)
			v = pus;
		else if (units_parse_u64(word, &v) < 0 || v == 0)
			cli_usage_error(args, "invalid thread count '%s' in --threads (a number from 1, or all)", word);
		if (v > pus) {
			progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs: skipped", v, pus);
		} else {
			bool seen = false;

			for (unsigned i = 0; i < n; i++)
				seen |= counts[i] == v;
			if (!seen)
				counts[n++] = (unsigned)v;
		}
		list += len + (list[len] == ',');
	}
	return n;
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

static void progress_point(const struct point *p, const unsigned *counts, unsigned rep, unsigned repeat)
{
	char size[32];

	units_format_size(p->size, size, sizeof(size));
	progress_update("bandwidth: %s, %s, %u thread%s, repetition %u of %u", size, op_names[p->op],
			counts[p->count], counts[p->count] == 1 ? "" : "s", rep, repeat);
}

/* Passes that bring a set taking turns back into its caches. */
#define REWARM_PASSES 4

static int run_bandwidth(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	uint64_t llc = topo_largest_data_cache(ctx->topo);
	uint64_t max_default = args->quick ? 8u << 20 : llc ? (4 * llc < DEFAULT_MAX_CAP ? 4 * llc : DEFAULT_MAX_CAP)
									   : DEFAULT_MAX_CAP;
	uint64_t min = cli_size(args, OPT_MIN), max = cli_given(args, OPT_MAX) ? cli_size(args, OPT_MAX) : max_default;
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	double target_bytes = args->quick ? 16e6 : 128e6;
	unsigned pus = topo_usable_pus(ctx->topo), counts[MAX_THREAD_COUNTS], ncounts, most = 0;
	bool ops[BW_NOPS];
	struct table *t = table_new(columns, NBCOLUMNS), *samples = table_new(sample_columns, NSCOLUMNS);
	unsigned char **buffers;
	uint64_t *checksums;
	unsigned *placed[MAX_THREAD_COUNTS];
	size_t npoints = 0, nturns = 0, cap = 64;
	uint64_t turns_limit = bench_turns_limit(ctx->topo);
	struct point *points = xcalloc(cap, sizeof(*points));
	int rc = 0;

	cli_choices(args, OPT_OPS, ops);
	ncounts = parse_threads(args, pus > 64 ? 64 : pus, counts);
	min = (min + 127) / 128 * 128;
	if (min > max || max < 128)
		cli_usage_error(args, "--min must be at most --max, and --max at least 128 bytes");
	for (unsigned i = 0; i < ncounts; i++)
		most = counts[i] > most ? counts[i] : most;
	/* Each thread has a working set of its own. */
	if (args->values[OPT_MAX]) {
		bench_memory_must_fit(args, OPT_MAX, max, most);
	} else {
		bool capped;

		max = bench_memory_cap(max, most ? most : 1, &capped) / 128 * 128;
		if (capped)
			rundir_setf(ctx->run, "bandwidth.max_note",
				    "the largest working set is %" PRIu64 " bytes a thread: half the memory available", max);
	}
	buffers = xcalloc(most ? most : 1, sizeof(*buffers));
	checksums = xcalloc(most ? most : 1, sizeof(*checksums));
	for (unsigned i = 0; i < most; i++)
		buffers[i] = xpages(max);
	rundir_set(ctx->run, "bandwidth.vectors", block_isa());

	for (unsigned c = 0; c < ncounts; c++) {
		placed[c] = xcalloc(counts[c], sizeof(**placed));
		topo_place(ctx->topo, TOPO_PLACE_SCATTER, counts[c], placed[c]);
	}
	for (uint64_t s = min; s <= max; s = next_size(s, args->quick))
		for (unsigned c = 0; c < ncounts; c++)
			for (int o = 0; o < BW_NOPS; o++) {
				uint64_t passes = (uint64_t)(target_bytes / (double)s);

				if (!ops[o])
					continue;
				if (npoints == cap)
					points = xrealloc(points, cap *= 2, sizeof(*points));
				points[npoints++] = (struct point){ .size = s, .count = c, .op = (enum bandwidth_op)o,
								    .passes = passes ? passes : 1,
								    .samples = xcalloc(repeat, sizeof(double)) };
			}
	/* The points are in order of size: those up to the limit take turns
	 * (see bench_turns_limit), the others run alone after a repetition
	 * that warms their caches and is not kept. */
	while (nturns < npoints && points[nturns].size <= turns_limit)
		nturns++;
	for (unsigned r = 0; r < repeat && rc == 0 && !interrupt_requested(); r++)
		for (size_t i = 0; i < nturns && rc == 0 && !interrupt_requested(); i++) {
			struct point *p = &points[i];

			progress_point(p, counts, r + 1, repeat);
			rc = measure_rep(ctx->topo, counts[p->count], placed[p->count], buffers, checksums, p,
					 p->passes < REWARM_PASSES ? p->passes : REWARM_PASSES, err);
		}
	for (size_t i = nturns; i < npoints && rc == 0 && !interrupt_requested(); i++)
		for (unsigned r = 0; r < repeat && rc == 0 && !interrupt_requested(); r++) {
			struct point *p = &points[i];

			progress_point(p, counts, r + 1, repeat);
			rc = measure_rep(ctx->topo, counts[p->count], placed[p->count], buffers, checksums, p,
					 r == 0 ? p->passes : 0, err);
		}
	for (size_t i = 0; i < npoints && rc == 0 && points[i].done > 0; i++) {
		const struct point *p = &points[i];
		char size[32], size_csv[32];
		struct stats st;

		units_format_size(p->size, size, sizeof(size));
		snprintf(size_csv, sizeof(size_csv), "%" PRIu64, p->size);
		stats_compute(p->samples, p->done, &st);
		table_add_row(t);
		table_set(t, B_SIZE, size_csv, size);
		table_set(t, B_OP, op_names[p->op], NULL);
		table_setf(t, B_THREADS, "%u", counts[p->count]);
		table_setf(t, B_GBS, "%.2f", st.median);
		table_setf(t, B_MIN, "%.2f", st.min);
		table_setf(t, B_P5, "%.2f", st.p5);
		table_setf(t, B_P95, "%.2f", st.p95);
		table_setf(t, B_MAD, "%.2f", st.mad);
		bench_set_stability(t, B_UNSTABLE, &st);
		for (unsigned k = 0; k < p->done; k++) {
			table_add_row(samples);
			table_set(samples, S_SIZE, size_csv, NULL);
			table_set(samples, S_OP, op_names[p->op], NULL);
			table_setf(samples, S_THREADS, "%u", counts[p->count]);
			table_setf(samples, S_REP, "%u", k);
			table_setf(samples, S_GBS, "%.3f", p->samples[k]);
		}
	}
	progress_done();
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "bandwidth pinning", err->msg);
	if (ctx->out) {
		if (args->csv) {
			table_print_csv(t, ctx->out);
		} else {
			fprintf(ctx->out, "bandwidth, %s vectors, bytes moved per second (a copy counts what it reads and what it writes)\n\n",
				block_isa());
			table_print_human(t, ctx->out);
		}
	}
	if (rc == 0 && (rundir_save_table(ctx->run, "bandwidth.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "bandwidth-samples.csv", samples, err) < 0))
		rc = -1;
	for (unsigned i = 0; i < most; i++)
		free(buffers[i]);
	free(buffers);
	free(checksums);
	for (unsigned c = 0; c < ncounts; c++)
		free(placed[c]);
	for (size_t i = 0; i < npoints; i++)
		free(points[i].samples);
	free(points);
	table_free(t);
	table_free(samples);
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
	.run = run_bandwidth,
};
