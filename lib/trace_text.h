/* The text form of a trace: "THREAD OP ADDRESS [SIZE] [GAP]" per line. */
#ifndef MESILAB_TRACE_TEXT_H
#define MESILAB_TRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trace.h"

enum trace_text_line {
	TRACE_TEXT_RECORD,    /* REC was filled */
	TRACE_TEXT_DIRECTIVE, /* a "# key: value" header comment was applied to the header */
	TRACE_TEXT_NOTHING,   /* blank or comment */
	TRACE_TEXT_ERROR,     /* WHY says what is wrong */
};

/* Parses one line (without its newline). Header comments ("# threads: N",
 * "# line-size: N", "# gap-unit: cycles|instructions", "# generator: TEXT")
 * go into H and set the matching HAVE flag. */
struct trace_text_seen {
	bool threads, line_size, gap_unit, generator;
};
enum trace_text_line trace_text_parse(const char *line, struct trace_record *rec,
				      struct trace_header *h, struct trace_text_seen *seen,
				      char *why, size_t why_len);

/* The canonical form, as 'mesilab trace cat' prints it. */
void trace_text_write_header(FILE *fp, const struct trace_header *h);
void trace_text_write_record(FILE *fp, const struct trace_record *r);

#endif
