/* 'mesilab bench c2c': the time for a cache line to go from one core to
 * another, for every pair of PUs or a sample covering each relation. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kernels.h"
#include "pairs.h"
#include "progress.h"
#include "spin_guard.h"
#include "stats.h"
#include "threads.h"
#include "xalloc.h"

enum pairs_mode { PAIRS_ALL, PAIRS_SAMPLE };
static const char *const pairs_names[] = { [PAIRS_ALL] = "all", [PAIRS_SAMPLE] = "sample" };
static const char *const variant_names[2] = { "store", "cas" };
/* How the waiting thread waits. A spin-wait hint costs under 1 ns on some
 * cores and over 25 on others, and the transfer it waits for takes 10 to
 * 200: pausing between looks measures the pause as much as the transfer.
 * Looking without a pause measures the transfer, except where the looks
 * themselves slow the hand-over: each look takes the line back from the
 * core about to write it (on this project's development host, vCPUs on
 * two dies, a waiter that hammers adds 15%). A back-off between looks,
 * made of dependent adds whose cost is known, sends fewer looks and can
 * only delay seeing the line by its own length: AUTO measures without one
 * and with back-offs of a quarter of and a whole pause-free transfer, and
 * keeps the fastest, which is the nearest to the transfer itself. */
enum wait_mode { WAIT_AUTO, WAIT_NONE, WAIT_PAUSE, NWAIT_MODES };
static const char *const wait_names[NWAIT_MODES] = { "auto", "none", "pause" };

struct c2c_config {
	uint64_t rounds;
	unsigned repeat, relax;
	bool variants[2];
	enum pairs_mode pairs;
	bool pairs_given;    /* else every ordered pair up to 16 usable PUs, one per relation beyond */
	enum wait_mode wait; /* --relax alone is --wait pause: the command line's check says so */
	double deadline_s;
};

enum { OPT_ROUNDS, OPT_REPEAT, OPT_PAIRS, OPT_VARIANTS, OPT_WAIT, OPT_RELAX, OPT_DEADLINE, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct c2c_config, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_ROUNDS] = { .name = "rounds", .arg = "N", .type = CLI_UINT, .min = 1, .def = "100000", .quick = "20000",
			 FIELD(rounds), .help = "round trips per repetition" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .full = "15", FIELD(repeat), .help = "timed repetitions per pair" },
	[OPT_PAIRS] = { .name = "pairs", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(pairs_names), FIELD(pairs),
			.help = "all (every ordered pair, the default up to 16 PUs) or sample (one pair per relation)" },
	[OPT_VARIANTS] = { .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(variant_names),
			   FIELD(variants), .help = "store (a store seen by a load) and cas (compare-and-swap), default both" },
	[OPT_WAIT] = { .name = "wait", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(wait_names), .def = "auto",
		       FIELD(wait),
		       .help = "how a thread waits for the line: auto (without a pause, and with back-offs of a quarter of and a whole such transfer; the fastest kept), none, or pause: --relax spin-wait hints" },
	[OPT_RELAX] = { .name = "relax", .arg = "N", .type = CLI_UINT, .max = 100000, .def = "10", FIELD(relax),
			.help = "with --wait pause (which it implies): spin-wait hints after each look at the line" },
	[OPT_DEADLINE] = SPIN_GUARD_DEADLINE_ROW(struct c2c_config),
};

/* The back-offs AUTO tries, as shares of a pause-free transfer. */
static const double backoff_shares[] = { 0.25, 1.0 };
#define NWAYS (1 + sizeof(backoff_shares) / sizeof(backoff_shares[0]))

#define MATRIX_MAX_PUS 16
#define MAX_PAIRS 512

struct job {
	uint64_t *flag;
	uint64_t rounds;
	bool cas;
	unsigned relax;
	uint32_t backoff_cycles;
};

static void run_side(void *arg, struct access_native *ctx)
{
	const struct job *j = arg;
	struct pingpong_args a = { j->flag, j->rounds, ctx->thread, j->cas, j->relax, j->backoff_cycles };

	pingpong_native(ctx, &a);
}

/* No cache-line transfer takes this long on a real machine: a slower one
 * means a thread was not running. */
#define TRANSFER_CEILING_NS 5000.0

/* One way of waiting, measured: REPEAT timed repetitions after a warm-up. */
struct measurement {
	const char *wait;  /* none, backoff or pause */
	double wait_ns;    /* the pause between looks */
	double *ns;        /* each repetition's one-way time */
	struct stats st;
};

