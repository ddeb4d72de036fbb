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

static const struct cli_option options[NOPTIONS] = {
	[OPT_SIZE] = { "size", 0, "SIZE", "each thread's buffer (default 64K; 8K with --quick)" },
	[OPT_OP] = { "op", 0, "OP", "read (default), write, copy or stream" },
	[OPT_THREADS] = { "threads", 0, "N", "threads, one buffer each (default 1)" },
	[OPT_PASSES] = { "passes", 0, "N", "passes over the buffer (default 2)" },
};

static const char *const op_names[BW_NOPS] = { "read", "write", "copy", "stream" };

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
	unsigned threads = (unsigned)cli_uint_option(args, OPT_THREADS, 1, TRACE_MAX_THREADS, 1);
	const char *op = args->values[OPT_OP];
	struct bandwidth_run run = { 0 };
	int found = op ? -1 : BW_READ, rc;

	for (int o = 0; op && o < BW_NOPS; o++)
		if (strcmp(op, op_names[o]) == 0)
			found = o;
	if (found < 0)
		cli_usage_error(args, "unknown --op '%s' (expected read, write, copy or stream)", op);
	run.args.op = (enum bandwidth_op)found;
	run.args.bytes = (cli_size_option(args, OPT_SIZE, args->quick ? 8 << 10 : 64 << 10) + 127) / 128 * 128;
	if (run.args.bytes == 0)
		cli_usage_error(args, "--size must be at least 128 bytes");
	run.args.passes = cli_uint_option(args, OPT_PASSES, 1, UINT32_MAX, 2);
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
