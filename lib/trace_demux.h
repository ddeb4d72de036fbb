/* Each thread's records in its own program order, whatever the order of
 * the threads in the file, in bounded memory. Records read ahead for
 * other threads wait in per-thread queues; when the queues grow past a
 * limit (a file with long runs of one thread), each thread gets its own
 * cursor over the file instead (a pipe is first spooled to a temporary
 * file), so memory stays flat whatever the trace's length. */
#ifndef MESILAB_TRACE_DEMUX_H
#define MESILAB_TRACE_DEMUX_H

#include <stddef.h>
#include <sys/types.h>

#include "trace_reader.h"

struct trace_demux;

/* LIMIT: records allowed to wait in the queues (0: the default). */
struct trace_demux *trace_demux_new(struct trace_reader *r, size_t limit);
void trace_demux_free(struct trace_demux *d);
/* Lends THREAD's next records, those after the last loan to THREAD: *RECORDS
 * points at as many as it returns (at least one while THREAD has any, 0
 * when it has no more, -1 on error), in place, valid until the next call
 * for THREAD. */
ssize_t trace_demux_lend(struct trace_demux *d, unsigned thread, const struct trace_record **records,
			 struct ml_error *err);
/* Whether the demux has switched to one cursor per thread. */
int trace_demux_spilled(const struct trace_demux *d);

#endif
