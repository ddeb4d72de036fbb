/* 'mesilab trace import': Dinero din, valgrind lackey, and course traces
 * per core or interleaved. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "trace_commands.h"
#include "trace_import.h"

enum { OPT_FROM, OPT_OUTPUT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_FROM] = { "from", 'f', "FORMAT", "din, lackey, percore (one file per core) or interleaved (all cores in one file)" },
	[OPT_OUTPUT] = { "output", 'o', "FILE", "write the trace to FILE (default: standard output, when not a terminal)" },
};

static int run_import(const struct cli_args *args)
{
	const char *from = args->values[OPT_FROM];
	enum trace_import_format format;
	struct trace_import_report rep;
	struct trace_header h;
	struct ml_error err;
	const char *out;

	if (!from)
		cli_usage_error(args, "missing --from FORMAT (din, lackey, percore or interleaved)");
	if (trace_import_format_parse(from, &format) < 0)
		cli_usage_error(args, "unknown format '%s' (expected din, lackey, percore or interleaved)", from);
	out = trace_output_path(args, args->values[OPT_OUTPUT]);
	trace_header_for_command(args, &h);
	h.line_size = 0; /* the source machine's line size is unknown */
	if (trace_import(format, args->operands, args->noperands, out, &h, &rep, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!args->quiet) {
		fprintf(stderr, "imported %llu accesses for %u thread%s; skipped %llu lines\n",
			(unsigned long long)rep.records, h.threads, h.threads == 1 ? "" : "s",
			(unsigned long long)rep.skipped);
		fprintf(stderr, "invented: %s\n", rep.invented);
		if (rep.split)
			fprintf(stderr, "split: %llu accesses larger than 128 bytes into 128-byte pieces\n",
				(unsigned long long)rep.split);
		if (rep.copybacks)
			fprintf(stderr, "skipped: %llu copy-backs (din label 4: a dirty line written back and kept), "
					"which a trace cannot hold; they change no hit or miss\n",
				(unsigned long long)rep.copybacks);
		if (rep.dropped_work)
			fprintf(stderr, "dropped: %llu cycles of work after the last access of a core\n",
				(unsigned long long)rep.dropped_work);
	}
	return ML_EXIT_OK;
}

const struct cli_command cmd_trace_import = {
	.name = "import",
	.parent = "trace",
	.summary = "convert a din, lackey, per-core or interleaved trace to mesilab's format",
	.operands = "INPUT...",
	.min_operands = 1,
	.max_operands = -1,
	.description =
		"din: Dinero IV's format, 'LABEL ADDRESS' (0 read, 1 write, 2 instruction\n"
		"fetch, 3 unknown type, read as a read, 4 copy-back, skipped), each address\n"
		"taken as the 4-byte word holding it, as Dinero IV does. lackey: the output\n"
		"of valgrind --tool=lackey --trace-mem=yes (M is a load and a store).\n"
		"percore: one file per core, in core order, 'LABEL VALUE' with 0 load, 1\n"
		"store, 2 VALUE cycles of work. interleaved: one file of every core's\n"
		"accesses in the order they happened, 'PROCESSOR r|w ADDRESS' (hex, 0x\n"
		"optional), kept in that order; each access 1 byte, so none crosses a line.\n"
		"What a format does not say (sizes, gaps) is invented and reported on stderr.\n",
	.common = CLI_QUIET,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_import,
};
