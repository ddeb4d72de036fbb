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

enum { OPT_STATES, OPT_OPS, OPT_LINES, OPT_REPEAT, OPT_PAIRS, OPT_DEADLINE, NOPTIONS };

static const char *const pairs_names[] = { "all", "sample" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_STATES] = { .name = "states", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_state_names),
			 .help = "M, E, S, I: the state B leaves the lines in (default all)" },
	[OPT_OPS] = { .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_op_names),
		      .help = "load, store, cas, faa, swap: what A does (default all)" },
	[OPT_LINES] = { .name = "lines", .arg = "N", .type = CLI_UINT, .min = 2, .max = 1 << 20, .def = "256",
			.help = "independent lines per timed batch" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 10000, .def = "31", .quick = "7",
			 .help = "timed batches per state and operation" },
	[OPT_PAIRS] = { .name = "pairs", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(pairs_names), .def = "sample",
			.help = "sample (one pair per relation) or all (every ordered pair)" },
	[OPT_DEADLINE] = SPIN_GUARD_DEADLINE_OPTION,
};

#define MAX_PAIRS 512
/* Lines 128 bytes apart: the adjacent-line prefetcher fetches the unused
 * neighbour, never a line of the set. */
#define LINE_STRIDE 128

struct job {
	struct states_args args;
};

static void run_role(void *arg, struct access_native *ctx)
{
	const struct job *j = arg;
	struct states_args a = j->args;

	a.role = ctx->thread;
	states_native(ctx, &a);
}

/* No access to a line, whatever its state, takes this long on a real
 * machine: a slower round means a thread was not running. */
#define ACCESS_CEILING_NS 5000.0

enum { C_A, C_B, C_C, C_RELATION, C_STATE, C_OP, C_NS, C_CYCLES, C_P5, C_P95, C_ACCESSES, C_UNSTABLE, NCCOLUMNS };

static const struct table_column columns[NCCOLUMNS] = {
	[C_A] = { "cpu_a", "A", TABLE_RIGHT },
	[C_B] = { "cpu_b", "B", TABLE_RIGHT },
	[C_C] = { "cpu_c", "C", TABLE_RIGHT },
	[C_RELATION] = { "relation", "relation", TABLE_LEFT },
	[C_STATE] = { "state", "state", TABLE_LEFT },
	[C_OP] = { "op", "op", TABLE_LEFT },
	[C_NS] = { "latency_ns", "ns/op", TABLE_RIGHT },
	[C_CYCLES] = { "latency_cycles", "cycles", TABLE_RIGHT },
	[C_P5] = { "latency_ns_p5", "p5", TABLE_RIGHT },
	[C_P95] = { "latency_ns_p95", "p95", TABLE_RIGHT },
	[C_ACCESSES] = { "accesses", "accesses", TABLE_RIGHT },
	[C_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
};

enum { S_A, S_B, S_STATE, S_OP, S_REP, S_NS, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_A] = { "cpu_a", "A", TABLE_RIGHT },
	[S_B] = { "cpu_b", "B", TABLE_RIGHT },
	[S_STATE] = { "state", "state", TABLE_LEFT },
	[S_OP] = { "op", "op", TABLE_LEFT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_NS] = { "latency_ns", "ns/op", TABLE_RIGHT },
};

/* The steps to run: the chosen states and operations, less the states
 * this machine cannot produce (said once, on stderr and in the metadata). */
static size_t plan_steps(struct bench_context *ctx, const bool *states, const bool *ops, bool third,
			 struct states_step *steps)
{
	size_t n = 0;

	for (int s = 0; s < LINE_NSTATES; s++) {
		const char *why = NULL;

		if (!states[s])
			continue;
		if (s == LINE_SHARED && !third)
			why = "a line in Shared needs a PU on a third core to share it; the PUs mesilab may use span two cores";
		else if (s != LINE_MODIFIED && !ACCESS_CAN_FLUSH)
			why = "this architecture has no user-level cache-line flush";
		if (why) {
			char what[32];

			progress_note("state %s skipped: %s", line_state_names[s], why);
			snprintf(what, sizeof(what), "states %s", line_state_names[s]);
			rundir_unavailable(ctx->run, what, why);
			continue;
		}
		for (int o = 0; o < LINE_NOPS; o++)
			if (ops[o])
				steps[n++] = (struct states_step){ (enum line_state)s, (enum line_op)o };
	}
	return n;
}

