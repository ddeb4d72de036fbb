/* 'mesilab trace import': traces of other tools' formats, each read by its
 * importer. The formats --from takes and the paragraphs of --help that say
 * what each reads come from the importers' table (trace/importers.c). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_commands.h"
#include "trace_import.h"
#include "xalloc.h"

/* The width of --help's lines. */
#define HELP_WIDTH 79

enum { OPT_FROM, OPT_OUTPUT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_FROM] = { .name = "from", .short_name = 'f', .arg = "FORMAT", .help = "the inputs' format, one of those above" },
	[OPT_OUTPUT] = { .name = "output", .short_name = 'o', .arg = "FILE", .help = "write the trace to FILE (default: standard output, when not a terminal)" },
};

/* "din, lackey, percore or interleaved": the table's names. */
static const char *format_names(void)
{
	static char *names;

	if (names)
		return names;
	names = xstrdup("");
	for (size_t i = 0; i < trace_nimporters; i++) {
		char *more = xasprintf("%s%s%s", names, i == 0 ? "" : i + 1 < trace_nimporters ? ", " : " or ",
				       trace_importers[i].name);

		free(names);
		names = more;
	}
	return names;
}

/* TEXT's words into FP, in lines of at most HELP_WIDTH columns, those
 * after the first indented by INDENT (the first line starts at AT). */
static void wrap(FILE *fp, const char *text, size_t at, size_t indent)
{
	size_t column = at;

	while (*text) {
		size_t len = strcspn(text, " ");

		if (column > indent && column + 1 + len > HELP_WIDTH) {
			fprintf(fp, "\n%*s", (int)indent, "");
			column = indent;
		} else if (column > indent) {
			fputc(' ', fp);
			column++;
		}
		fwrite(text, 1, len, fp);
		column += len;
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', fp);
}

/* The body of --help: each importer's name and what it reads. */
static char *describe_formats(void)
{
	char *text = NULL;
	size_t len = 0, width = 0;
	FILE *fp = open_memstream(&text, &len);

	if (!fp)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	for (size_t i = 0; i < trace_nimporters; i++)
		width = strlen(trace_importers[i].name) > width ? strlen(trace_importers[i].name) : width;
	fputs("The formats (--from FORMAT):\n", fp);
	for (size_t i = 0; i < trace_nimporters; i++) {
		fprintf(fp, "  %-*s  ", (int)width, trace_importers[i].name);
		wrap(fp, trace_importers[i].reads, width + 4, width + 4);
	}
	fputs("\nWhat a format does not say (sizes, gaps) is invented and reported on stderr.\n", fp);
	if (fclose(fp) != 0)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	return text;
}

static int run_import(const struct cli_args *args)
{
	const char *from = args->values[OPT_FROM];
	const struct trace_importer *importer;
	struct trace_import_report rep;
	struct trace_header h;
	struct ml_error err;
	const char *out;

	if (!from)
		cli_usage_error(args, "missing --from FORMAT (%s)", format_names());
	if (!(importer = trace_importer_named(from)))
		cli_usage_error(args, "unknown format '%s' (expected %s)", from, format_names());
	out = trace_output_path(args, args->values[OPT_OUTPUT]);
	trace_header_for_command(args, &h);
	h.line_size = 0; /* the source machine's line size is unknown */
	if (trace_import(importer, args->operands, args->noperands, out, &h, &rep, &err) < 0)
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

const struct cli_command *trace_import_command(void)
{
	static struct cli_command cmd = {
		.name = "import",
		.parent = "trace",
		.summary = "convert a trace of another tool's format to mesilab's",
		.operands = "INPUT...",
		.min_operands = 1,
		.max_operands = -1,
		.common = CLI_QUIET,
		.options = options,
		.noptions = NOPTIONS,
		.run = run_import,
	};

	if (!cmd.description)
		cmd.description = describe_formats();
	return &cmd;
}
