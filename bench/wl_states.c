/* The coherence-states workload: B (and C) leave lines in a state, A
 * operates on them, round after round, as 'mesilab bench states' does. */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "rng.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_STATES, OPT_OPS, OPT_LINES, OPT_REPEAT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_STATES] = { .name = "states", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_state_names),
			 .help = "M, E, S, I (default all)" },
	[OPT_OPS] = { .name = "ops", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(line_op_names),
		      .help = "load, store, cas, faa, swap (default all)" },
	[OPT_LINES] = { .name = "lines", .arg = "N", .type = CLI_UINT, .min = 2, .max = 1 << 16, .def = "64", .quick = "16",
			.help = "lines per round" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "3", .quick = "1",
			 .help = "rounds per state and operation after a warm-up one" },
};

#define LINE_STRIDE 128

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	struct states_args a = *(const struct states_args *)arg;

	a.role = thread;
	states_logged(ctx, &a);
}

static int trace_states(const struct cli_args *args, struct trace_header *h, const char *path,
			struct ml_error *err)
{
	bool states[LINE_NSTATES], ops[LINE_NOPS];
	struct states_step steps[LINE_NSTATES * LINE_NOPS];
	size_t nsteps = 0, lines = cli_uint(args, OPT_LINES);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	uint32_t *order = xcalloc(lines, sizeof(*order));
	struct states_args a;
	struct rng rng;
	size_t rounds, region;
	int rc;

	cli_choices(args, OPT_STATES, states);
	cli_choices(args, OPT_OPS, ops);
	for (int s = 0; s < LINE_NSTATES; s++)
		for (int o = 0; o < LINE_NOPS; o++)
			if (states[s] && ops[o])
				steps[nsteps++] = (struct states_step){ (enum line_state)s, (enum line_op)o };
	rng_seed(&rng, args->seed);
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
	h->threads = states[LINE_SHARED] ? 3 : 2;
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
	.noptions = NOPTIONS,
	.trace = trace_states,
};
