/* The coherence-states workload: B (and C) leave lines in a state, A
 * operates on them, round after round, as 'mesilab bench states' does. */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "rng.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

#define FIELD(member) CLI_FIELD(struct states_workload, member)

static const struct cli_option options[] = {
	{ .name = "states", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_state_names), FIELD(states),
	  .help = "M, E, S, I, SA (default all)" },
	{ .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_op_names), FIELD(ops),
	  .help = "load, store, cas, faa, swap (default all)" },
	{ .name = "lines", .arg = "N", .type = CLI_UINT, .min = 2, .max = 1 << 16, .def = "64", .quick = "16",
	  FIELD(lines), .help = "lines per round" },
	{ .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "3", .quick = "1", FIELD(repeat),
	  .help = "rounds per state and operation after a warm-up one" },
};

#define LINE_STRIDE 128

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	struct states_args a = *(const struct states_args *)arg;

	a.role = thread;
	states_logged(ctx, &a);
}

static int trace_states(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
			struct ml_error *err)
{
	const struct states_workload *c = config;
	struct states_step steps[LINE_NSTATES * LINE_NOPS];
	size_t nsteps = 0, lines = c->lines;
	unsigned repeat = c->repeat;
	uint32_t *order = xcalloc(lines, sizeof(*order));
	struct states_args a;
	struct rng rng;
	size_t rounds, region;
	int rc;

	for (int s = 0; s < LINE_NSTATES; s++)
		for (int o = 0; o < LINE_NOPS; o++)
			if (c->states[s] && c->ops[o] && states_step_measures((enum line_state)s, (enum line_op)o))
				steps[nsteps++] = (struct states_step){ (enum line_state)s, (enum line_op)o };
	rng_seed(&rng, seed ? *seed : 0);
	rng_permutation_u32(&rng, order, lines);
	rounds = nsteps * (repeat + 1);
	region = rounds * lines * LINE_STRIDE;
	/* Every round on lines never touched before: the trace's flush. */
	a = (struct states_args){
		.steps = steps, .nsteps = nsteps, .rounds_per_step = repeat + 1,
		.lines = xpages(region + 4096), .nlines = lines, .stride = LINE_STRIDE,
		.order = order, .fresh = true,
		.elapsed_ns = xcalloc(rounds, sizeof(uint64_t)),
	};
	/* The phase word on its own page after the lines, so that the trace's
	 * addresses, relative to the lines, stay small. */
	a.phase = (uint64_t *)(a.lines + region);
	for (size_t r = 0; r < rounds; r++)
		states_chain(&a, r);
	h->threads = c->states[LINE_SHARED] ? 3 : 2;
	rc = trace_generate_lockstep(path, h, (uintptr_t)a.lines, run_thread, &a, err);
	free(a.lines);
	free(a.elapsed_ns);
	free(order);
	return rc;
}

const struct workload workload_states = {
	.name = "states",
	.summary = "B (and C) leave lines Modified, Exclusive, Shared or Invalid; A operates on them",
	.description =
		"The kernel of 'mesilab bench states'. Thread 1 (B) leaves a set of lines in a\n"
		"state, thread 2 (C) shares them for S, thread 0 (A) then loads, stores,\n"
		"compares-and-swaps, adds or swaps each. A trace cannot flush a line, so each\n"
		"round uses lines never touched before: a simulated machine, like the flushed\n"
		"native one, finds them in memory only. The threads run in lock step, one\n"
		"access each in turn.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct states_workload),
	.generate = trace_states,
	.trace = workload_command,
};
