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
	[OPT_THREADS] = { "threads", 0, "N", "threads, one counter each (default 2)" },
	[OPT_DISTANCE] = { "distance", 0, "BYTES", "bytes between counters, a power of two from 4 (default 8)" },
	[OPT_ITERATIONS] = { "iterations", 0, "N", "increments per thread (default 10000; 1000 with --quick)" },
	[OPT_ATOMIC] = { "atomic", 0, NULL, "atomic fetch-and-add instead of a load and a store" },
	[OPT_WORK] = { "work", 0, "CYCLES", "other work after each increment (default 0)" },
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
	unsigned threads = (unsigned)cli_uint_option(args, OPT_THREADS, 1, TRACE_MAX_THREADS, 2);
	size_t bytes;
	void *memory;
	int rc;

	run.distance = cli_size_option(args, OPT_DISTANCE, 8);
	if (run.distance < 4 || run.distance > (1 << 20) || (run.distance & (run.distance - 1)))
		cli_usage_error(args, "invalid --distance '%s' (a power of two from 4 to 1M)",
				args->values[OPT_DISTANCE]);
	run.args.width = run.distance < 8 ? 4 : 8;
	run.args.iterations =
		cli_uint_option(args, OPT_ITERATIONS, 1, UINT64_MAX, args->quick ? 1000 : 10000);
	run.args.op = args->values[OPT_ATOMIC] ? COUNTER_ATOMIC : COUNTER_INCREMENT;
	run.args.work = (uint32_t)cli_uint_option(args, OPT_WORK, 0, UINT32_MAX, 0);
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
