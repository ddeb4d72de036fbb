/* The false-sharing workload: each thread increments its own counter, the
 * counters DISTANCE bytes apart (false sharing when they share a line). */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_THREADS, OPT_DISTANCE, OPT_ITERATIONS, OPT_ATOMIC, OPT_WORK, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_THREADS] = { .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "2",
			  .help = "threads, one counter each" },
	[OPT_DISTANCE] = { .name = "distance", .arg = "BYTES", .type = CLI_SIZE, .def = "8",
			   .help = "bytes between counters, a power of two from 4" },
	[OPT_ITERATIONS] = { .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "10000", .quick = "1000",
			     .help = "increments per thread" },
	[OPT_ATOMIC] = { .name = "atomic", .help = "atomic fetch-and-add instead of a load and a store" },
	[OPT_WORK] = { .name = "work", .arg = "CYCLES", .type = CLI_UINT, .max = UINT32_MAX, .def = "0",
		       .help = "other work after each increment" },
};

struct falseshare_run {
	unsigned char *memory;
	uint64_t distance;
	struct counter_args args;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct falseshare_run *run = arg;
	struct counter_args a = run->args;

	a.counter = run->memory + thread * run->distance;
	counter_logged(ctx, &a);
}

static int trace_falseshare(const struct cli_args *args, struct trace_header *h, const char *path,
			  struct ml_error *err)
{
	struct falseshare_run run;
	unsigned threads = (unsigned)cli_uint(args, OPT_THREADS);
	size_t bytes;
	void *memory;
	int rc;

	run.distance = cli_size(args, OPT_DISTANCE);
	if (run.distance < 4 || run.distance > (1 << 20) || (run.distance & (run.distance - 1)))
		cli_usage_error(args, "invalid --distance '%s' (a power of two from 4 to 1M)",
				args->values[OPT_DISTANCE]);
	run.args.width = run.distance < 8 ? 4 : 8;
	run.args.iterations = cli_uint(args, OPT_ITERATIONS);
	run.args.op = cli_given(args, OPT_ATOMIC) ? COUNTER_ATOMIC : COUNTER_INCREMENT;
	run.args.work = (uint32_t)cli_uint(args, OPT_WORK);
	bytes = (threads * run.distance + 4095) / 4096 * 4096;
	memory = xpages(bytes);
	run.memory = memory;
	h->threads = threads;
	rc = trace_generate(path, h, (uintptr_t)memory, run_thread, &run, err);
	free(memory);
	return rc;
}

const struct workload workload_falseshare = {
	.name = "falseshare",
	.summary = "each thread increments its own counter, the counters DISTANCE bytes apart",
	.description =
		"Counters closer than a cache line share it: every increment then takes the\n"
		"line from the other threads (false sharing). The kernel of the false-sharing\n"
		"benchmark.\n",
	.options = options,
	.noptions = NOPTIONS,
	.trace = trace_falseshare,
};
