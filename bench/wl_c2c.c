/* The core-to-core workload: two threads hand one line back and forth. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "trace_gen.h"
#include "workload.h"
#include "xalloc.h"

static const char *const variant_names[C2C_NVARIANTS] = { [C2C_STORE] = "store", [C2C_CAS] = "cas" };

#define FIELD(member) CLI_FIELD(struct c2c_workload, member)

static const struct cli_option options[] = {
	{ .name = "rounds", .arg = "N", .type = CLI_UINT, .min = 1, .def = "1000", .quick = "100", FIELD(rounds),
	  .help = "round trips" },
	{ .name = "variant", .arg = "NAME", .type = CLI_CHOICE, CLI_CHOICES_OF(variant_names), .def = "store",
	  FIELD(variant), .help = "store (a store seen by a load) or cas" },
};

struct c2c_run {
	uint64_t *flag;
	uint64_t rounds;
	bool cas;
};

static void run_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct c2c_run *run = arg;
	/* Spin-wait hints change no access: none needed to trace. */
	struct pingpong_args a = { run->flag, run->rounds, thread, run->cas, 0, 0 };

	pingpong_logged(ctx, &a);
}

static int trace_c2c(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
		     struct ml_error *err)
{
	const struct c2c_workload *c = config;
	struct c2c_run run = { .flag = xpages(4096), .rounds = c->rounds, .cas = c->variant == C2C_CAS };
	int rc;

	(void)seed;
	h->threads = 2;
	rc = trace_generate_lockstep(path, h, (uintptr_t)run.flag, run_thread, &run, err);
	free(run.flag);
	return rc;
}

const struct workload workload_c2c = {
	.name = "c2c",
	.summary = "two threads hand one line back and forth (the core-to-core kernel)",
	.description =
		"Thread 0 and thread 1 take turns: each waits until the line holds its turn,\n"
		"then writes the other's (a store seen by loads, or a compare-and-swap that is\n"
		"also the wait). The threads run in lock step, one access each in turn, so the\n"
		"trace holds the waiting loads too and is the same on every run, and says\n"
		"its order is the reference: 'mesilab sim' keeps that interleaving.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct c2c_workload),
	.generate = trace_c2c,
	.trace = workload_command,
};
