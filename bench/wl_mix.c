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
	[OPT_THREADS] = { "threads", 0, "N", "threads (default 4)" },
	[OPT_ACCESSES] = { "accesses", 0, "N", "accesses per thread (default 1000000; 10000 with --quick)" },
	[OPT_HOT] = { "hot", 0, "SIZE", "each thread's hot region (default 16K)" },
	[OPT_COLD] = { "cold", 0, "SIZE", "the shared cold region (default 64M)" },
	[OPT_HOT_SHARE] = { "hot-share", 0, "PERMILLE", "accesses to the hot region, per thousand (default 900)" },
	[OPT_WRITES] = { "writes", 0, "PERMILLE", "stores, per thousand accesses (default 300)" },
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
	unsigned threads = (unsigned)cli_uint_option(args, OPT_THREADS, 1, TRACE_MAX_THREADS, 4);
	uint64_t cold = cli_size_option(args, OPT_COLD, 64 << 20);
	struct mix_run run;
	size_t bytes;
	void *memory;
	int rc;

	run.hot_bytes = (cli_size_option(args, OPT_HOT, 16 << 10) + 63) / 64 * 64;
	if (run.hot_bytes == 0 || cold < 8)
		cli_usage_error(args, "--hot and --cold must hold at least one word");
	run.args.hot_words = run.hot_bytes / 8;
	run.args.cold_words = cold / 8;
	run.args.accesses = cli_uint_option(args, OPT_ACCESSES, 1, UINT64_MAX, args->quick ? 10000 : 1000000);
	run.args.hot_permille = (unsigned)cli_uint_option(args, OPT_HOT_SHARE, 0, 1000, 900);
	run.args.write_permille = (unsigned)cli_uint_option(args, OPT_WRITES, 0, 1000, 300);
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
