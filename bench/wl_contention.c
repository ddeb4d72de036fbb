/* The contention workload: threads on one line (an atomic counter, a lock,
 * a ring), the kernels of the contention benchmark. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "contention_variants.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

#define FIELD(member) CLI_FIELD(struct contention_workload, member)

static const struct cli_option options[] = {
	{ .name = "variant", .arg = "NAME", .type = CLI_CHOICE, CLI_CHOICES_OF(contention_variant_names), .def = "faa",
	  FIELD(variant), .help = "faa, tas, ticket, ring-padded or ring-packed" },
	{ .name = "threads", .arg = "N", .type = CLI_UINT, .min = 1, .max = TRACE_MAX_THREADS, .def = "2", FIELD(threads),
	  .help = "threads; a ring has exactly 2" },
	{ .name = "iterations", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000", .quick = "100", FIELD(iterations),
	  .help = "operations per thread" },
};

struct contention_run {
	const struct contention_variant *variant;
	uint64_t *page, iterations;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct contention_run *run = arg;
	struct contention_args a;

	/* Spin-wait hints change no access: none needed to trace. */
	contention_variant_args(run->variant, run->page, run->iterations, thread, 0, &a);
	contention_logged(ctx, &a);
}

static void check_contention(const struct cli_args *args, const void *config)
{
	const struct contention_workload *c = config;

	if (contention_variants[c->variant].kind == CONTEND_RING && c->threads != 2)
		cli_usage_error(args, "a ring has one producer and one consumer: --threads 2, not %u", c->threads);
}

static int trace_contention(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
			    struct ml_error *err)
{
	const struct contention_workload *c = config;
	struct contention_run run = { &contention_variants[c->variant], xpages(4096), c->iterations };
	int rc;

	(void)seed;
	h->threads = c->threads;
	rc = trace_generate_lockstep(path, h, (uintptr_t)run.page, run_thread, &run, err);
	free(run.page);
	return rc;
}

const struct workload workload_contention = {
	.name = "contention",
	.summary = "threads on one line: atomic adds, two locks, a ring (the contention kernels)",
	.description =
		"faa: atomic fetch-and-add on one counter; tas: a test-and-test-and-set lock\n"
		"around an increment; ticket: a ticket lock around the same; ring-padded and\n"
		"ring-packed: a single-producer single-consumer ring with head and tail on two\n"
		"lines or on one. The threads run in lock step, one access each in turn, so\n"
		"spinning waits are in the trace and it is the same on every run.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct contention_workload),
	.check = check_contention,
	.generate = trace_contention,
	.trace = workload_command,
};
