/* 'mesilab bench states': what an operation costs on a line another core
 * has just left Modified, Exclusive, Shared or Invalid. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kernels.h"
#include "pairs.h"
#include "progress.h"
#include "spin_guard.h"
#include "rng.h"
#include "threads.h"
#include "xalloc.h"

enum pairs_mode { PAIRS_ALL, PAIRS_SAMPLE };
static const char *const pairs_names[] = { [PAIRS_ALL] = "all", [PAIRS_SAMPLE] = "sample" };

struct states_config {
	bool states[LINE_NSTATES], ops[LINE_NOPS];
	unsigned lines, repeat;
	enum pairs_mode pairs;
	double deadline_s; /* 0: from the work */
};

#define FIELD(member) CLI_FIELD(struct states_config, member)

static const struct cli_option options[] = {
	{ .name = "states", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_state_names), FIELD(states),
	  .help = "M, E, S, I, SA (shared by B and A): the state the lines are in (default all)" },
	{ .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_op_names), FIELD(ops),
	  .help = "load, store, cas, faa, swap: what A does (default all)" },
	{ .name = "lines", .arg = "N", .type = CLI_UINT, .min = 2, .max = 1 << 20, .def = "256", FIELD(lines),
	  .help = "independent lines per timed batch" },
	{ .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 10000, .def = "31", .quick = "7", .full = "101",
	  FIELD(repeat), .help = "timed batches per state and operation" },
	{ .name = "pairs", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(pairs_names), .def = "sample", FIELD(pairs),
	  .help = "sample (one pair per relation) or all (every ordered pair)" },
	SPIN_GUARD_DEADLINE_ROW(struct states_config),
};

#define MAX_PAIRS 512
/* Lines 128 bytes apart: the adjacent-line prefetcher fetches the unused
 * neighbour, never a line of the set. */
#define LINE_STRIDE 128
/* No access to a line, whatever its state, takes this long on a real
 * machine: a slower round means a thread was not running. */
#define ACCESS_CEILING_NS 5000.0

static void run_role(void *arg, struct access_native *ctx)
{
	struct states_args a = *(const struct states_args *)arg;

	a.role = ctx->thread;
	states_native(ctx, &a);
}

enum { C_A, C_B, C_C, C_RELATION, C_STATE, C_OP, C_NS, C_CYCLES, C_P5, C_P95, C_ACCESSES, C_UNSTABLE, NCCOLUMNS };

