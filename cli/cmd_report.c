/* 'mesilab report RUN_DIR': report.md and report.html from a run. */
#include <config.h>

#include <stdio.h>

#include "commands.h"
#include "path.h"
#include "report_writer.h"

static int run_report(const struct cli_args *args)
{
	const char *run = args->operands[0];
	struct ml_error err;
	char meta[4096];

	snprintf(meta, sizeof(meta), "%s/meta.json", run);
	if (!path_is_directory(run))
		ml_die(ML_EXIT_USAGE, "%s: no such run directory", run);
	if (!path_exists(meta))
		ml_die(ML_EXIT_USAGE, "%s: not a run directory (no meta.json)", run);
	if (report_write(run, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!args->quiet)
		printf("%s/report.md\n%s/report.html\n", run, run);
	return ML_EXIT_OK;
}

const struct cli_command cmd_report = {
	.name = "report",
	.summary = "write a run's report: report.md and a self-contained report.html",
	.operands = "RUN_DIR",
	.min_operands = 1,
	.max_operands = 1,
	.description =
		"Writes report.md and report.html into a run directory: the machine and what\n"
		"could not be measured and why, the detected hierarchy beside hwloc's, the\n"
		"coherence benchmarks, the protocols compared in plain words (what MESI saved\n"
		"against MSI and why), with the run's figures (run 'mesilab plot' first).\n"
		"The HTML page embeds its figures and needs no network.\n",
	.common = CLI_QUIET,
	.run = run_report,
};