static void add_rows(struct table *t, struct table *samples, const struct bench_context *ctx,
		     const unsigned *pus, unsigned npus, const char *relation,
		     const struct states_step *step, const double *ns, unsigned repeat, size_t lines)
{
	struct stats st;

	stats_compute(ns, repeat, &st);
	table_add_row(t);
	table_setf(t, C_A, "%u", pus[0]);
	table_setf(t, C_B, "%u", pus[1]);
	if (step->state == LINE_SHARED && npus > 2)
		table_setf(t, C_C, "%u", pus[2]);
	else
		table_set(t, C_C, "", "-");
	table_set(t, C_RELATION, relation, NULL);
	table_set(t, C_STATE, line_state_names[step->state], NULL);
	table_set(t, C_OP, line_op_names[step->op], NULL);
	table_setf(t, C_NS, "%.1f", st.median);
	table_setf(t, C_CYCLES, "%.0f", st.median * ctx->clock->cycles_per_ns);
	table_setf(t, C_P5, "%.1f", st.p5);
	table_setf(t, C_P95, "%.1f", st.p95);
	table_setf(t, C_ACCESSES, "%zu", (size_t)repeat * lines);
	bench_set_stability(t, C_UNSTABLE, &st);
	for (unsigned r = 0; r < repeat; r++) {
		table_add_row(samples);
		table_setf(samples, S_A, "%u", pus[0]);
		table_setf(samples, S_B, "%u", pus[1]);
		table_set(samples, S_STATE, line_state_names[step->state], NULL);
		table_set(samples, S_OP, line_op_names[step->op], NULL);
		table_setf(samples, S_REP, "%u", r);
		table_setf(samples, S_NS, "%.2f", ns[r]);
	}
}

