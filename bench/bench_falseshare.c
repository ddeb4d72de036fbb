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

enum { OPT_DISTANCE, OPT_THREADS, OPT_VARIANTS, OPT_ITERATIONS, OPT_REPEAT, NOPTIONS };

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

static const struct cli_option options[NOPTIONS] = {
	[OPT_DISTANCE] = { .name = "distance", .arg = "LIST", .type = CLI_SIZES, .min = 1, .def = "4,8,16,32,64,128",
			   .help = "bytes between counters, powers of two from 4" },
	[OPT_THREADS] = { .name = "threads", .arg = "LIST", .type = CLI_UINTS, .min = 1,
			  .help = "thread counts (default 1 up to the number of cores)" },
	[OPT_VARIANTS] = { .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(variant_names),
			   .help = "plain, atomic, readmostly (default all)" },
	[OPT_ITERATIONS] = { .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "2000000",
			     .quick = "200000", .help = "operations per thread" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "5", .quick = "3",
			 .help = "timed repetitions" },
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

static const struct table_column columns[NFCOLUMNS] = {
	[F_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[F_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[F_DISTANCE] = { "distance_bytes", "distance", TABLE_RIGHT },
	[F_NS] = { "ns_per_op", "ns/op", TABLE_RIGHT },
	[F_RATE] = { "ops_per_s_per_thread", "Mops/s/thread", TABLE_RIGHT },
	[F_SLOWDOWN] = { "slowdown", "vs padded", TABLE_RIGHT },
	[F_P5] = { "ns_per_op_p5", "p5", TABLE_RIGHT },
	[F_P95] = { "ns_per_op_p95", "p95", TABLE_RIGHT },
	[F_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
};

enum { S_VARIANT, S_THREADS, S_DISTANCE, S_REP, S_NS, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[S_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[S_DISTANCE] = { "distance_bytes", "distance", TABLE_RIGHT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_NS] = { "ns_per_op", "ns/op", TABLE_RIGHT },
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

static int run_falseshare(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	int l1 = topo_data_cache_at_depth(ctx->topo, 1);
	uint64_t line = l1 >= 0 && topo_cache_level(ctx->topo, (size_t)l1)->line ? topo_cache_level(ctx->topo, (size_t)l1)->line : 64;
	struct cli_list distance_list, count_list;
	size_t ndist = cli_list(args, OPT_DISTANCE, &distance_list), ncounts = cli_list(args, OPT_THREADS, &count_list);
	const uint64_t *distances = distance_list.v;
	uint64_t *counts = count_list.v;
	unsigned cores = topo_usable_cores(ctx->topo), pus_usable = topo_usable_pus(ctx->topo);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	uint64_t iterations = cli_uint(args, OPT_ITERATIONS);
	bool chosen[NVARIANTS];
	struct table *t = table_new(columns, NFCOLUMNS), *samples = table_new(sample_columns, NSCOLUMNS);
	double *ns = xcalloc(repeat, sizeof(*ns));
	unsigned char *memory;
	unsigned most = 1;
	int rc = 0;

	for (size_t i = 0; i < ndist; i++)
		if (distances[i] < 4 || distances[i] > (1 << 20) || (distances[i] & (distances[i] - 1)))
			cli_usage_error(args, "invalid distance %" PRIu64 " in --distance (powers of two from 4 to 1M)",
					distances[i]);
	if (!ncounts) {
		unsigned defaults[CLI_LIST_MAX];

		ncounts = threads_default_counts(cores < 64 ? cores : 64, defaults, CLI_LIST_MAX);
		for (size_t c = 0; c < ncounts; c++)
			counts[c] = defaults[c];
	}
	cli_choices(args, OPT_VARIANTS, chosen);
	for (size_t c = 0; c < ncounts; c++) {
		if (counts[c] > pus_usable || counts[c] > 64) {
			progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs (at most 64): skipped", counts[c],
				      pus_usable);
			rundir_setf(ctx->run, "falseshare.skipped", "%" PRIu64 " threads: more than the PUs", counts[c]);
			counts[c] = 0;
		} else if (counts[c] > most) {
			most = (unsigned)counts[c];
		}
	}
	memory = xpages(most * (line > 1u << 20 ? line : 1u << 20));

	for (size_t k = 0; k < NVARIANTS && rc == 0; k++) {
		if (!chosen[k])
			continue;
		rundir_set(ctx->run, variant_names[k], variants[k].measures);
		for (size_t c = 0; c < ncounts && rc == 0 && !interrupt_requested(); c++) {
			unsigned threads = (unsigned)counts[c], pus[64];
			double padded = 0;

			if (!threads)
				continue;
			topo_place(ctx->topo, TOPO_PLACE_SCATTER, threads, pus);
			/* The baseline first: one line per counter. */
			for (size_t d = 0; d <= ndist && rc == 0; d++) {
				struct job j = { memory, d == 0 ? line : distances[d - 1], iterations, &variants[k] };
				struct stats st;

				progress_update("falseshare: %s, %u thread%s, %" PRIu64 " bytes apart", variant_names[k],
						threads, threads == 1 ? "" : "s", j.distance);
				memset(memory, 0, most * j.distance);
				if (measure(ctx, threads, pus, &j, repeat, ns, err) < 0) {
					rc = -1;
					break;
				}
				stats_compute(ns, repeat, &st);
				if (d == 0) {
					padded = st.median;
					continue;
				}
				table_add_row(t);
				table_set(t, F_VARIANT, variant_names[k], NULL);
				table_setf(t, F_THREADS, "%u", threads);
				table_setf(t, F_DISTANCE, "%" PRIu64, j.distance);
				table_setf(t, F_NS, "%.3f", st.median);
				{
					char rate[32], rate_m[32];

					snprintf(rate, sizeof(rate), "%.0f", 1e9 / st.median);
					snprintf(rate_m, sizeof(rate_m), "%.1f", 1e3 / st.median);
					table_set(t, F_RATE, rate, rate_m);
				}
				table_setf(t, F_SLOWDOWN, "%.2f", st.median / padded);
				table_setf(t, F_P5, "%.3f", st.p5);
				table_setf(t, F_P95, "%.3f", st.p95);
				bench_set_stability(t, F_UNSTABLE, &st);
				for (unsigned r = 0; r < repeat; r++) {
					table_add_row(samples);
					table_set(samples, S_VARIANT, variant_names[k], NULL);
					table_setf(samples, S_THREADS, "%u", threads);
					table_setf(samples, S_DISTANCE, "%" PRIu64, j.distance);
					table_setf(samples, S_REP, "%u", r);
					table_setf(samples, S_NS, "%.4f", ns[r]);
				}
			}
		}
	}
	progress_done();
	rundir_setf(ctx->run, "falseshare.padded_bytes", "%" PRIu64, line);
	if (ctx->out && args->csv) {
		table_print_csv(t, ctx->out);
	} else if (ctx->out) {
		fprintf(ctx->out, "false sharing: each thread on its own counter; slowdown against counters %" PRIu64
				  " bytes (a line) apart\n", line);
		for (size_t k = 0; k < NVARIANTS; k++)
			if (chosen[k])
				fprintf(ctx->out, "  %s: %s\n", variant_names[k], variants[k].measures);
		fputc('\n', ctx->out);
		table_print_human(t, ctx->out);
	}
	if (rc == 0 && (rundir_save_table(ctx->run, "falseshare.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "falseshare-samples.csv", samples, err) < 0))
		rc = -1;
	table_free(t);
	table_free(samples);
	free(ns);
	free(memory);
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
	.noptions = NOPTIONS,
	.run = run_falseshare,
	.scale = scale_falseshare,
};
