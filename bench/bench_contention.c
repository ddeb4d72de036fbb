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

struct contention_config {
	struct cli_list threads; /* empty: 1, 2, 3, 4, then x1.5 and x2 steps up to the PUs */
	bool variants[CONTENTION_NVARIANTS];
	uint64_t iterations;
	bool iterations_given; /* else fewer per thread when many threads would make too many in all */
	unsigned repeat, relax;
	double deadline_s;
};

enum { OPT_THREADS, OPT_VARIANTS, OPT_ITERATIONS, OPT_REPEAT, OPT_RELAX, OPT_DEADLINE, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct contention_config, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_THREADS] = { .name = "threads", .arg = "LIST", .type = CLI_UINTS, .min = 1, FIELD(threads),
			  .help = "thread counts (default 1, 2, 3, 4, then x1.5 and x2 steps up to the PUs it may use, and that number)" },
	[OPT_VARIANTS] = { .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(contention_variant_names),
			   FIELD(variants), .help = "faa, tas, ticket, ring-padded, ring-packed (default all)" },
	[OPT_ITERATIONS] = { .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000000", .quick = "100000",
			     FIELD(iterations),
			     .help = "operations per thread; without this option, fewer when many threads would make more than 4 times that in all" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "5", .quick = "3",
			 .full = "11", FIELD(repeat), .help = "timed repetitions" },
	[OPT_RELAX] = { .name = "relax", .arg = "N", .type = CLI_UINT, .max = 100000, .def = ML_STR(CONTENTION_RELAX_DEFAULT), FIELD(relax),
			.help = "spin-wait hints after each look at a lock or index that says wait, as spin locks do; 0 hammers the line" },
	[OPT_DEADLINE] = SPIN_GUARD_DEADLINE_ROW(struct contention_config),
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

