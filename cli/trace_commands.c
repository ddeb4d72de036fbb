/* What the 'mesilab trace' subcommands share (a file of its own, so that
 * 'mesilab trace', which lists the workloads' subcommands, and those
 * subcommands, which use these, do not call each other). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "replay.h"
#include "trace_commands.h"

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

unsigned trace_line_of_header(const struct trace_reader *r, unsigned fallback)
{
	const struct trace_header *h = trace_reader_header(r);

	if (sim_line_of_trace(h))
		return sim_line_of_trace(h);
	if (h->line_size)
		ml_warn("%s: the line size in its header, %" PRIu32
			" bytes, is not one a cache can have (a power of two from 4 to 256): %u-byte lines",
			trace_reader_name(r), h->line_size, fallback);
	return fallback;
}
