/* 'mesilab bench contention': many threads on one line. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "contention_variants.h"
#include "kernels.h"
#include "progress.h"
#include "spin_guard.h"
#include "stats.h"
#include "threads.h"
#include "xalloc.h"

enum { OPT_THREADS, OPT_VARIANTS, OPT_ITERATIONS, OPT_REPEAT, OPT_RELAX, OPT_DEADLINE, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_THREADS] = { .name = "threads", .arg = "LIST", .type = CLI_UINTS, .min = 1,
			  .help = "thread counts (default 1, 2, 3, 4, then x1.5 and x2 steps up to the PUs it may use, and that number)" },
	[OPT_VARIANTS] = { .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(contention_variant_names),
			   .help = "faa, tas, ticket, ring-padded, ring-packed (default all)" },
	[OPT_ITERATIONS] = { .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000000", .quick = "100000",
			     .help = "operations per thread; without this option, fewer when many threads would make more than 4 times that in all" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "5", .quick = "3",
			 .help = "timed repetitions" },
	[OPT_RELAX] = { .name = "relax", .arg = "N", .type = CLI_UINT, .max = 100000, .def = "1",
			.help = "spin-wait hints after each look at a lock or index that says wait, as spin locks do; 0 hammers the line" },
	[OPT_DEADLINE] = SPIN_GUARD_DEADLINE_OPTION,
};

#define MAX_COUNTS 32
/* Without --iterations, the operations of all threads together stay within
 * this many times the per-thread default, so that a big machine's many
 * threads do not make a measurement minutes long. */
#define TOTAL_OPERATIONS_FACTOR 4
/* No lock hand-over or atomic add takes this long on a real machine, even
 * with hundreds of threads on the line: a slower one means a thread was
 * not running. */
#define OPERATION_CEILING_NS 20000.0

struct job {
	const struct contention_variant *v;
	uint64_t *page, iterations;
	unsigned relax;
};

static void run_one(void *arg, struct access_native *ctx)
{
	const struct job *j = arg;
	struct contention_args a;

	contention_variant_args(j->v, j->page, j->iterations, ctx->thread, j->relax, &a);
	contention_native(ctx, &a);
}

enum { K_VARIANT, K_THREADS, K_NS, K_OPS, K_P5, K_P95, K_UNSTABLE, NKCOLUMNS };