static int run_states(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	size_t lines = cli_uint(args, OPT_LINES);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	bool states[LINE_NSTATES], ops[LINE_NOPS], all;
	struct states_step steps[LINE_NSTATES * LINE_NOPS];
	struct pu_pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	struct table *t = table_new(columns, NCCOLUMNS), *samples = table_new(sample_columns, NSCOLUMNS);
	struct job j = { { 0 } };
	uint32_t *order = xcalloc(lines, sizeof(*order));
	double *ns = xcalloc(repeat, sizeof(*ns));
	size_t npairs, nsteps = 0, rounds;
	struct rng rng;
	struct spin_guard guard;
	unsigned *used = xcalloc(topo_usable_pus(ctx->topo) + 1, sizeof(*used));
	int rc = 0;

	cli_choices(args, OPT_STATES, states);
	cli_choices(args, OPT_OPS, ops);
	all = cli_choice(args, OPT_PAIRS) == 0;
	rundir_set(ctx->run, "states.pairs", all ? "every ordered pair" : "one pair per relation");
	npairs = pairs_choose(ctx->topo, all, pairs, MAX_PAIRS);
	if (npairs == 0) {
		progress_note("coherence states need two PUs; mesilab may use one");
		rundir_unavailable(ctx->run, "states", "a single usable PU: no pair of cores");
	}

	/* One random cyclic order of the lines for every batch. */
	rng_seed(&rng, args->seed);
	rng_permutation_u32(&rng, order, lines);
	j.args = (struct states_args){
		.lines = xpages(lines * LINE_STRIDE), .nlines = lines, .stride = LINE_STRIDE,
		.order = order, .phase = xpages(4096), .rounds_per_step = repeat + 1,
	};
	states_chain(&j.args, 0);
	rundir_setf(ctx->run, "states.lines", "%zu lines %d bytes apart per batch", lines, LINE_STRIDE);

	if (npairs)
		nsteps = plan_steps(ctx, states, ops, pairs_have_third_core(ctx->topo), steps);
	for (unsigned i = 0; i < topo_usable_pus(ctx->topo); i++)
		used[i] = topo_usable_pu_at(ctx->topo, i);
	spin_guard_begin(&guard, ctx, "states", npairs && nsteps ? topo_usable_pus(ctx->topo) : 0, used);
	for (size_t p = 0; p < npairs && nsteps && rc == 0 && !spin_guard_stopped(&guard); p++) {
		unsigned pus[3] = { pairs[p].a, pairs[p].b, 0 }, npus = 2;
		struct topo_relation rel;
		struct threads_outcome outcome;
		char relation[32], point[64];
		uint64_t elapsed[3], deadline;
		bool same_relation, shared = false, measured;

		for (size_t s = 0; s < nsteps; s++)
			shared |= steps[s].state == LINE_SHARED;
		if (shared && pairs_third(ctx->topo, &pairs[p], &pus[2], &same_relation) == 0) {
			npus = 3;
			if (!same_relation) {
				char what[64], why[160], other[32];
				struct topo_relation c_rel;

				topo_relation(ctx->topo, pus[0], pus[2], &c_rel);
				snprintf(what, sizeof(what), "states S %u<-%u", pus[0], pus[1]);
				snprintf(why, sizeof(why),
					 "no PU on a third core stands to A as B does: C=%u is %s to A", pus[2],
					 topo_relation_name(&c_rel, other, sizeof(other)));
				rundir_unavailable(ctx->run, what, why);
			}
		}
		topo_relation(ctx->topo, pus[0], pus[1], &rel);
		topo_relation_name(&rel, relation, sizeof(relation));
		snprintf(point, sizeof(point), "%u<-%u", pus[0], pus[1]);
		progress_update("states: %u <- %u (%s), %zu states x operations", pus[0], pus[1], relation, nsteps);
		j.args.steps = steps;
		j.args.nsteps = nsteps;
		rounds = nsteps * (repeat + 1);
		j.args.elapsed_ns = xcalloc(rounds, sizeof(uint64_t));
		*j.args.phase = 0;
		deadline = spin_guard_deadline(args, OPT_DEADLINE, threads_deadline_ns(2 * rounds * lines, ACCESS_CEILING_NS));
		rc = threads_run(ctx->topo, npus, pus, run_role, &j, deadline, elapsed, &outcome, err);
		measured = rc == 0 && spin_guard_measured(&guard, point, &outcome, deadline);
		for (size_t s = 0; s < nsteps && measured; s++) {
			/* Round r runs step r % nsteps; the first of each is a warm-up. */
			for (unsigned r = 0; r < repeat; r++)
				ns[r] = (double)j.args.elapsed_ns[(r + 1) * nsteps + s] / (double)lines;
			add_rows(t, samples, ctx, pus, npus, relation, &steps[s], ns, repeat, lines);
		}
		free(j.args.elapsed_ns);
	}
	progress_done();
	spin_guard_end(&guard);
	if (rc == 0 && err->msg[0])
		rundir_unavailable(ctx->run, "states pinning", err->msg);
	if (ctx->out && args->csv) {
		table_print_csv(t, ctx->out);
	} else if (ctx->out && table_rows(t)) {
		fprintf(ctx->out,
			"coherence-state costs: B (and C for S) leaves %zu lines in a state, A operates on\n"
			"each; median of %u batches. A store is followed by a fence so that its time\n"
			"includes getting the line; loads follow a dependent chain.\n\n",
			lines, repeat);
		table_print_human(t, ctx->out);
	}
	if (rc == 0 && (rundir_save_table(ctx->run, "states.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "states-samples.csv", samples, err) < 0))
		rc = -1;
	table_free(t);
	table_free(samples);
	free(ns);
	free(order);
	free(pairs);
	free(used);
	free(j.args.lines);
	free(j.args.phase);
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
	.noptions = NOPTIONS,
	.run = run_states,
	.scale = scale_states,
};