/* A pair's transfer under measurement: the two PUs, the job their
 * threads run, how many timed repetitions of each way of waiting, the
 * guard's deadline, and what the threads' runs came to. */
struct pair_run {
	const struct bench_context *ctx;
	const unsigned *pus; /* two */
	struct job *job;
	unsigned repeat;
	uint64_t deadline;
	struct threads_outcome outcome;
};

static int measure(struct pair_run *pr, struct measurement *m, struct ml_error *err)
{
	const struct job *j = pr->job;
	struct threads_outcome *outcome = &pr->outcome;
	unsigned repeat = pr->repeat;
	int rc = 0;

	for (unsigned r = 0; r <= repeat && rc == 0 && !outcome->gave_up; r++) {
		struct threads_outcome o = { false, 0 };
		uint64_t elapsed[2];

		*j->flag = 0;
		rc = threads_run(pr->ctx->topo, 2, pr->pus, run_side, (void *)j, pr->deadline, elapsed, &o, err);
		outcome->gave_up |= o.gave_up;
		outcome->preempted += o.preempted;
		/* A round trip is two transfers; the first repetition warms up. */
		if (r > 0)
			m->ns[r - 1] = (double)(elapsed[0] > elapsed[1] ? elapsed[0] : elapsed[1]) / (2.0 * (double)j->rounds);
	}
	if (rc == 0 && !outcome->gave_up)
		stats_compute(m->ns, repeat, &m->st);
	return rc;
}

/* The pair's transfer, measured as MODE says; *BEST is the measurement
 * kept (one of the NWAYS of M). */
static int measure_pair(struct pair_run *pr, enum wait_mode mode, struct measurement *m, struct measurement **best,
			struct ml_error *err)
{
	const struct bench_context *ctx = pr->ctx;
	const struct threads_outcome *outcome = &pr->outcome;
	double cycles_per_ns = ctx->clock->cycles_per_ns;
	struct job *j = pr->job;
	int rc;

	m[0].wait = mode == WAIT_PAUSE ? "pause" : "none";
	m[0].wait_ns = mode == WAIT_PAUSE ? j->relax * ctx->clock->pause_ns : 0;
	j->backoff_cycles = 0;
	if (mode != WAIT_PAUSE)
		j->relax = 0;
	*best = &m[0];
	rc = measure(pr, &m[0], err);
	if (rc < 0 || outcome->gave_up || mode != WAIT_AUTO)
		return rc;
	for (size_t w = 1; w < NWAYS && rc == 0 && !outcome->gave_up; w++) {
		m[w].wait = "backoff";
		j->backoff_cycles = (uint32_t)(backoff_shares[w - 1] * m[0].st.median * cycles_per_ns + 0.5);
		m[w].wait_ns = j->backoff_cycles / cycles_per_ns;
		rc = measure(pr, &m[w], err);
		if (rc == 0 && !outcome->gave_up && m[w].st.median < (*best)->st.median)
			*best = &m[w];
	}
	return rc;
}

/* The fastest of the ways of waiting not kept. */
static double other_fastest(const struct measurement *m, const struct measurement *best)
{
	double fastest = INFINITY;

	for (size_t w = 0; w < NWAYS; w++)
		if (&m[w] != best && m[w].st.median < fastest)
			fastest = m[w].st.median;
	return fastest;
}

/* The PUs the pairs use, each once. */
static unsigned pair_pus(const struct pu_pair *pairs, size_t npairs, unsigned *pus)
{
	unsigned n = 0;

	for (size_t p = 0; p < npairs; p++) {
		unsigned both[2] = { pairs[p].a, pairs[p].b };

		for (int k = 0; k < 2; k++) {
			bool seen = false;

			for (unsigned i = 0; i < n; i++)
				seen |= pus[i] == both[k];
			if (!seen)
				pus[n++] = both[k];
		}
	}
	return n;
}

enum { C_A, C_B, C_RELATION, C_VARIANT, C_NS, C_CYCLES, C_P5, C_P95, C_ROUNDS, C_UNSTABLE, C_WAIT, C_WAIT_NS,
       C_OTHER_NS, NCCOLUMNS };

