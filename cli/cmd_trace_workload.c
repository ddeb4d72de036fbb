/* 'mesilab trace WORKLOAD': the trace of a benchmark kernel. */
#include <config.h>

#include <string.h>

#include "trace_commands.h"
#include "xalloc.h"

static int run_workload(const struct cli_args *args)
{
	const struct workload *w = workload_named(args->name);
	const char *path = trace_output_path(args, args->values[w->noptions]);
	struct trace_header h;
	struct ml_error err;

	trace_header_for_command(args, &h);
	if (w->trace(args, &h, path, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	return ML_EXIT_OK;
}

void trace_workload_command(const struct workload *w, struct cli_command *cmd)
{
	/* The workload's options, then -o FILE: the workload reads its own by index. */
	struct cli_option *options = xcalloc(w->noptions + 1, sizeof(*options));

	memcpy(options, w->options, w->noptions * sizeof(*options));
	options[w->noptions] = (struct cli_option){ .name = "output", .short_name = 'o', .arg = "FILE",
						    .help = "write the trace to FILE (default: standard output, when not a terminal)" };
	*cmd = (struct cli_command){
		.name = w->name,
		.parent = "trace",
		.summary = w->summary,
		.max_operands = 0,
		.description = w->description,
		.common = CLI_QUICK | CLI_QUIET | CLI_SEED,
		.options = options,
		.noptions = w->noptions + 1,
		.run = run_workload,
	};
}
