/* The pointer-chase workload: dependent loads around one random cycle. */
#include <config.h>

#include "chase_set.h"
#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"

#define FIELD(member) CLI_FIELD(struct latency_workload, member)

static const struct cli_option options[] = {
	{ .name = "size", .arg = "SIZE", .type = CLI_SIZE, .def = "64K", .quick = "16K", FIELD(size), .help = "working set" },
	{ .name = "stride", .arg = "BYTES", .type = CLI_UINT, .min = 8, .max = 1 << 20, .def = "64", FIELD(stride),
	  .help = "distance between nodes, a multiple of 8" },
	{ .name = "steps", .arg = "N", .type = CLI_UINT, .min = 1, FIELD(steps),
	  .help = "loads per thread (default: twice around the cycle)" },
	{ .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "1", FIELD(threads),
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

static int trace_chase(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
		       struct ml_error *err)
{
	const struct latency_workload *c = config;
	struct chase_run run = { .threads = c->threads };
	int rc;

	if (chase_set_build(&run.set, c->size, c->stride, seed ? *seed : 1, err) < 0)
		return -1;
	run.steps = c->steps ? c->steps : 2 * run.set.nodes;
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
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct latency_workload),
	.generate = trace_chase,
	.trace = workload_command,
};
