/* The mix workload: random accesses, mostly to a private hot region, the
 * rest to a large shared region: a controllable miss rate, for replaying
 * at scale (it is what 'make bench-sim' simulates). */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_THREADS, OPT_ACCESSES, OPT_HOT, OPT_COLD, OPT_HOT_SHARE, OPT_WRITES, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_THREADS] = { .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "4",
			  .help = "threads" },
	[OPT_ACCESSES] = { .name = "accesses", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000000", .quick = "10000",
			   .help = "accesses per thread" },
	[OPT_HOT] = { .name = "hot", .arg = "SIZE", .type = CLI_SIZE, .def = "16K", .help = "each thread's hot region" },
	[OPT_COLD] = { .name = "cold", .arg = "SIZE", .type = CLI_SIZE, .def = "64M", .help = "the shared cold region" },
	[OPT_HOT_SHARE] = { .name = "hot-share", .arg = "PERMILLE", .type = CLI_UINT, .max = 1000, .def = "900",
			    .help = "accesses to the hot region, per thousand" },
	[OPT_WRITES] = { .name = "writes", .arg = "PERMILLE", .type = CLI_UINT, .max = 1000, .def = "300",
			 .help = "stores, per thousand accesses" },
};

struct mix_run {
	unsigned char *memory;
	struct mix_args args;
	uint64_t hot_bytes;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct mix_run *run = arg;
	struct mix_args a = run->args;

	a.hot = (uint64_t *)(run->memory + thread * run->hot_bytes);
	a.seed = run->args.seed * 1000003u + thread;
	mix_logged(ctx, &a);
}

static int trace_mix(const struct cli_args *args, struct trace_header *h, const char *path,
		     struct ml_error *err)
{
	unsigned threads = (unsigned)cli_uint(args, OPT_THREADS);
	uint64_t cold = cli_size(args, OPT_COLD);
	struct mix_run run;
	size_t bytes;
	void *memory;
	int rc;

	run.hot_bytes = (cli_size(args, OPT_HOT) + 63) / 64 * 64;
	if (run.hot_bytes == 0 || cold < 8)
		cli_usage_error(args, "--hot and --cold must hold at least one word");
	run.args.hot_words = run.hot_bytes / 8;
	run.args.cold_words = cold / 8;
	run.args.accesses = cli_uint(args, OPT_ACCESSES);
	run.args.hot_permille = (unsigned)cli_uint(args, OPT_HOT_SHARE);
	run.args.write_permille = (unsigned)cli_uint(args, OPT_WRITES);
	run.args.seed = args->seed_given ? args->seed : 1;
	bytes = threads * run.hot_bytes + run.args.cold_words * 8;
	memory = xpages(bytes);
	run.memory = memory;
	run.args.cold = (uint64_t *)(run.memory + threads * run.hot_bytes);
	h->threads = threads;
	rc = trace_generate(path, h, (uintptr_t)memory, run_thread, &run, err);
	free(memory);
	return rc;
}

const struct workload workload_mix = {
	.name = "mix",
	.summary = "random accesses, mostly to a private hot region: a chosen miss rate",
	.description =
		"Each thread makes random 8-byte loads and stores, most of them to a hot\n"
		"region of its own, the others anywhere in a large region all threads share.\n",
	.options = options,
	.noptions = NOPTIONS,
	.trace = trace_mix,
};