static const struct bench_column columns[NCCOLUMNS] = {
	[C_A] = BENCH_KEY("cpu_a", "from", TABLE_RIGHT),
	[C_B] = BENCH_KEY("cpu_b", "to", TABLE_RIGHT),
	[C_RELATION] = BENCH_KEY("relation", "relation", TABLE_LEFT),
	[C_VARIANT] = BENCH_KEY("variant", "variant", TABLE_LEFT),
	[C_NS] = BENCH_STAT("latency_ns", "one-way ns", FROM_MEDIAN, "%.1f"),
	[C_CYCLES] = BENCH_STAT("latency_cycles", "cycles", FROM_CYCLES, "%.0f"),
	[C_P5] = BENCH_STAT("latency_ns_p5", "p5", FROM_P5, "%.1f"),
	[C_P95] = BENCH_STAT("latency_ns_p95", "p95", FROM_P95, "%.1f"),
	[C_ROUNDS] = BENCH_KEY("round_trips", "round trips", TABLE_RIGHT),
	[C_UNSTABLE] = BENCH_STABLE,
	[C_WAIT] = BENCH_KEY("wait", "wait", TABLE_LEFT),
	[C_WAIT_NS] = BENCH_KEY("wait_ns", "wait ns", TABLE_RIGHT),
	[C_OTHER_NS] = BENCH_KEY("other_wait_latency_ns", "other wait", TABLE_RIGHT),
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("cpu_a", "from", TABLE_RIGHT),
	BENCH_KEY("cpu_b", "to", TABLE_RIGHT),
	BENCH_KEY("variant", "variant", TABLE_LEFT),
	BENCH_REP,
	BENCH_SAMPLE("latency_ns", "one-way ns", "%.2f"),
	BENCH_KEY("wait", "wait", TABLE_LEFT),
};

static void check_c2c(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	struct c2c_config *c = config;

	(void)ctx;
	c->pairs_given = cli_given(args, OPT_PAIRS);
	if (cli_given(args, OPT_RELAX) && cli_given(args, OPT_WAIT) && c->wait != WAIT_PAUSE)
		cli_usage_error(args, "--relax counts the hints of --wait pause, not of --wait %s", wait_names[c->wait]);
	if (cli_given(args, OPT_RELAX))
		c->wait = WAIT_PAUSE;
}

/* A measurement under way: the line, the repetitions, the guard. */
struct c2c_run {
	const struct bench_context *ctx;
	const struct c2c_config *c;
	uint64_t *flag, deadline;
	double *ns; /* NWAYS ways' repetitions */
	struct spin_guard guard;
	struct bench_series *series;
};

/* Variant V (0 store, 1 cas) of the transfer between PUS: a point when
 * measured. */
static int measure_variant(struct c2c_run *cr, const unsigned pus[2], const char *relation, int v,
			   struct ml_error *err)
{
	const struct c2c_config *c = cr->c;
	const char *variant = variant_names[v];
	struct job j = { cr->flag, c->rounds, v == 1, c->relax, 0 };
	struct pair_run pr = { cr->ctx, pus, &j, c->repeat, cr->deadline, { false, 0 } };
	struct measurement m[NWAYS], *best;
	struct bench_series *s = cr->series;
	char point[64];
	int rc;

	for (size_t w = 0; w < NWAYS; w++)
		m[w] = (struct measurement){ .ns = cr->ns + w * c->repeat };
	snprintf(point, sizeof(point), "%u->%u %s", pus[0], pus[1], variant);
	bench_progress(cr->ctx, "%u -> %u (%s), %s", pus[0], pus[1], relation, variant);
	rc = measure_pair(&pr, c->wait, m, &best, err);
	if (rc < 0 || !spin_guard_measured(&cr->guard, point, &pr.outcome, cr->deadline))
		return rc;
	bench_point(s);
	bench_setf(s, C_A, "%u", pus[0]);
	bench_setf(s, C_B, "%u", pus[1]);
	bench_set(s, C_RELATION, relation, NULL);
	bench_set(s, C_VARIANT, variant, NULL);
	bench_setf(s, C_ROUNDS, "%" PRIu64, c->rounds);
	bench_set(s, C_WAIT, best->wait, NULL);
	bench_setf(s, C_WAIT_NS, "%.1f", best->wait_ns);
	if (c->wait == WAIT_AUTO)
		bench_setf(s, C_OTHER_NS, "%.1f", other_fastest(m, best));
	bench_samples(s, best->ns, c->repeat, NULL);
	return 0;
}

