#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	list[n++] = &cmd_trace_import;
	list[n++] = &cmd_trace_bench;
	for (size_t i = 0; workloads[i] && i < MAX_WORKLOADS; i++) {
		trace_workload_command(workloads[i], &workload_commands[i]);
		list[n++] = &workload_commands[i];
	}
	list[n] = NULL;
	return list;
}

const char *trace_output_path(const struct cli_args *args, const char *value)
{
	if (value)
		return value;
	if (isatty(STDOUT_FILENO))
		cli_usage_error(args, "missing -o FILE (a binary trace is not written to a terminal)");
	return "-";
}

void trace_header_for_command(const struct cli_args *args, struct trace_header *h)
{
	struct ml_error err;
	struct topo *t = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	int l1 = t ? topo_data_cache_at_depth(t, 1) : -1;
	size_t used = 0;

	memset(h, 0, sizeof(*h));
	h->threads = 1;
	h->gap_unit = TRACE_GAP_CYCLES;
	h->line_size = l1 >= 0 ? topo_cache_level(t, (size_t)l1)->line : 0;
	topo_free(t);
	for (int i = 0; i < args->argc && used < TRACE_MAX_GENERATOR; i++) {
		const char *word = i == 0 ? "mesilab" : args->argv[i];

		used += (size_t)snprintf(h->generator + used, sizeof(h->generator) - used, "%s%s",
					 i ? " " : "", word);
	}
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
