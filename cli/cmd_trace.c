/* 'mesilab trace': its subcommands, the workloads' among them. */
#include <config.h>

#include "commands.h"
#include "trace_commands.h"
#include "xalloc.h"

#define MAX_WORKLOADS 32

static const struct cli_command *const *trace_subcommands(void)
{
	static struct cli_command workload_commands[MAX_WORKLOADS];
	static const struct cli_command *list[MAX_WORKLOADS + 6];
	size_t n = 0;

	if (list[0])
		return list;
	list[n++] = &cmd_trace_info;
	list[n++] = &cmd_trace_cat;
	list[n++] = &cmd_trace_pack;
	list[n++] = trace_import_command();
	list[n++] = &cmd_trace_bench;
	for (size_t i = 0; workloads[i] && i < MAX_WORKLOADS; i++) {
		trace_workload_command(workloads[i], &workload_commands[i]);
		list[n++] = &workload_commands[i];
	}
	list[n] = NULL;
	return list;
}

const struct cli_command cmd_trace = {
	.name = "trace",
	.summary = "write, inspect, convert and import memory-access traces",
	.description =
		"A trace is what the simulator replays: per thread, the accesses a kernel\n"
		"made, in program order. 'mesilab trace WORKLOAD' writes the trace of a\n"
		"benchmark kernel, run from the same source as the native benchmark.\n",
	.subcommands = trace_subcommands,
};
