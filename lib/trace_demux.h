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
/* Copies THREAD's next records, at most MAX, into OUT: how many (at least
 * one while THREAD has any), 0 when THREAD has no more, -1 on error. */
ssize_t trace_demux_fill(struct trace_demux *d, unsigned thread, struct trace_record *out, size_t max,
			 struct ml_error *err);
/* Whether the demux has switched to one cursor per thread. */
int trace_demux_spilled(const struct trace_demux *d);

#endif