static const struct bench_column columns[NKCOLUMNS] = {
	[K_VARIANT] = BENCH_KEY("variant", "variant", TABLE_LEFT),
	[K_THREADS] = BENCH_KEY("threads", "threads", TABLE_RIGHT),
	[K_NS] = BENCH_STAT("ns_per_op", "ns/op/thread", FROM_MEDIAN, "%.2f"),
	[K_OPS] = BENCH_KEY("ops_per_s", "Mops/s total", TABLE_RIGHT),
	[K_P5] = BENCH_STAT("ns_per_op_p5", "p5", FROM_P5, "%.2f"),
	[K_P95] = BENCH_STAT("ns_per_op_p95", "p95", FROM_P95, "%.2f"),
	[K_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("variant", "variant", TABLE_LEFT),
	BENCH_KEY("threads", "threads", TABLE_RIGHT),
	BENCH_REP,
	BENCH_SAMPLE("ns_per_op", "ns/op/thread", "%.3f"),
};

/* Locks must not lose an increment: a broken one fails the run. */
static int check_counts(const struct job *j, unsigned threads, struct ml_error *err)
{
	uint64_t want = j->iterations * threads, got = j->v->kind == CONTEND_TICKET ? j->page[3] : j->page[1];

	if (j->v->kind == CONTEND_RING || got == want)
		return 0;
	ml_error_set(err, "%s with %u threads counted %" PRIu64 " increments instead of %" PRIu64,
		     contention_variant_names[j->v - contention_variants], threads, got, want);
	return -1;
}

static void check_contention(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	(void)ctx;
	((struct contention_config *)config)->iterations_given = cli_given(args, OPT_ITERATIONS);
}

/* A measurement under way: the line, the threads' PUs and times. */
struct contention_run {
	const struct bench_context *ctx;
	const struct contention_config *c;
	uint64_t *page, *elapsed;
	unsigned *placed;
	double *ns, *ops; /* each repetition's time per operation and operations per second */
	struct spin_guard guard;
	struct bench_series *series;
};

/* Variant K on THREADS threads: a point when measured. */
static int measure_point(struct contention_run *cr, size_t k, unsigned threads, struct ml_error *err)
{
	const struct contention_config *c = cr->c;
	uint64_t per_thread = c->iterations;
	uint64_t iterations = c->iterations_given || per_thread * TOTAL_OPERATIONS_FACTOR / threads >= per_thread
				      ? per_thread
				      : per_thread * TOTAL_OPERATIONS_FACTOR / threads;
	uint64_t deadline = spin_guard_deadline_ns(c->deadline_s,
						   threads_deadline_ns(iterations * threads, OPERATION_CEILING_NS));
	struct job j = { &contention_variants[k], cr->page, iterations, c->relax };
	struct threads_outcome outcome = { false, 0 };
	struct bench_series *s = cr->series;
	char point[64], total[32], total_m[32];
	struct stats so;
	int rc = 0;

	topo_place(cr->ctx->topo, TOPO_PLACE_SCATTER, threads, cr->placed);
	snprintf(point, sizeof(point), "%s with %u threads", contention_variant_names[k], threads);
	bench_progress(cr->ctx, "%s, %u thread%s", contention_variant_names[k], threads, threads == 1 ? "" : "s");
	for (unsigned r = 0; r <= c->repeat && rc == 0 && !outcome.gave_up; r++) {
		uint64_t slowest = 0;
		double sum = 0;

		memset(cr->page, 0, 4096);
		rc = threads_run(cr->ctx->topo, threads, cr->placed, run_one, &j, deadline, cr->elapsed, &outcome, err);
		if (rc == 0 && !outcome.gave_up)
			rc = check_counts(&j, threads, err);
		for (unsigned i = 0; i < threads; i++) {
			sum += (double)cr->elapsed[i] / (double)iterations;
			slowest = cr->elapsed[i] > slowest ? cr->elapsed[i] : slowest;
		}
		if (r > 0) { /* the first one warms up */
			cr->ns[r - 1] = sum / threads;
			cr->ops[r - 1] = (double)iterations * (contention_variants[k].kind == CONTEND_RING ? 1 : threads) /
					 ((double)slowest / 1e9);
		}
	}
	if (rc < 0 || !spin_guard_measured(&cr->guard, point, &outcome, deadline))
		return rc;
	stats_compute(cr->ops, c->repeat, &so);
	snprintf(total, sizeof(total), "%.0f", so.median);
	snprintf(total_m, sizeof(total_m), "%.1f", so.median / 1e6);
	bench_point(s);
	bench_set(s, K_VARIANT, contention_variant_names[k], NULL);
	bench_setf(s, K_THREADS, "%u", threads);
	bench_set(s, K_OPS, total, total_m);
	bench_samples(s, cr->ns, c->repeat, NULL);
	return 0;
}

/* The thread counts to measure: --threads or the default steps, less
 * those beyond the PUs (said); into COUNTS, returns how many. */
static unsigned thread_counts(const struct contention_config *c, unsigned pus, unsigned *counts)
{
	unsigned n = 0;

	if (!c->threads.n)
		return threads_default_counts(pus, counts, MAX_COUNTS);
	for (size_t i = 0; i < c->threads.n; i++) {
		if (c->threads.v[i] > pus)
			progress_note("%" PRIu64 " threads asked, mesilab may use %u PUs: skipped", c->threads.v[i], pus);
		else
			counts[n++] = (unsigned)c->threads.v[i];
	}
	return n;
}

static int measure_contention(const struct bench_context *ctx, const void *config, struct bench_result *r,
			      struct ml_error *err)
{
	const struct contention_config *c = config;
	unsigned pus = topo_usable_pus(ctx->topo), counts[MAX_COUNTS], ncounts = thread_counts(c, pus, counts), most = 1;
	struct contention_run cr = {
		.ctx = ctx, .c = c, .page = xpages(4096), .elapsed = xcalloc(pus, sizeof(uint64_t)),
		.placed = xcalloc(pus, sizeof(unsigned)), .ns = xcalloc(c->repeat, sizeof(double)),
		.ops = xcalloc(c->repeat, sizeof(double)),
	};
	char *heading = xstrdup("contention: threads on one line (a ring: one producer, one consumer)\n");
	int rc = 0;

	cr.series = bench_series(r, "contention", NULL, columns, NKCOLUMNS, sample_columns,
				 sizeof(sample_columns) / sizeof(sample_columns[0]));
	for (size_t k = 0; k < CONTENTION_NVARIANTS; k++) {
		char *longer = c->variants[k] ? xasprintf("%s  %s: %s\n", heading, contention_variant_names[k],
							  contention_variants[k].what)
					      : xstrdup(heading);

		free(heading);
		heading = longer;
	}
	bench_heading(r, "%s\n", heading);
	free(heading);
	rundir_setf(ctx->run, "contention.relax", "%u spin-wait hints after each look that says wait", c->relax);
	for (unsigned i = 0; i < ncounts; i++)
		most = counts[i] > most ? counts[i] : most;
	spin_guard_begin(&cr.guard, ctx, "contention",
			 (unsigned)topo_place(ctx->topo, TOPO_PLACE_SCATTER, most, cr.placed), cr.placed);
	for (size_t k = 0; k < CONTENTION_NVARIANTS && rc == 0 && !spin_guard_stopped(&cr.guard); k++) {
		if (!c->variants[k])
			continue;
		rundir_set(ctx->run, contention_variant_names[k], contention_variants[k].what);
		for (unsigned i = 0; i < ncounts && rc == 0 && !spin_guard_stopped(&cr.guard); i++)
			/* A ring has one producer and one consumer. */
			if (contention_variants[k].kind != CONTEND_RING || counts[i] == 2)
				rc = measure_point(&cr, k, counts[i], err);
	}
	spin_guard_end(&cr.guard);
	free(cr.ns);
	free(cr.ops);
	free(cr.page);
	free(cr.elapsed);
	free(cr.placed);
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
	.config_size = sizeof(struct contention_config),
	.check = check_contention,
	.measure = measure_contention,
	.scale = scale_contention,
};
