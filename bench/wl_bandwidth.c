/* The bandwidth workload: passes of reads, writes, copies or streaming
 * stores over each thread's buffer, recorded 64 bytes at a time. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

#define FIELD(member) CLI_FIELD(struct bandwidth_workload, member)

static const struct cli_option options[] = {
	{ .name = "size", .arg = "SIZE", .type = CLI_SIZE, .def = "64K", .quick = "8K", FIELD(size),
	  .help = "each thread's buffer" },
	{ .name = "op", .arg = "OP", .type = CLI_CHOICE, CLI_CHOICES_OF(bandwidth_op_names), .def = "read", FIELD(op),
	  .help = "read, write, copy or stream" },
	{ .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "1", FIELD(threads),
	  .help = "threads, one buffer each" },
	{ .name = "passes", .arg = "N", .type = CLI_UINT, .min = 1, .max = UINT32_MAX, .def = "2", FIELD(passes),
	  .help = "passes over the buffer" },
};

struct bandwidth_run {
	unsigned char *memory;
	struct bandwidth_args args;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct bandwidth_run *run = arg;
	struct bandwidth_args a = run->args;

	a.buffer = run->memory + thread * run->args.bytes;
	bandwidth_logged(ctx, &a);
}

static void check_bandwidth(const struct cli_args *args, const void *config)
{
	const struct bandwidth_workload *c = config;

	if (c->size == 0)
		cli_usage_error(args, "--size must be at least 128 bytes");
}

static int trace_bandwidth(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
			   struct ml_error *err)
{
	const struct bandwidth_workload *c = config;
	/* Whole 128-byte blocks: a copy moves one half to the other. */
	struct bandwidth_run run = { .args = { .bytes = (c->size + 127) / 128 * 128, .passes = c->passes, .op = c->op } };
	int rc;

	(void)seed;
	run.memory = xpages(c->threads * run.args.bytes);
	h->threads = c->threads;
	rc = trace_generate(path, h, (uintptr_t)run.memory, run_thread, &run, err);
	free(run.memory);
	return rc;
}

const struct workload workload_bandwidth = {
	.name = "bandwidth",
	.summary = "passes of reads, writes, copies or streaming stores over a buffer",
	.description =
		"The kernel of mesilab bench bandwidth, recorded as one 64-byte access per\n"
		"chunk of each vector pass (a copy: a read of the first half, a write of the\n"
		"second).\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct bandwidth_workload),
	.check = check_bandwidth,
	.generate = trace_bandwidth,
	.trace = workload_command,
};
