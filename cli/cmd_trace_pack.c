/* 'mesilab trace pack': any trace to the binary form. */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "trace_commands.h"
#include "trace_ordered.h"
#include "trace_reader.h"
#include "trace_writer.h"

enum { OPT_OUTPUT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_OUTPUT] = { .name = "output", .short_name = 'o', .arg = "FILE", .help = "write the trace to FILE (default: standard output, when not a terminal)" },
};

/* A file (not standard input, which cannot be looked at twice cheaply)
 * that is no binary trace: converted with two reads of it, the records
 * straight into the output (the trace reader would copy them all into a
 * temporary file first, as replaying checks a text trace whole). */
static bool text_file(const char *path)
{
	unsigned char head[TRACE_MAGIC_LEN];
	ssize_t got = 0;
	int fd = strcmp(path, "-") != 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0)
		return false;
	got = read(fd, head, sizeof(head));
	close(fd);
	return got > 0 && !trace_looks_binary(head, (size_t)got);
}

static int run_pack(const struct cli_args *args)
{
	const char *out = trace_output_path(args, args->values[OPT_OUTPUT]);
	const struct trace_record *recs;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_header h;
	struct ml_error err;
	uint64_t records, skipped;
	ssize_t n;

	if (text_file(args->operands[0])) {
		if (trace_ordered_convert(&trace_ordered_text, args->operands[0], out, &h, &records, &skipped, &err) < 0)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		return ML_EXIT_OK;
	}
	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	w = trace_writer_open(out, trace_reader_header(r), &err);
	if (!w)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	while ((n = trace_reader_batch(r, &recs, &err)) > 0)
		for (ssize_t i = 0; i < n; i++)
			trace_writer_add(w, &recs[i]);
	trace_reader_close(r);
	if (n < 0) {
		trace_writer_abort(w);
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	}
	if (trace_writer_close(w, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	return ML_EXIT_OK;
}

const struct cli_command cmd_trace_pack = {
	.name = "pack",
	.parent = "trace",
	.summary = "convert a trace (text or binary) to the binary form",
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.description = "FILE may be - for standard input.\n",
	.options = options,
	.noptions = NOPTIONS,
	.run = run_pack,
};
