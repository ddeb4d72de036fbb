/* Text traces of all threads in one file, in the order the accesses
 * happened, whose header is known only at their end: a foreign format
 * such as the interleaved course format (trace/import_interleaved.c: the
 * thread count is the highest processor's) and mesilab's own text form
 * (its "# threads:" and other header lines may come anywhere, the thread
 * count is otherwise the highest thread's). Read twice: first the header,
 * then the records straight into the binary trace, with no temporary copy
 * of them (a pipe is copied to a temporary file first). The first pass
 * wants only the highest thread and the header lines, which parts of the
 * file give independently: it is split among the PUs the process may
 * use. */
#ifndef MESILAB_TRACE_ORDERED_H
#define MESILAB_TRACE_ORDERED_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "line_source.h"
#include "trace.h"

/* A format: the first pass's look at a line (its thread, the rest
 * unread: a line the second pass refuses fails the conversion whatever
 * it said, and for every line it accepts this is the same thread), the
 * second pass's usual line, and the parser of any line, for both, which
 * hands its record to LP->put (with LP->ctx) or counts a line without one
 * with trace_ordered_skip(). OWN_HEADER: the file's header lines make the
 * header (mesilab's text form); otherwise the caller's is kept. */
struct trace_ordered_format {
	unsigned (*thread_of)(const char *p, const char **end, struct trace_record *rec);
	unsigned (*usual)(const char *p, const char **end, struct trace_record *rec);
	int (*general)(struct line_source *s, const struct line_parser *lp, struct ml_error *err);
	bool own_header;
};

/* mesilab's own text form. */
extern const struct trace_ordered_format trace_ordered_text;

/* A line that holds no record (a comment, a blank line): counted once. */
void trace_ordered_skip(const struct line_parser *lp);

/* Converts INPUT ("-": standard input) into a binary trace at OUTPUT. For
 * a foreign format, H's generator, line size and order kind are kept and
 * its thread count set; for text, H becomes the file's header (a reference
 * unless a "# order:" line says otherwise). *RECORDS and *SKIPPED
 * count the records written and the comment or blank lines. 0, or -1
 * with ERR (the first bad line by its number), OUTPUT then untouched. */
int trace_ordered_convert(const struct trace_ordered_format *format, const char *input, const char *output,
			  struct trace_header *h, uint64_t *records, uint64_t *skipped, struct ml_error *err);

#endif
