/* Reading a chunked trace (version 4, trace_chunk.h) from a file: its
 * chunks indexed on open (one pass over their headers), then the threads'
 * records merged lazily by stamp (ties: the lower thread first), which is
 * the order a version 3 trace of the same recording has; or one thread's
 * records alone, its chunks in turn, with no merge. */
#ifndef MESILAB_TRACE_CHUNKED_H
#define MESILAB_TRACE_CHUNKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "trace.h"

struct trace_chunked;

/* Indexes the chunks of FD (named NAME) from byte START to the end
 * record, which must end at byte END (the code locations' marker, or the
 * file's end); THREADS the header's; LOCATED whether the trace has code
 * locations, NPCS of them (without, every location read is 0); TRUNCATED
 * whether the header says the records end early (a limit in the end
 * record is refused otherwise, as is one beyond the records). NULL with
 * ERR naming the byte. */
struct trace_chunked *trace_chunked_open(int fd, const char *name, uint64_t start, uint64_t end,
					 unsigned threads, bool located, uint32_t npcs, bool truncated, struct ml_error *err);
/* A second reader over C's index (C outlives it) from the merged order's
 * record AT on (where C stands now, or read up to from the start). */
struct trace_chunked *trace_chunked_cursor(const struct trace_chunked *c, uint64_t at);
/* Has a cursor that has read nothing yet return THREAD's records alone,
 * read without a merge; false (it still merges) where the trace's limit
 * on the merged order forbids it. */
bool trace_chunked_narrow(struct trace_chunked *c, unsigned thread);
void trace_chunked_close(struct trace_chunked *c);

/* Has a reader that has read nothing yet return the synchronisation
 * records alone, in the merged order, decoding only the chunks that
 * count some; false (it returns all) where the trace's limit on the
 * merged order, or a chunk that does not count its synchronisation
 * records (a trace from before they were counted), forbids it. */
bool trace_chunked_syncs_only(struct trace_chunked *c);
/* Up to CAP records in the merged order (or the one thread's), with their
 * code locations in LOCS and their stamps in STAMPS (each when not NULL):
 * how many, 0 at the end, -1 on bad input. The merged order is the
 * records' by stamp, then by thread. *FIRST: the merged order's index of
 * the first, where merging all (see trace_chunked_merges). */
ssize_t trace_chunked_batch(struct trace_chunked *c, struct trace_record *out, uint32_t *locs, uint64_t *stamps,
			    size_t cap, uint64_t *first, struct ml_error *err);
/* Records of the merged order read so far. */
uint64_t trace_chunked_read(const struct trace_chunked *c);
/* Whether C merges the threads (and so knows each record's index). */
bool trace_chunked_merges(const struct trace_chunked *c);

#endif