static const struct table_column columns[NKCOLUMNS] = {
	[K_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[K_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[K_NS] = { "ns_per_op", "ns/op/thread", TABLE_RIGHT },
	[K_OPS] = { "ops_per_s", "Mops/s total", TABLE_RIGHT },
	[K_P5] = { "ns_per_op_p5", "p5", TABLE_RIGHT },
	[K_P95] = { "ns_per_op_p95", "p95", TABLE_RIGHT },
	[K_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
};

enum { S_VARIANT, S_THREADS, S_REP, S_NS, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[S_THREADS] = { "threads", "threads", TABLE_RIGHT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_NS] = { "ns_per_op", "ns/op/thread", TABLE_RIGHT },
};

/* Locks must not lose an increment: a broken one fails the run. */
static int check_counts(const struct job *j, unsigned threads, struct ml_error *err)
{
	uint64_t want = j->iterations * threads, got = j->v->kind == CONTEND_TICKET ? j->page[3] : j->page[1];

	if (j->v->kind == CONTEND_RING || got == want)
		return 0;
	ml_error_set(err, "%s with %u threads counted %" PRIu64 " increments instead of %" PRIu64, contention_variant_names[j->v - contention_variants],
		     threads, got, want);
	return -1;
}

static int run_contention(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	struct cli_list asked;
	size_t nasked = cli_list(args, OPT_THREADS, &asked);
	unsigned pus = topo_usable_pus(ctx->topo), counts[MAX_COUNTS], ncounts = 0, most = 1;
	uint64_t per_thread = cli_uint(args, OPT_ITERATIONS);
	unsigned relax = (unsigned)cli_uint(args, OPT_RELAX);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	bool chosen[CONTENTION_NVARIANTS];
	struct table *t = table_new(columns, NKCOLUMNS), *samples = table_new(sample_columns, NSCOLUMNS);
	double *ns = xcalloc(repeat, sizeof(*ns)), *ops = xcalloc(repeat, sizeof(*ops));
	uint64_t *page = xpages(4096), *elapsed = xcalloc(pus, sizeof(*elapsed));
	unsigned *placed = xcalloc(pus, sizeof(*placed));
	struct spin_guard guard;
	int rc = 0;

	cli_choices(args, OPT_VARIANTS, chosen);
	rundir_setf(ctx->run, "contention.relax", "%u spin-wait hints after each look that says wait", relax);
	for (size_t i = 0; i < nasked; i++) {
		if (asked.v[i] > pus)
			progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs: skipped", asked.v[i], pus);
		else
			counts[ncounts++] = (unsigned)asked.v[i];
	}
	if (!nasked)
		ncounts = threads_default_counts(pus, counts, MAX_COUNTS);
	for (unsigned c = 0; c < ncounts; c++)
		most = counts[c] > most ? counts[c] : most;

	spin_guard_begin(&guard, ctx, "contention", (unsigned)topo_place(ctx->topo, TOPO_PLACE_SCATTER, most, placed),
			 placed);
	for (size_t k = 0; k < CONTENTION_NVARIANTS && rc == 0 && !spin_guard_stopped(&guard); k++) {
		if (!chosen[k])
			continue;
		rundir_set(ctx->run, contention_variant_names[k], contention_variants[k].what);
		for (unsigned c = 0; c < ncounts && rc == 0 && !spin_guard_stopped(&guard); c++) {
			unsigned threads = counts[c];
			uint64_t iterations = cli_given(args, OPT_ITERATIONS) ? per_thread
					      : per_thread * TOTAL_OPERATIONS_FACTOR / threads < per_thread
						      ? per_thread * TOTAL_OPERATIONS_FACTOR / threads
						      : per_thread;
			uint64_t deadline = spin_guard_deadline(args, OPT_DEADLINE,
								threads_deadline_ns(iterations * threads, OPERATION_CEILING_NS));
			struct job j = { &contention_variants[k], page, iterations, relax };
			struct threads_outcome outcome = { false, 0 };
			struct stats st, so;
			char point[64];

			/* A ring has one producer and one consumer. */
			if (contention_variants[k].kind == CONTEND_RING && threads != 2)
				continue;
			topo_place(ctx->topo, TOPO_PLACE_SCATTER, threads, placed);
			snprintf(point, sizeof(point), "%s with %u threads", contention_variant_names[k], threads);
			progress_update("contention: %s, %u thread%s", contention_variant_names[k], threads, threads == 1 ? "" : "s");
			for (unsigned r = 0; r <= repeat && rc == 0 && !outcome.gave_up; r++) {
				uint64_t slowest = 0;
				double sum = 0;

				memset(page, 0, 4096);
				rc = threads_run(ctx->topo, threads, placed, run_one, &j, deadline, elapsed, &outcome, err);
				if (rc == 0 && !outcome.gave_up)
					rc = check_counts(&j, threads, err);
				for (unsigned i = 0; i < threads; i++) {
					sum += (double)elapsed[i] / (double)iterations;
					slowest = elapsed[i] > slowest ? elapsed[i] : slowest;
				}
				if (r > 0) { /* the first one warms up */
					ns[r - 1] = sum / threads;
					ops[r - 1] = (double)iterations * (contention_variants[k].kind == CONTEND_RING ? 1 : threads) /
						     ((double)slowest / 1e9);
				}
			}
			if (rc < 0 || !spin_guard_measured(&guard, point, &outcome, deadline))
				continue;
			stats_compute(ns, repeat, &st);
			stats_compute(ops, repeat, &so);
			table_add_row(t);
			table_set(t, K_VARIANT, contention_variant_names[k], NULL);
			table_setf(t, K_THREADS, "%u", threads);
			table_setf(t, K_NS, "%.2f", st.median);
			{
				char total[32], total_m[32];

				snprintf(total, sizeof(total), "%.0f", so.median);
				snprintf(total_m, sizeof(total_m), "%.1f", so.median / 1e6);
				table_set(t, K_OPS, total, total_m);
			}
			table_setf(t, K_P5, "%.2f", st.p5);
			table_setf(t, K_P95, "%.2f", st.p95);
			bench_set_stability(t, K_UNSTABLE, &st);
			for (unsigned r = 0; r < repeat; r++) {
				table_add_row(samples);
				table_set(samples, S_VARIANT, contention_variant_names[k], NULL);
				table_setf(samples, S_THREADS, "%u", threads);
				table_setf(samples, S_REP, "%u", r);
				table_setf(samples, S_NS, "%.3f", ns[r]);
			}
		}
	}
	progress_done();
	spin_guard_end(&guard);
	if (ctx->out && args->csv) {
		table_print_csv(t, ctx->out);
	} else if (ctx->out) {
		fputs("contention: threads on one line (a ring: one producer, one consumer)\n", ctx->out);
		for (size_t k = 0; k < CONTENTION_NVARIANTS; k++)
			if (chosen[k])
				fprintf(ctx->out, "  %s: %s\n", contention_variant_names[k], contention_variants[k].what);
		fputc('\n', ctx->out);
		table_print_human(t, ctx->out);
	}
	if (rc == 0 && (rundir_save_table(ctx->run, "contention.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "contention-samples.csv", samples, err) < 0))
		rc = -1;
	table_free(t);
	table_free(samples);
	free(ns);
	free(ops);
	free(page);
	free(elapsed);
	free(placed);
	return rc;
}

/* A measurement's operations grow with its threads up to the cap. */
static double scale_contention(const struct topo *t, char *what, size_t len)
{
	unsigned counts[MAX_COUNTS], n = threads_default_counts(topo_usable_pus(t), counts, MAX_COUNTS);
	double work = 0;

	for (unsigned i = 0; i < n; i++)
		work += counts[i] < TOTAL_OPERATIONS_FACTOR ? counts[i] : TOTAL_OPERATIONS_FACTOR;
	snprintf(what, len, "%u thread counts, 1 to %u", n, n ? counts[n - 1] : 0);
	return work / 3; /* 1 and 2 threads */
}

const struct benchmark bench_contention = {
	.name = "contention",
	.summary = "many threads on one line: atomic adds, two locks, a ring buffer",
	.description =
		"Atomic fetch-and-add throughput and latency as threads grow; a test-and-set\n"
		"and a ticket lock around a tiny critical section; a single-producer,\n"
		"single-consumer ring with its head and tail on separate lines or on one.\n",
	.options = options,
	.noptions = NOPTIONS,
	.run = run_contention,
	.scale = scale_contention,
};