static const struct bench_column columns[NCCOLUMNS] = {
	[C_A] = BENCH_KEY("cpu_a", "A", TABLE_RIGHT),
	[C_B] = BENCH_KEY("cpu_b", "B", TABLE_RIGHT),
	[C_C] = BENCH_KEY("cpu_c", "C", TABLE_RIGHT),
	[C_RELATION] = BENCH_KEY("relation", "relation", TABLE_LEFT),
	[C_STATE] = BENCH_KEY("state", "state", TABLE_LEFT),
	[C_OP] = BENCH_KEY("op", "op", TABLE_LEFT),
	[C_NS] = BENCH_STAT("latency_ns", "ns/op", FROM_MEDIAN, "%.1f"),
	[C_CYCLES] = BENCH_STAT("latency_cycles", "cycles", FROM_CYCLES, "%.0f"),
	[C_P5] = BENCH_STAT("latency_ns_p5", "p5", FROM_P5, "%.1f"),
	[C_P95] = BENCH_STAT("latency_ns_p95", "p95", FROM_P95, "%.1f"),
	[C_ACCESSES] = BENCH_KEY("accesses", "accesses", TABLE_RIGHT),
	[C_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("cpu_a", "A", TABLE_RIGHT),
	BENCH_KEY("cpu_b", "B", TABLE_RIGHT),
	BENCH_KEY("state", "state", TABLE_LEFT),
	BENCH_KEY("op", "op", TABLE_LEFT),
	BENCH_REP,
	BENCH_SAMPLE("latency_ns", "ns/op", "%.2f"),
};

/* A measurement under way: the configuration, the kernel's arguments and
 * the steps, and where the points go. */
struct states_run {
	const struct bench_context *ctx;
	const struct states_config *c;
	struct states_args args;
	struct states_step steps[LINE_NSTATES * LINE_NOPS];
	size_t nsteps;
	bool shared; /* a step leaves lines Shared: a third PU takes part */
	double *ns;  /* a step's repetitions */
	struct spin_guard guard;
	struct bench_series *series;
};

/* The steps to run: the chosen states and operations, less the states
 * this machine cannot produce (said once, on stderr and in the metadata). */
static void plan_steps(struct states_run *sr)
{
	bool third = pairs_have_third_core(sr->ctx->topo);

	for (int s = 0; s < LINE_NSTATES; s++) {
		const char *why = NULL;

		if (!sr->c->states[s])
			continue;
		if (s == LINE_SHARED && !third)
			why = "a line in Shared needs a PU on a third core to share it; the PUs mesilab may use span two cores";
		else if (s != LINE_MODIFIED && !ACCESS_CAN_FLUSH)
			why = "this architecture has no user-level cache-line flush";
		if (why) {
			char what[32];

			progress_note("state %s skipped: %s", line_state_names[s], why);
			snprintf(what, sizeof(what), "states %s", line_state_names[s]);
			rundir_unavailable(sr->ctx->run, what, why);
			continue;
		}
		for (int o = 0; o < LINE_NOPS; o++)
			if (sr->c->ops[o] && states_step_measures((enum line_state)s, (enum line_op)o))
				sr->steps[sr->nsteps++] = (struct states_step){ (enum line_state)s, (enum line_op)o };
		sr->shared |= s == LINE_SHARED;
	}
}

static void add_point(struct states_run *sr, const unsigned *pus, unsigned npus, const char *relation,
		      const struct states_step *step)
{
	struct bench_series *s = sr->series;

	bench_point(s);
	bench_setf(s, C_A, "%u", pus[0]);
	bench_setf(s, C_B, "%u", pus[1]);
	if (step->state == LINE_SHARED && npus > 2)
		bench_setf(s, C_C, "%u", pus[2]);
	else
		bench_set(s, C_C, "", "-");
	bench_set(s, C_RELATION, relation, NULL);
	bench_set(s, C_STATE, line_state_names[step->state], NULL);
	bench_set(s, C_OP, line_op_names[step->op], NULL);
	bench_setf(s, C_ACCESSES, "%zu", (size_t)sr->c->repeat * sr->c->lines);
	bench_samples(s, sr->ns, sr->c->repeat, NULL);
}

/* C for the Shared state: a third PU, preferably one that stands to A as
 * B does (said in the run when none does). Returns the PUs taking part. */
static unsigned third_pu(struct states_run *sr, unsigned *pus)
{
	const struct topo *t = sr->ctx->topo;
	struct pu_pair pair = { pus[0], pus[1] };
	bool same_relation;

	if (!sr->shared || pairs_third(t, &pair, &pus[2], &same_relation) < 0)
		return 2;
	if (!same_relation) {
		char what[64], why[160], other[32];
		struct topo_relation c_rel;

		topo_relation(t, pus[0], pus[2], &c_rel);
		snprintf(what, sizeof(what), "states S %u<-%u", pus[0], pus[1]);
		snprintf(why, sizeof(why), "no PU on a third core stands to A as B does: C=%u is %s to A", pus[2],
			 topo_relation_name(&c_rel, other, sizeof(other)));
		rundir_unavailable(sr->ctx->run, what, why);
	}
	return 3;
}

/* Every step for one pair: round r runs step r % nsteps, the first round
 * of each a warm-up. */
static int measure_pair(struct states_run *sr, const struct pu_pair *pair, struct ml_error *err)
{
	const struct bench_context *ctx = sr->ctx;
	unsigned pus[3] = { pair->a, pair->b, 0 }, npus = third_pu(sr, pus), repeat = sr->c->repeat;
	size_t lines = sr->c->lines, rounds = sr->nsteps * (repeat + 1);
	uint64_t elapsed[3], deadline = spin_guard_deadline_ns(sr->c->deadline_s,
							       threads_deadline_ns(2 * rounds * lines, ACCESS_CEILING_NS));
	struct topo_relation rel;
	struct threads_outcome outcome;
	char relation[32], point[64];
	int rc;

	topo_relation(ctx->topo, pus[0], pus[1], &rel);
	topo_relation_name(&rel, relation, sizeof(relation));
	snprintf(point, sizeof(point), "%u<-%u", pus[0], pus[1]);
	bench_progress(ctx, "%u <- %u (%s), %zu states x operations", pus[0], pus[1], relation, sr->nsteps);
	sr->args.elapsed_ns = xcalloc(rounds, sizeof(uint64_t));
	*sr->args.phase = 0;
	rc = threads_run(ctx->topo, npus, pus, run_role, &sr->args, deadline, elapsed, &outcome, err);
	if (rc == 0 && spin_guard_measured(&sr->guard, point, &outcome, deadline))
		for (size_t s = 0; s < sr->nsteps; s++) {
			for (unsigned r = 0; r < repeat; r++)
				sr->ns[r] = (double)sr->args.elapsed_ns[(r + 1) * sr->nsteps + s] / (double)lines;
			add_point(sr, pus, npus, relation, &sr->steps[s]);
		}
	free(sr->args.elapsed_ns);
	return rc;
}

static int measure_states(const struct bench_context *ctx, const void *config, struct bench_result *r,
			  struct ml_error *err)
{
	const struct states_config *c = config;
	struct states_run sr = { .ctx = ctx, .c = c, .ns = xcalloc(c->repeat, sizeof(double)) };
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	uint32_t *order = xcalloc(c->lines, sizeof(*order));
	unsigned *used = xcalloc(topo_usable_pus(ctx->topo) + 1, sizeof(*used));
	size_t npairs = pairs_choose(ctx->topo, c->pairs == PAIRS_ALL, pairs, MAX_PAIRS);
	struct rng rng;
	int rc = 0;

	sr.series = bench_series(r, "states", NULL, columns, NCCOLUMNS, sample_columns,
				 sizeof(sample_columns) / sizeof(sample_columns[0]));
	rundir_set(ctx->run, "states.pairs", c->pairs == PAIRS_ALL ? "every ordered pair" : "one pair per relation");
	if (npairs == 0) {
		progress_note("coherence states need two PUs; mesilab may use one");
		rundir_unavailable(ctx->run, "states", "a single usable PU: no pair of cores");
	}
	/* One random cyclic order of the lines for every batch. */
	rng_seed(&rng, ctx->seed);
	rng_permutation_u32(&rng, order, c->lines);
	sr.args = (struct states_args){
		.lines = xpages((size_t)c->lines * LINE_STRIDE), .nlines = c->lines, .stride = LINE_STRIDE,
		.order = order, .phase = xpages(4096), .rounds_per_step = c->repeat + 1,
	};
	states_chain(&sr.args, 0);
	rundir_setf(ctx->run, "states.lines", "%u lines %d bytes apart per batch", c->lines, LINE_STRIDE);
	if (npairs)
		plan_steps(&sr);
	sr.args.steps = sr.steps;
	sr.args.nsteps = sr.nsteps;
	for (unsigned i = 0; i < topo_usable_pus(ctx->topo); i++)
		used[i] = topo_usable_pu_at(ctx->topo, i);
	spin_guard_begin(&sr.guard, ctx, "states", npairs && sr.nsteps ? topo_usable_pus(ctx->topo) : 0, used);
	for (size_t p = 0; p < npairs && sr.nsteps && rc == 0 && !spin_guard_stopped(&sr.guard); p++)
		rc = measure_pair(&sr, &pairs[p], err);
	spin_guard_end(&sr.guard);
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "states pinning", err->msg);
	bench_heading(r,
		      "coherence-state costs: B (and C for S) leaves %u lines in a state, A operates on\n"
		      "each (SA: B and A share them, A's store is an upgrade); median of %u batches. A\n"
		      "store is followed by a fence so that its time includes getting the line; loads\n"
		      "follow a dependent chain.\n\n",
		      c->lines, c->repeat);
	free(sr.ns);
	free(order);
	free(pairs);
	free(used);
	free(sr.args.lines);
	free(sr.args.phase);
	return rc;
}

static double scale_states(const struct topo *t, char *what, size_t len)
{
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	size_t n = pairs_choose(t, false, pairs, MAX_PAIRS);

	free(pairs);
	snprintf(what, len, "%zu pair%s, one per relation", n, n == 1 ? "" : "s");
	return (double)n;
}

const struct benchmark bench_states = {
	.name = "states",
	.summary = "the cost of load, store, CAS, FAA and swap on a line left M, E, S or I by another core",
	.description =
		"In each round core B leaves a set of lines Modified (it wrote them), Exclusive\n"
		"(it read them alone, after a flush), Shared (B and a third core C read them)\n"
		"or Invalid (flushed to memory); then core A times one operation on every line\n"
		"of the set. Many independent lines per batch, visited in a random order, make\n"
		"every timed access find its line in the intended state. Shared needs a third\n"
		"PU and is skipped, with a message, where there is none.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct states_config),
	.measure = measure_states,
	.scale = scale_states,
};
