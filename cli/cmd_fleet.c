/* 'mesilab fleet DIR': the run directories of many machines, side by side. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "fleet.h"
#include "fleet_report.h"
#include "table.h"
#include "xalloc.h"

static int run_fleet(const struct cli_args *args)
{
	const char *dir = args->operands[0];
	char *out = args->output ? xstrdup(args->output) : xasprintf("%s/fleet", dir);
	struct ml_error err;
	struct fleet f;
	struct table *flagged;
	size_t nflags;

	if (fleet_load(dir, &f, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (fleet_report_write(&f, out, &flagged, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	nflags = table_rows(flagged);
	if (args->csv) {
		table_print_csv(flagged, stdout);
	} else {
		printf("%zu machine%s in %zu group%s; %zu figure%s stand%s out\n", f.nmachines,
		       f.nmachines == 1 ? "" : "s", f.ngroups, f.ngroups == 1 ? "" : "s", nflags, nflags == 1 ? "" : "s",
		       nflags == 1 ? "s" : "");
		for (size_t g = 0; g < f.ngroups; g++)
			printf("  group %zu (%zu machine%s): %s\n", g + 1, fleet_group_size(&f, g),
			       fleet_group_size(&f, g) == 1 ? "" : "s", f.groups[g]);
		if (nflags)
			table_print_human(flagged, stdout);
		if (!args->quiet)
			fprintf(stderr, "report in %s/fleet.md and fleet.html\n", out);
	}
	table_free(flagged);
	fleet_free(&f);
	free(out);
	return ML_EXIT_OK;
}

const struct cli_command cmd_fleet = {
	.name = "fleet",
	.summary = "the run directories of many machines side by side, odd machines flagged",
	.operands = "DIR",
	.min_operands = 1,
	.max_operands = 1,
	.description =
		"Reads every run directory under DIR (DIR/<machine>/, however made:\n"
		"'mesilab run -o DIR/$(hostname)' on each machine, or 'mesilab run --slurm'),\n"
		"groups the machines by CPU model and topology, and flags each figure that\n"
		"stands out from its group (robust z-score over 3.5 in a group of 3 or\n"
		"more), saying whether it is also beyond the machine's own run-to-run\n"
		"noise. Writes fleet.csv, fleet-flags.csv, fleet.md, fleet.html and the\n"
		"latency staircases of each group into -o DIR (default DIR/fleet); prints\n"
		"the flagged figures (--csv: fleet-flags.csv). Exit status 0 whatever is flagged.\n",
	.common = CLI_OUTPUT | CLI_CSV | CLI_QUIET,
	.run = run_fleet,
};
