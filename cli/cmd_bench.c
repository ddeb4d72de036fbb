/* 'mesilab bench NAME': the native benchmarks. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "commands.h"
#include "controls.h"
#include "xalloc.h"

#define MAX_BENCHMARKS 32

static const struct benchmark *benchmark_named(const char *name)
{
	for (size_t i = 0; benchmarks[i]; i++)
		if (strcmp(benchmarks[i]->name, name) == 0)
			return benchmarks[i];
	return NULL;
}

static int run_benchmark(const struct cli_args *args)
{
	const struct benchmark *b = benchmark_named(args->name);
	struct clock_calibration clock;
	struct ml_error err;
	struct topo *t = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	struct bench_context ctx = { .name = b->name, .topo = t, .clock = &clock, .out = stdout,
				     .csv = args->csv, .quick = args->quick, .seed_given = args->seed_given,
				     .seed = args->seed };
	struct counters counters;
	struct table *counts = bench_counters_table();
	struct controls *controls;
	void *config;
	int rc;

	if (!t)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	/* The command line is the configuration's first layer; its own checks
	 * come before anything is made. */
	config = bench_configure(b, args->quick ? CLI_PROFILE_QUICK : CLI_PROFILE_DEFAULT, args->values);
	if (b->check)
		b->check(args, &ctx, config);
	if (counters_open(&counters, args->values[b->noptions], &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	ctx.run = cli_open_rundir(args, t, &clock);
	controls = cli_measure_controls(t, ctx.run, NULL, NULL);
	rc = bench_run(b, &ctx, config, &counters, counts, &err);
	if (rc == 0)
		cli_measure_controls(t, ctx.run, controls, b->name);
	if (rc < 0)
		ml_warn("%s", err.msg);
	else if ((rc = bench_counters_save(ctx.run, &counters, counts, &err)) < 0)
		ml_warn("%s", err.msg);
	/* Before the self-checks, which read them. */
	if (controls && controls_save(controls, ctx.run, &err) < 0 && rc == 0) {
		ml_warn("%s", err.msg);
		rc = -1;
	}
	if (rc == 0)
		cli_record_self_checks(ctx.run, args->quiet);
	controls_free(controls);
	counters_close(&counters);
	table_free(counts);
	if (!args->quiet && !args->csv)
		fprintf(stderr, "results in %s\n", rundir_path(ctx.run));
	if (rundir_finish(ctx.run, rc < 0 ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		rc = -1;
	}
	topo_free(t);
	free(config);
	return rc < 0 ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

static const struct cli_command *const *bench_subcommands(void)
{
	static struct cli_command commands[MAX_BENCHMARKS];
	static const struct cli_command *list[MAX_BENCHMARKS + 1];

	if (list[0])
		return list;
	for (size_t i = 0; benchmarks[i] && i < MAX_BENCHMARKS; i++) {
		/* The benchmark's options, then --events: it reads its own by index. */
		size_t n = benchmarks[i]->noptions;
		struct cli_option *options = xcalloc(n + 1, sizeof(*options));

		memcpy(options, benchmarks[i]->options, n * sizeof(*options));
		options[n] = (struct cli_option)BENCH_EVENTS_OPTION;
		commands[i] = (struct cli_command){
			.name = benchmarks[i]->name,
			.parent = "bench",
			.summary = benchmarks[i]->summary,
			.max_operands = 0,
			.description = benchmarks[i]->description,
			.common = CLI_OUTPUT | CLI_CSV | CLI_QUICK | CLI_QUIET | CLI_SEED,
			.options = options,
			.noptions = n + 1,
			.run = run_benchmark,
		};
		list[i] = &commands[i];
	}
	return list;
}

const struct cli_command cmd_bench = {
	.name = "bench",
	.summary = "measure this machine: caches, memory, coherence costs, storage below DRAM, timesharing",
	.description =
		"Native benchmarks, pinned through the topology, repeated, with robust\n"
		"statistics; each writes its tables (and every repetition's samples) into the\n"
		"run directory.\n",
	.subcommands = bench_subcommands,
};
