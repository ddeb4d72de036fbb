/* 'mesilab fleet DIR': the run directories of many machines, side by side. */
#include <config.h>

#include <math.h>
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
	struct fleet_flag *flags;
	size_t nflags;
	struct table *t;

	if (fleet_load(dir, &f, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (fleet_report_write(&f, out, &nflags, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	nflags = fleet_flags(&f, &flags);
	t = table_new((const struct table_column[]){ { "machine", "machine", TABLE_LEFT },
						     { "group", "group", TABLE_RIGHT },
						     { "figure", "figure", TABLE_LEFT },
						     { "value", "value", TABLE_RIGHT },
						     { "group_median", "group median", TABLE_RIGHT },
						     { "deviation_pct", "deviation", TABLE_RIGHT },
						     { "beyond_own_noise", "beyond its noise", TABLE_LEFT } },
		      7);
	for (size_t i = 0; i < nflags; i++) {
		const struct fleet_machine *m = &f.machines[flags[i].machine];

		table_add_row(t);
		table_set(t, 0, m->name, NULL);
		table_setf(t, 1, "%zu", m->group + 1);
		table_set(t, 2, f.figures[flags[i].figure], NULL);
		table_setf(t, 3, "%.4g", m->value[flags[i].figure]);
		table_setf(t, 4, "%.4g", flags[i].median);
		table_setf(t, 5, "%+.1f%%", 100 * flags[i].deviation);
		table_set(t, 6, !flags[i].noise_known ? "unknown" : flags[i].beyond_noise ? "yes" : "no", NULL);
	}
	if (args->csv) {
		table_print_csv(t, stdout);
	} else {
		printf("%zu machines in %zu group%s; %zu figure%s stand%s out\n", f.nmachines, f.ngroups,
		       f.ngroups == 1 ? "" : "s", nflags, nflags == 1 ? "" : "s", nflags == 1 ? "s" : "");
		for (size_t g = 0; g < f.ngroups; g++)
			printf("  group %zu (%zu machine%s): %s\n", g + 1, fleet_group_size(&f, g),
			       fleet_group_size(&f, g) == 1 ? "" : "s", f.groups[g]);
		if (nflags)
			table_print_human(t, stdout);
		if (!args->quiet)
			fprintf(stderr, "report in %s/fleet.md and fleet.html\n", out);
	}
	table_free(t);
	free(flags);
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
		"the flagged figures (--csv: as CSV). Exit status 0 whatever is flagged.\n",
	.common = CLI_OUTPUT | CLI_CSV | CLI_QUIET,
	.run = run_fleet,
};
