#include <config.h>

/* The one table of commands. Adding a command is adding its descriptor
 * (in a file of its own) and one line here. */
#include <stddef.h>

#include "commands.h"

const struct cli_command *const cli_commands[] = {
	&cmd_topo,
	&cmd_bench,
	&cmd_trace,
	&cmd_sim,
	&cmd_explain,
	&cmd_sweep,
	&cmd_fleet,
	&cmd_verify,
	&cmd_run,
	&cmd_compare,
	&cmd_baseline,
	&cmd_plot,
	&cmd_report,
	&cmd_help,
	NULL,
};
