/* The bandwidth workload: passes of reads, writes, copies or streaming
 * stores over each thread's buffer, recorded 64 bytes at a time. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_SIZE, OPT_OP, OPT_THREADS, OPT_PASSES, NOPTIONS };

static const char *const op_names[BW_NOPS] = { "read", "write", "copy", "stream" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_SIZE] = { .name = "size", .arg = "SIZE", .type = CLI_SIZE, .def = "64K", .quick = "8K",
		       .help = "each thread's buffer" },
	[OPT_OP] = { .name = "op", .arg = "OP", .type = CLI_CHOICE, CLI_CHOICES_OF(op_names), .def = "read",
		     .help = "read, write, copy or stream" },
	[OPT_THREADS] = { .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "1",
			  .help = "threads, one buffer each" },
	[OPT_PASSES] = { .name = "passes", .arg = "N", .type = CLI_UINT, .min = 1, .max = UINT32_MAX, .def = "2",
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

static int trace_bandwidth(const struct cli_args *args, struct trace_header *h, const char *path,
			   struct ml_error *err)
{
	unsigned threads = (unsigned)cli_uint(args, OPT_THREADS);
	struct bandwidth_run run = { 0 };
	int rc;

	run.args.op = (enum bandwidth_op)cli_choice(args, OPT_OP);
	run.args.bytes = (cli_size(args, OPT_SIZE) + 127) / 128 * 128;
	if (run.args.bytes == 0)
		cli_usage_error(args, "--size must be at least 128 bytes");
	run.args.passes = cli_uint(args, OPT_PASSES);
	run.memory = xpages(threads * run.args.bytes);
	h->threads = threads;
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
	.noptions = NOPTIONS,
	.trace = trace_bandwidth,
};
