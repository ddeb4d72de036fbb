/* The contention workload: threads on one line (an atomic counter, a lock,
 * a ring), the kernels of the contention benchmark. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "contention_variants.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

enum { OPT_VARIANT, OPT_THREADS, OPT_ITERATIONS, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_VARIANT] = { "variant", 0, "NAME", "faa (the default), tas, ticket, ring-padded or ring-packed" },
	[OPT_THREADS] = { "threads", 0, "N", "threads (default 2; a ring has exactly 2)" },
	[OPT_ITERATIONS] = { "iterations", 0, "N", "operations per thread (default 1000; 100 with --quick)" },
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

static int trace_contention(const struct cli_args *args, struct trace_header *h, const char *path,
			    struct ml_error *err)
{
	const char *name = args->values[OPT_VARIANT] ? args->values[OPT_VARIANT] : "faa";
	struct contention_run run = { NULL, NULL, 0 };
	unsigned threads = (unsigned)cli_uint_option(args, OPT_THREADS, 1, TRACE_MAX_THREADS, 2);
	int rc;

	for (size_t k = 0; k < CONTENTION_NVARIANTS; k++)
		if (strcmp(contention_variants[k].name, name) == 0)
			run.variant = &contention_variants[k];
	if (!run.variant)
		cli_usage_error(args, "unknown --variant '%s' (expected faa, tas, ticket, ring-padded or ring-packed)",
				name);
	if (run.variant->kind == CONTEND_RING && threads != 2)
		cli_usage_error(args, "a ring has one producer and one consumer: --threads 2, not %u", threads);
	run.iterations = cli_uint_option(args, OPT_ITERATIONS, 1, UINT64_MAX, args->quick ? 100 : 1000);
	run.page = xpages(4096);
	h->threads = threads;
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
	.noptions = NOPTIONS,
	.trace = trace_contention,
};
