/* The false-sharing workload: each thread increments its own counter, the
 * counters DISTANCE bytes apart (false sharing when they share a line). */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_THREADS, OPT_DISTANCE, OPT_ITERATIONS, OPT_ATOMIC, OPT_READ_MOSTLY, OPT_WORK, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct falseshare_workload, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_THREADS] = { .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "2",
			  FIELD(threads), .help = "threads, one counter each" },
	[OPT_DISTANCE] = { .name = "distance", .arg = "BYTES", .type = CLI_SIZE, .def = "8", FIELD(distance),
			   .help = "bytes between counters, a power of two from 4" },
	[OPT_ITERATIONS] = { .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "10000", .quick = "1000",
			     FIELD(iterations), .help = "increments per thread" },
	[OPT_ATOMIC] = { .name = "atomic", FIELD(atomic), .help = "atomic fetch-and-add instead of a load and a store" },
	[OPT_READ_MOSTLY] = { .name = "read-mostly", FIELD(read_mostly),
			      .help = "thread 0 increments its counter, the others only read theirs (the benchmark's readmostly)" },
	[OPT_WORK] = { .name = "work", .arg = "CYCLES", .type = CLI_UINT, .max = UINT32_MAX, .def = "0", FIELD(work),
		       .help = "other work after each increment" },
};

struct falseshare_run {
	unsigned char *memory;
	uint64_t distance;
	bool read_mostly;
	struct counter_args args;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct falseshare_run *run = arg;
	struct counter_args a = run->args;

	a.counter = run->memory + thread * run->distance;
	if (run->read_mostly && thread > 0)
		a.op = COUNTER_READ;
	counter_logged(ctx, &a);
}

static void check_falseshare(const struct cli_args *args, const void *config)
{
	const struct falseshare_workload *c = config;

	if (c->distance < 4 || c->distance > (1 << 20) || (c->distance & (c->distance - 1)))
		cli_usage_error(args, "invalid --distance '%s' (a power of two from 4 to 1M)", args->values[OPT_DISTANCE]);
	if (c->atomic && c->read_mostly)
		cli_usage_error(args, "--atomic and --read-mostly are two different variants; choose one");
}

static int trace_falseshare(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
			    struct ml_error *err)
{
	const struct falseshare_workload *c = config;
	struct falseshare_run run = {
		.distance = c->distance,
		.read_mostly = c->read_mostly,
		.args = { .width = c->distance < 8 ? 4 : 8, .iterations = c->iterations,
			  .op = c->atomic ? COUNTER_ATOMIC : COUNTER_INCREMENT, .work = c->work },
	};
	size_t bytes = (c->threads * c->distance + 4095) / 4096 * 4096;
	int rc;

	(void)seed;
	run.memory = xpages(bytes);
	h->threads = c->threads;
	rc = trace_generate(path, h, (uintptr_t)run.memory, run_thread, &run, err);
	free(run.memory);
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
	.config_size = sizeof(struct falseshare_workload),
	.check = check_falseshare,
	.generate = trace_falseshare,
	.trace = workload_command,
};
