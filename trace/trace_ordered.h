/* Text traces of all threads in one file, in the order the accesses
 * happened, whose header is known only at their end: the interleaved
 * course format ("PROCESSOR r|w ADDRESS": the thread count is the highest
 * processor's) and mesilab's own text form (its "# threads:" and other
 * header lines may come anywhere, the thread count is otherwise the
 * highest thread's). Read twice: first the header, then the records
 * straight into the binary trace, with no temporary copy of them (a
 * pipe is copied to a temporary file first). The first pass wants only
 * the highest thread and the header lines, which parts of the file give
 * independently: it is split among the PUs the process may use. */
#ifndef MESILAB_TRACE_ORDERED_H
#define MESILAB_TRACE_ORDERED_H

#include <stdint.h>

#include "error.h"
#include "trace.h"

enum trace_ordered_format { ORDERED_INTERLEAVED, ORDERED_TEXT };

/* Converts INPUT ("-": standard input) into a binary trace at OUTPUT. For
 * interleaved, H's generator, line size and order kind are kept and its
 * thread count set; for text, H becomes the file's header (a reference
 * unless a "# order:" line says otherwise). *RECORDS and *SKIPPED
 * count the records written and the comment or blank lines. 0, or -1
 * with ERR (the first bad line by its number), OUTPUT then untouched. */
int trace_ordered_convert(enum trace_ordered_format format, const char *input, const char *output,
			  struct trace_header *h, uint64_t *records, uint64_t *skipped, struct ml_error *err);

#endif