/* The way of waiting, in the run's settings. */
static void describe_wait(const struct bench_context *ctx, const struct c2c_config *c)
{
	if (c->wait == WAIT_PAUSE)
		rundir_setf(ctx->run, "c2c.wait", "%u spin-wait hints (%.1f ns each here) after each look at the line",
			    c->relax, ctx->clock->pause_ns);
	else if (c->wait == WAIT_NONE)
		rundir_set(ctx->run, "c2c.wait", "looks at the line without pausing");
	else
		rundir_set(ctx->run, "c2c.wait",
			   "each pair measured looking without a pause and with back-offs of a quarter of and a whole such transfer (dependent adds); the fastest kept");
}

static int measure_c2c(const struct bench_context *ctx, const void *config, struct bench_result *r,
		       struct ml_error *err)
{
	const struct c2c_config *c = config;
	bool all = c->pairs_given ? c->pairs == PAIRS_ALL : topo_usable_pus(ctx->topo) <= MATRIX_MAX_PUS;
	struct c2c_run cr = {
		.ctx = ctx, .c = c, .flag = xpages(4096), .ns = xcalloc(NWAYS * (size_t)c->repeat, sizeof(double)),
		.deadline = spin_guard_deadline_ns(c->deadline_s, threads_deadline_ns(2 * c->rounds, TRANSFER_CEILING_NS)),
	};
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	unsigned *used = xcalloc(2 * MAX_PAIRS, sizeof(*used));
	size_t npairs = pairs_choose(ctx->topo, all, pairs, MAX_PAIRS);
	int rc = 0;

	cr.series = bench_series(r, "c2c", NULL, columns, NCCOLUMNS, sample_columns,
				 sizeof(sample_columns) / sizeof(sample_columns[0]));
	rundir_set(ctx->run, "c2c.pairs", all ? "every ordered pair" : "one pair per relation");
	describe_wait(ctx, c);
	if (npairs == 0) {
		progress_note("a core-to-core transfer needs two PUs; mesilab may use one");
		rundir_unavailable(ctx->run, "c2c", "a single usable PU: no pair of cores");
	}
	spin_guard_begin(&cr.guard, ctx, "c2c", pair_pus(pairs, npairs, used), used);
	for (size_t p = 0; p < npairs && rc == 0 && !spin_guard_stopped(&cr.guard); p++) {
		unsigned pus[2] = { pairs[p].a, pairs[p].b };
		struct topo_relation rel;
		char relation[32];

		topo_relation(ctx->topo, pus[0], pus[1], &rel);
		topo_relation_name(&rel, relation, sizeof(relation));
		for (int v = 0; v < 2 && rc == 0 && !spin_guard_stopped(&cr.guard); v++)
			if (c->variants[v])
				rc = measure_variant(&cr, pus, relation, v, err);
	}
	spin_guard_end(&cr.guard);
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "c2c pinning", err->msg);
	bench_heading(r, "core-to-core transfers: one line handed back and forth, one-way time (%s)\n\n",
		      all ? "every ordered pair" : "one pair per relation");
	free(cr.ns);
	free(pairs);
	free(used);
	free(cr.flag);
	return rc;
}

static double scale_c2c(const struct topo *t, char *what, size_t len)
{
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	bool all = topo_usable_pus(t) <= MATRIX_MAX_PUS;
	size_t n = pairs_choose(t, all, pairs, MAX_PAIRS);

	free(pairs);
	snprintf(what, len, "%zu %s%s", n, all ? "ordered pair" : "pair", n == 1 ? "" : "s");
	if (!all)
		snprintf(what + strlen(what), len - strlen(what), ", one per relation");
	return (double)n / 2;
}

const struct benchmark bench_c2c = {
	.name = "c2c",
	.summary = "core-to-core cache-line transfer latency, for every pair or each relation",
	.description =
		"Two threads pinned to PUs A and B hand one cache line back and forth: each\n"
		"waits to see the other's value, then writes its own (a store seen by loads,\n"
		"or a compare-and-swap). The one-way latency is half a round trip. Each pair\n"
		"is measured with a waiting thread that looks at the line without pausing and\n"
		"with ones that back off a quarter of and a whole such transfer between looks\n"
		"(dependent adds, whose cost is known); the fastest is kept and named. A\n"
		"spin-wait hint (PAUSE) is not used by default: its cost varies twentyfold\n"
		"between cores and would be measured along with the transfer.\n",
	.options = options,
	.noptions = NOPTIONS,
	.config_size = sizeof(struct c2c_config),
	.check = check_c2c,
	.measure = measure_c2c,
	.scale = scale_c2c,
};
