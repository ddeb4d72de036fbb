/* 'mesilab trace cat': any trace to its canonical text form. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "trace_commands.h"
#include "trace_reader.h"
#include "trace_text.h"

enum { OPT_OUTPUT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_OUTPUT] = { .name = "output", .short_name = 'o', .arg = "FILE", .help = "write the text to FILE (default: standard output)" },
};

static int run_cat(const struct cli_args *args)
{
	const char *out = args->values[OPT_OUTPUT];
	struct trace_reader *r;
	struct atomic_file *f = NULL;
	const struct trace_record *recs;
	struct ml_error err;
	FILE *fp = stdout;
	ssize_t n;

	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (out && strcmp(out, "-") != 0) {
		f = atomic_file_open(out, &err);
		if (!f)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		fp = atomic_file_stream(f);
	}
	trace_text_write_header(fp, trace_reader_header(r));
	while ((n = trace_reader_batch(r, &recs, &err)) > 0)
		for (ssize_t i = 0; i < n; i++)
			trace_text_write_record(fp, &recs[i]);
	trace_reader_close(r);
	if (n < 0) {
		if (f)
			atomic_file_abort(f);
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	}
	if (f && atomic_file_commit(f, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	return ML_EXIT_OK;
}

const struct cli_command cmd_trace_cat = {
	.name = "cat",
	.parent = "trace",
	.summary = "print a trace (binary or text) in the canonical text form",
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.description = "FILE may be - for standard input.\n",
	.options = options,
	.noptions = NOPTIONS,
	.run = run_cat,
};
