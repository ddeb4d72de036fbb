/* The pointer-chase workload: dependent loads around one random cycle. */
#include <config.h>

#include "chase_set.h"
#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"

enum { OPT_SIZE, OPT_STRIDE, OPT_STEPS, OPT_THREADS, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_SIZE] = { "size", 0, "SIZE", "working set (default 64K; 16K with --quick)" },
	[OPT_STRIDE] = { "stride", 0, "BYTES", "distance between nodes, a multiple of 8 (default 64)" },
	[OPT_STEPS] = { "steps", 0, "N", "loads per thread (default: twice around the cycle)" },
	[OPT_THREADS] = { "threads", 0, "N", "threads chasing the same cycle from evenly spaced nodes (default 1)" },
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
	uint64_t size = cli_size_option(args, OPT_SIZE, args->quick ? 16 << 10 : 64 << 10);
	uint64_t stride = cli_uint_option(args, OPT_STRIDE, 8, 1 << 20, 64);
	int rc;

	run.threads = (unsigned)cli_uint_option(args, OPT_THREADS, 1, TRACE_MAX_THREADS, 1);
	if (chase_set_build(&run.set, size, stride, args->seed_given ? args->seed : 1, err) < 0)
		return -1;
	run.steps = cli_uint_option(args, OPT_STEPS, 1, UINT64_MAX, 2 * run.set.nodes);
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
