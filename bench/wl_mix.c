/* The mix workload: random accesses, mostly to a private hot region, the
 * rest to a large shared region: a controllable miss rate, for replaying
 * at scale (it is what 'make bench-sim' simulates). */
#include <config.h>

#include <stdlib.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

#define FIELD(member) CLI_FIELD(struct mix_workload, member)

static const struct cli_option options[] = {
	{ .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "4", FIELD(threads),
	  .help = "threads" },
	{ .name = "accesses", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000000", .quick = "10000", FIELD(accesses),
	  .help = "accesses per thread" },
	{ .name = "hot", .arg = "SIZE", .type = CLI_SIZE, .def = "16K", FIELD(hot), .help = "each thread's hot region" },
	{ .name = "cold", .arg = "SIZE", .type = CLI_SIZE, .def = "64M", FIELD(cold), .help = "the shared cold region" },
	{ .name = "hot-share", .arg = "PERMILLE", .type = CLI_UINT, .max = 1000, .def = "900", FIELD(hot_share),
	  .help = "accesses to the hot region, per thousand" },
	{ .name = "writes", .arg = "PERMILLE", .type = CLI_UINT, .max = 1000, .def = "300", FIELD(writes),
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

static void check_mix(const struct cli_args *args, const void *config)
{
	const struct mix_workload *c = config;

	if (c->hot == 0 || c->cold < 8)
		cli_usage_error(args, "--hot and --cold must hold at least one word");
}

static int trace_mix(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
		     struct ml_error *err)
{
	const struct mix_workload *c = config;
	/* Whole lines of hot words for each thread. */
	struct mix_run run = { .hot_bytes = (c->hot + 63) / 64 * 64 };
	size_t bytes;
	int rc;

	run.args = (struct mix_args){
		.hot_words = run.hot_bytes / 8, .cold_words = c->cold / 8, .accesses = c->accesses,
		.seed = seed ? *seed : 1, .hot_permille = c->hot_share, .write_permille = c->writes,
	};
	bytes = c->threads * run.hot_bytes + run.args.cold_words * 8;
	run.memory = xpages(bytes);
	run.args.cold = (uint64_t *)(run.memory + c->threads * run.hot_bytes);
	h->threads = c->threads;
	rc = trace_generate(path, h, (uintptr_t)run.memory, run_thread, &run, err);
	free(run.memory);
	return rc;
}

const struct workload workload_mix = {
	.name = "mix",
	.summary = "random accesses, mostly to a private hot region: a chosen miss rate",
	.description =
		"Each thread makes random 8-byte loads and stores, most of them to a hot\n"
		"region of its own, the others anywhere in a large region all threads share.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct mix_workload),
	.check = check_mix,
	.generate = trace_mix,
	.trace = workload_command,
};
