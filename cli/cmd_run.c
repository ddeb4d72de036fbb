#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "commands.h"
#include "interrupt.h"
#include "progress.h"
#include "xalloc.h"

enum { OPT_ONLY, OPT_SKIP, OPT_EVENTS, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_ONLY] = { "only", 0, "LIST", "run only these stages (comma-separated)" },
	[OPT_SKIP] = { "skip", 0, "LIST", "skip these stages (comma-separated)" },
	[OPT_EVENTS] = BENCH_EVENTS_OPTION,
};

struct suite {
	const struct cli_args *args;
	struct rundir *run;
	const struct topo *topo;
	struct clock_calibration clock;
	struct counters counters;
	struct table *counts;
};

struct stage {
	const char *name;
	const char *summary;
	int (*run)(struct suite *s, const struct stage *stage, struct ml_error *err);
	const struct benchmark *bench; /* for benchmark stages */
};

static int stage_topo(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	(void)stage;
	return topo_write_files(s->run, s->topo, err);
}

/* A benchmark with its default options (and the suite's --quick and --seed). */
static int stage_bench(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	struct cli_args args = *s->args;
	struct bench_context ctx = { &args, s->topo, &s->clock, s->run, NULL };
	int rc;

	args.values = xcalloc(stage->bench->noptions + 1, sizeof(*args.values));
	args.csv = false;
	rc = bench_run_counted(stage->bench, &ctx, &s->counters, s->counts, err);
	free(args.values);
	return rc;
}

/* The suite, in the order it runs. */
static const struct stage stages[] = {
	{ "topo", "the hierarchy as hwloc sees it", stage_topo, NULL },
	{ "latency", "load-to-use latency by working-set size", stage_bench, &bench_latency },
	{ "bandwidth", "bandwidth by working-set size", stage_bench, &bench_bandwidth },
	{ "falseshare", "false sharing against padded counters", stage_bench, &bench_falseshare },
	{ "c2c", "core-to-core transfer latency", stage_bench, &bench_c2c },
	{ "contention", "many threads on one line", stage_bench, &bench_contention },
	{ "states", "coherence-state costs", stage_bench, &bench_states },
};

#define NSTAGES (sizeof(stages) / sizeof(stages[0]))

static bool list_contains(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

static void check_stage_list(const struct cli_args *args, const char *list, const char *option)
{
	char *copy = xstrdup(list);

	for (char *name = strtok(copy, ","); name; name = strtok(NULL, ",")) {
		char expected[256] = "";
		bool known = false;

		for (size_t i = 0; i < NSTAGES; i++) {
			known |= strcmp(stages[i].name, name) == 0;
			snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%s%s",
				 i ? ", " : "", stages[i].name);
		}
		if (!known)
			cli_usage_error(args, "unknown stage '%s' in --%s (expected: %s)", name, option,
					expected);
	}
	free(copy);
}

static int run_suite(const struct cli_args *args)
{
	const char *only = args->values[OPT_ONLY], *skip = args->values[OPT_SKIP];
	struct ml_error err;
	struct suite s = { .args = args };
	struct topo *t;
	int failed = 0;

	if (only)
		check_stage_list(args, only, "only");
	if (skip)
		check_stage_list(args, skip, "skip");
	if (counters_open(&s.counters, args->values[OPT_EVENTS], &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	t = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	if (!t)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	s.topo = t;
	s.counts = bench_counters_table();
	s.run = cli_open_rundir(args, t, &s.clock);
	if (args->quick)
		rundir_set(s.run, "profile", "quick");

	for (size_t i = 0; i < NSTAGES && !interrupt_requested(); i++) {
		if ((only && !list_contains(only, stages[i].name)) ||
		    (skip && list_contains(skip, stages[i].name)))
			continue;
		progress_update("[%zu/%zu] %s: %s", i + 1, NSTAGES, stages[i].name, stages[i].summary);
		if (stages[i].run(&s, &stages[i], &err) < 0) {
			progress_done();
			ml_warn("stage %s failed: %s", stages[i].name, err.msg);
			rundir_unavailable(s.run, stages[i].name, err.msg);
			failed = 1;
		}
	}
	progress_done();
	if (bench_counters_save(s.run, &s.counters, s.counts, &err) < 0) {
		ml_warn("%s", err.msg);
		failed = 1;
	}
	counters_close(&s.counters);
	table_free(s.counts);
	printf("%s\n", rundir_path(s.run));
	if (rundir_finish(s.run, failed ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		failed = 1;
	}
	topo_free(t);
	if (interrupt_requested())
		return ML_EXIT_INTERRUPTED;
	return failed ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_run = {
	.name = "run",
	.summary = "run the whole suite into one run directory",
	.max_operands = 0,
	.description =
		"Runs every stage of the suite on this machine and writes the results into\n"
		"one run directory (a new one under results/ unless -o is given), then\n"
		"prints its path. Stages: topo, latency, bandwidth, falseshare, c2c, contention, states.\n",
	.common = CLI_OUTPUT | CLI_QUICK | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_suite,
};
