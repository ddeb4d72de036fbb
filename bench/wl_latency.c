/* The pointer-chase workload: dependent loads around one random cycle. */
#include <config.h>

#include "chase_set.h"
#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"

enum { OPT_SIZE, OPT_STRIDE, OPT_STEPS, OPT_THREADS, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_SIZE] = { .name = "size", .arg = "SIZE", .type = CLI_SIZE, .def = "64K", .quick = "16K", .help = "working set" },
	[OPT_STRIDE] = { .name = "stride", .arg = "BYTES", .type = CLI_UINT, .min = 8, .max = 1 << 20, .def = "64",
			 .help = "distance between nodes, a multiple of 8" },
	[OPT_STEPS] = { .name = "steps", .arg = "N", .type = CLI_UINT, .min = 1,
			.help = "loads per thread (default: twice around the cycle)" },
	[OPT_THREADS] = { .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "1",
			  .help = "threads chasing the same cycle from evenly spaced nodes" },
};

struct chase_run {
	struct chase_set set;
	uint64_t steps;
	unsigned threads;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct chase_run *run = arg;
	struct chase_args a = {
		.start = chase_set_node(&run->set, thread * run->set.nodes / run->threads),
		.steps = run->steps,
	};

	chase_logged(ctx, &a);
}

static int trace_chase(const struct cli_args *args, struct trace_header *h, const char *path,
		       struct ml_error *err)
{
	struct chase_run run;
	uint64_t size = cli_size(args, OPT_SIZE);
	uint64_t stride = cli_uint(args, OPT_STRIDE);
	int rc;

	run.threads = (unsigned)cli_uint(args, OPT_THREADS);
	if (chase_set_build(&run.set, size, stride, args->seed_given ? args->seed : 1, err) < 0)
		return -1;
	run.steps = cli_given(args, OPT_STEPS) ? cli_uint(args, OPT_STEPS) : 2 * run.set.nodes;
	h->threads = run.threads;
	rc = trace_generate(path, h, (uintptr_t)run.set.memory, run_thread, &run, err);
	chase_set_free(&run.set);
	return rc;
}

const struct workload workload_latency = {
	.name = "latency",
	.summary = "pointer chasing around one random cycle of a working set",
	.description =
		"Each load reads the address of the next node; the nodes form one random\n"
		"cycle through the whole working set (the kernel of mesilab bench latency).\n",
	.options = options,
	.noptions = NOPTIONS,
	.trace = trace_chase,
};
