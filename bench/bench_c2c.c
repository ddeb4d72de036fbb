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

enum { OPT_ROUNDS, OPT_REPEAT, OPT_PAIRS, OPT_VARIANTS, OPT_WAIT, OPT_RELAX, OPT_DEADLINE, NOPTIONS };

static const char *const pairs_names[] = { "all", "sample" };
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

static const struct cli_option options[NOPTIONS] = {
	[OPT_ROUNDS] = { .name = "rounds", .arg = "N", .type = CLI_UINT, .min = 1, .def = "100000", .quick = "20000",
			 .help = "round trips per repetition" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .help = "timed repetitions per pair" },
	[OPT_PAIRS] = { .name = "pairs", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(pairs_names),
			.help = "all (every ordered pair, the default up to 16 PUs) or sample (one pair per relation)" },
	[OPT_VARIANTS] = { .name = "variants", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(variant_names),
			   .help = "store (a store seen by a load) and cas (compare-and-swap), default both" },
	[OPT_WAIT] = { .name = "wait", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(wait_names), .def = "auto",
		       .help = "how a thread waits for the line: auto (without a pause, and with back-offs of a quarter of and a whole such transfer; the fastest kept), none, or pause: --relax spin-wait hints" },
	[OPT_RELAX] = { .name = "relax", .arg = "N", .type = CLI_UINT, .max = 100000, .def = "10",
			.help = "with --wait pause (which it implies): spin-wait hints after each look at the line" },
	[OPT_DEADLINE] = SPIN_GUARD_DEADLINE_OPTION,
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

static int measure(struct bench_context *ctx, const unsigned pus[2], const struct job *j, unsigned repeat,
		   uint64_t deadline, struct measurement *m, struct threads_outcome *outcome,
		   struct ml_error *err)
{
	int rc = 0;

	for (unsigned r = 0; r <= repeat && rc == 0 && !outcome->gave_up; r++) {
		struct threads_outcome o = { false, 0 };
		uint64_t elapsed[2];

		*j->flag = 0;
		rc = threads_run(ctx->topo, 2, pus, run_side, (void *)j, deadline, elapsed, &o, err);
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
static int measure_pair(struct bench_context *ctx, const unsigned pus[2], struct job *j, enum wait_mode mode,
			unsigned repeat, uint64_t deadline, struct measurement *m, struct measurement **best,
			struct threads_outcome *outcome, struct ml_error *err)
{
	double cycles_per_ns = ctx->clock->cycles_per_ns;
	int rc;

	m[0].wait = mode == WAIT_PAUSE ? "pause" : "none";
	m[0].wait_ns = mode == WAIT_PAUSE ? j->relax * ctx->clock->pause_ns : 0;
	j->backoff_cycles = 0;
	if (mode != WAIT_PAUSE)
		j->relax = 0;
	*best = &m[0];
	rc = measure(ctx, pus, j, repeat, deadline, &m[0], outcome, err);
	if (rc < 0 || outcome->gave_up || mode != WAIT_AUTO)
		return rc;
	for (size_t w = 1; w < NWAYS && rc == 0 && !outcome->gave_up; w++) {
		m[w].wait = "backoff";
		j->backoff_cycles = (uint32_t)(backoff_shares[w - 1] * m[0].st.median * cycles_per_ns + 0.5);
		m[w].wait_ns = j->backoff_cycles / cycles_per_ns;
		rc = measure(ctx, pus, j, repeat, deadline, &m[w], outcome, err);
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

static const struct table_column columns[NCCOLUMNS] = {
	[C_A] = { "cpu_a", "from", TABLE_RIGHT },
	[C_B] = { "cpu_b", "to", TABLE_RIGHT },
	[C_RELATION] = { "relation", "relation", TABLE_LEFT },
	[C_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[C_NS] = { "latency_ns", "one-way ns", TABLE_RIGHT },
	[C_CYCLES] = { "latency_cycles", "cycles", TABLE_RIGHT },
	[C_P5] = { "latency_ns_p5", "p5", TABLE_RIGHT },
	[C_P95] = { "latency_ns_p95", "p95", TABLE_RIGHT },
	[C_ROUNDS] = { "round_trips", "round trips", TABLE_RIGHT },
	[C_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
	[C_WAIT] = { "wait", "wait", TABLE_LEFT },
	[C_WAIT_NS] = { "wait_ns", "wait ns", TABLE_RIGHT },
	[C_OTHER_NS] = { "other_wait_latency_ns", "other wait", TABLE_RIGHT },
};

enum { S_A, S_B, S_VARIANT, S_REP, S_NS, S_WAIT, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_A] = { "cpu_a", "from", TABLE_RIGHT },
	[S_B] = { "cpu_b", "to", TABLE_RIGHT },
	[S_VARIANT] = { "variant", "variant", TABLE_LEFT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_NS] = { "latency_ns", "one-way ns", TABLE_RIGHT },
	[S_WAIT] = { "wait", "wait", TABLE_LEFT },
};

static int run_c2c(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	uint64_t rounds = cli_uint(args, OPT_ROUNDS);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	unsigned relax = (unsigned)cli_uint(args, OPT_RELAX);
	/* --relax alone means --wait pause. */
	enum wait_mode wait = cli_given(args, OPT_WAIT) ? (enum wait_mode)cli_choice(args, OPT_WAIT)
			      : cli_given(args, OPT_RELAX) ? WAIT_PAUSE : WAIT_AUTO;
	bool variants[2], all;
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	struct table *t = table_new(columns, NCCOLUMNS), *samples = table_new(sample_columns, NSCOLUMNS);
	double *ns = xcalloc(NWAYS * (size_t)repeat, sizeof(*ns));
	uint64_t *flag = xpages(4096);
	uint64_t deadline = spin_guard_deadline(args, OPT_DEADLINE, threads_deadline_ns(2 * rounds, TRANSFER_CEILING_NS));
	unsigned *used = xcalloc(2 * MAX_PAIRS, sizeof(*used));
	struct spin_guard guard;
	size_t npairs;
	int rc = 0;

	cli_choices(args, OPT_VARIANTS, variants);
	if (cli_given(args, OPT_RELAX) && wait != WAIT_PAUSE)
		cli_usage_error(args, "--relax counts the hints of --wait pause, not of --wait %s", wait_names[wait]);
	all = cli_given(args, OPT_PAIRS) ? cli_choice(args, OPT_PAIRS) == 0 : topo_usable_pus(ctx->topo) <= MATRIX_MAX_PUS;
	rundir_set(ctx->run, "c2c.pairs", all ? "every ordered pair" : "one pair per relation");
	if (wait == WAIT_PAUSE)
		rundir_setf(ctx->run, "c2c.wait", "%u spin-wait hints (%.1f ns each here) after each look at the line",
			    relax, ctx->clock->pause_ns);
	else if (wait == WAIT_NONE)
		rundir_set(ctx->run, "c2c.wait", "looks at the line without pausing");
	else
		rundir_set(ctx->run, "c2c.wait",
			   "each pair measured looking without a pause and with back-offs of a quarter of and a whole such transfer (dependent adds); the fastest kept");
	npairs = pairs_choose(ctx->topo, all, pairs, MAX_PAIRS);
	if (npairs == 0) {
		progress_note("a core-to-core transfer needs two PUs; mesilab may use one");
		rundir_unavailable(ctx->run, "c2c", "a single usable PU: no pair of cores");
	}
	spin_guard_begin(&guard, ctx, "c2c", pair_pus(pairs, npairs, used), used);
	for (size_t p = 0; p < npairs && rc == 0 && !spin_guard_stopped(&guard); p++) {
		unsigned pus[2] = { pairs[p].a, pairs[p].b };
		struct topo_relation rel;
		char relation[32];

		topo_relation(ctx->topo, pus[0], pus[1], &rel);
		topo_relation_name(&rel, relation, sizeof(relation));
		for (int v = 0; v < 2 && rc == 0 && !spin_guard_stopped(&guard); v++) {
			struct job j = { flag, rounds, v == 1, relax, 0 };
			struct threads_outcome outcome = { false, 0 };
			struct measurement m[NWAYS], *best;
			char point[64];

			if (!variants[v])
				continue;
			for (size_t w = 0; w < NWAYS; w++)
				m[w] = (struct measurement){ .ns = ns + w * repeat };
			snprintf(point, sizeof(point), "%u->%u %s", pus[0], pus[1], v ? "cas" : "store");
			progress_update("c2c: %u -> %u (%s), %s", pus[0], pus[1], relation, v ? "cas" : "store");
			rc = measure_pair(ctx, pus, &j, wait, repeat, deadline, m, &best, &outcome, err);
			if (rc < 0 || !spin_guard_measured(&guard, point, &outcome, deadline))
				continue;
			table_add_row(t);
			table_setf(t, C_A, "%u", pus[0]);
			table_setf(t, C_B, "%u", pus[1]);
			table_set(t, C_RELATION, relation, NULL);
			table_set(t, C_VARIANT, v ? "cas" : "store", NULL);
			table_setf(t, C_NS, "%.1f", best->st.median);
			table_setf(t, C_CYCLES, "%.0f", best->st.median * ctx->clock->cycles_per_ns);
			table_setf(t, C_P5, "%.1f", best->st.p5);
			table_setf(t, C_P95, "%.1f", best->st.p95);
			table_setf(t, C_ROUNDS, "%" PRIu64, rounds);
			bench_set_stability(t, C_UNSTABLE, &best->st);
			table_set(t, C_WAIT, best->wait, NULL);
			table_setf(t, C_WAIT_NS, "%.1f", best->wait_ns);
			if (wait == WAIT_AUTO)
				table_setf(t, C_OTHER_NS, "%.1f", other_fastest(m, best));
			for (unsigned r = 0; r < repeat; r++) {
				table_add_row(samples);
				table_setf(samples, S_A, "%u", pus[0]);
				table_setf(samples, S_B, "%u", pus[1]);
				table_set(samples, S_VARIANT, v ? "cas" : "store", NULL);
				table_setf(samples, S_REP, "%u", r);
				table_setf(samples, S_NS, "%.2f", best->ns[r]);
				table_set(samples, S_WAIT, best->wait, NULL);
			}
		}
	}
	progress_done();
	spin_guard_end(&guard);
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "c2c pinning", err->msg);
	if (ctx->out && args->csv) {
		table_print_csv(t, ctx->out);
	} else if (ctx->out && npairs) {
		fprintf(ctx->out, "core-to-core transfers: one line handed back and forth, one-way time (%s)\n\n",
			all ? "every ordered pair" : "one pair per relation");
		table_print_human(t, ctx->out);
	}
	if (rc == 0 && (rundir_save_table(ctx->run, "c2c.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "c2c-samples.csv", samples, err) < 0))
		rc = -1;
	table_free(t);
	table_free(samples);
	free(ns);
	free(pairs);
	free(used);
	free(flag);
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
	.run = run_c2c,
	.scale = scale_c2c,
};
