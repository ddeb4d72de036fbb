/* The text form of a trace: "THREAD OP ADDRESS [SIZE] [GAP] [sync]" per line. */
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
 * "# line-size: N", "# gap-unit: cycles|instructions", "# truncated:
 * yes|no", "# order: streams|reference|program", "# generator: TEXT") go
 * into H and set the matching flag of SEEN. */
struct trace_text_seen {
	bool threads, line_size, gap_unit, generator, truncated, order;
};
enum trace_text_line trace_text_parse(const char *line, struct trace_record *rec,
				      struct trace_header *h, struct trace_text_seen *seen,
				      char *why, size_t why_len);

/* The canonical line, as 'mesilab trace cat' writes it ("3 W 0x1f 4 0",
 * "3 A 0x1f 4 0 sync": one blank each, a 0x address, size and gap, the
 * sync mark), most of any text trace:
 * parsed in one go from P to the line's end ('\n' or NUL), which goes
 * into *END, with DIGITS_READ_AHEAD readable bytes after it (a
 * line_source block); 0 for any other line, which trace_text_parse()
 * takes (and explains when it is wrong), 1 with REC. */
unsigned trace_text_canonical(const char *p, const char **end, struct trace_record *rec);

/* The canonical form, as 'mesilab trace cat' prints it. */
void trace_text_write_header(FILE *fp, const struct trace_header *h);
void trace_text_write_record(FILE *fp, const struct trace_record *r);

#endif
