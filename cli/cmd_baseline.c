/* 'mesilab baseline': a history baseline, several runs of one build on one
 * machine, that 'mesilab compare' judges a new run against. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "commands.h"
#include "json_read.h"
#include "table.h"
#include "xalloc.h"

enum { OPT_KEEP, NADD_OPTIONS };

static const struct cli_option add_options[NADD_OPTIONS] = {
	[OPT_KEEP] = { .name = "keep", .arg = "N", .type = CLI_UINT, .min = 1, .max = 100000,
		       .help = "keep only the newest N runs, removing older ones (default: all)" },
};

static int run_add(const struct cli_args *args)
{
	size_t keep = (size_t)cli_uint(args, OPT_KEEP), kept;
	struct ml_error err;

	if (baseline_add(args->operands[0], args->operands[1], keep, &kept, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!args->quiet)
		printf("%s: %zu run%s%s\n", args->operands[0], kept, kept == 1 ? "" : "s",
		       kept < 3 ? " (compare judges a point by its history from 3 runs on)" : "");
	return ML_EXIT_OK;
}

static const struct cli_command cmd_baseline_add = {
	.name = "add",
	.parent = "baseline",
	.summary = "add a complete run to a baseline (made if need be)",
	.operands = "BASELINE RUN",
	.min_operands = 2,
	.max_operands = 2,
	.description =
		"Copies RUN's meta.json and result tables (not its figures or report) into\n"
		"the directory BASELINE, whole or not at all; --keep N then removes the\n"
		"oldest runs beyond N. Only a complete run is added.\n",
	.common = CLI_QUIET,
	.options = add_options,
	.noptions = NADD_OPTIONS,
	.run = run_add,
};

enum { L_RUN, L_START, L_HOST, L_REVISION, NLCOLUMNS };

static const struct table_column list_columns[NLCOLUMNS] = {
	[L_RUN] = { "run", "run", TABLE_LEFT },
	[L_START] = { "start_time", "started", TABLE_LEFT },
	[L_HOST] = { "hostname", "host", TABLE_LEFT },
	[L_REVISION] = { "git_revision", "revision", TABLE_LEFT },
};

static int run_list(const struct cli_args *args)
{
	struct table *t = table_new(list_columns, NLCOLUMNS);
	struct ml_error err;
	char **runs;
	size_t n;

	if (!baseline_is(args->operands[0]))
		ml_die(ML_EXIT_USAGE, "%s: not a baseline (a directory of runs, without a meta.json of its own)",
		       args->operands[0]);
	if (baseline_runs(args->operands[0], &runs, &n, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		char *meta_path = xasprintf("%s/meta.json", runs[i]);
		struct json_value *meta = json_parse_file(meta_path, runs[i], &err);
		const char *fields[NLCOLUMNS] = { runs[i], NULL, NULL, NULL };

		if (!meta)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		fields[L_START] = json_lookup_string(meta, "start_time");
		fields[L_HOST] = json_lookup_string(meta, "host.hostname");
		fields[L_REVISION] = json_lookup_string(meta, "git_revision");
		table_add_row(t);
		for (int c = 0; c < NLCOLUMNS; c++)
			table_set(t, c, fields[c] ? fields[c] : "", NULL);
		json_value_free(meta);
		free(meta_path);
	}
	if (args->csv)
		table_print_csv(t, stdout);
	else
		table_print_human(t, stdout);
	table_free(t);
	baseline_runs_free(runs, n);
	return ML_EXIT_OK;
}

static const struct cli_command cmd_baseline_list = {
	.name = "list",
	.parent = "baseline",
	.summary = "the runs of a baseline, oldest first",
	.operands = "BASELINE",
	.min_operands = 1,
	.max_operands = 1,
	.common = CLI_CSV,
	.run = run_list,
};

static const struct cli_command *const *baseline_subcommands(void)
{
	static const struct cli_command *const list[] = { &cmd_baseline_add, &cmd_baseline_list, NULL };

	return list;
}

const struct cli_command cmd_baseline = {
	.name = "baseline",
	.summary = "keep a history baseline: several runs a new one is compared with",
	.description =
		"A baseline is a directory of runs of one build on one machine (the last N\n"
		"runs of a main branch). 'mesilab compare BASELINE NEW' judges each point\n"
		"of NEW against the spread of its own values over those runs (from three\n"
		"on): the way to gate CI, as mesilab-regress does it.\n",
	.subcommands = baseline_subcommands,
};
