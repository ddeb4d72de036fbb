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

/* LIMIT: records allowed to wait in the queues, and synchronisation
 * records' threads read ahead when following the order (0: the default). */
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

/* Following the file's order as well (for a replay that keeps the
 * synchronisation records in it): asked before the first loan. */
void trace_demux_follow_order(struct trace_demux *d);
/* Each record's index in the file (0: the first), for THREAD's last loan. */
const uint64_t *trace_demux_lent_indices(const struct trace_demux *d, unsigned thread);
/* The thread of the file's synchronisation record number K (0: the
 * first); K is never less than in an earlier call. -1 when the records
 * lent so far do not reach it (no thread can be at it then) or there is
 * none, -2 on a read error (ERR). */
int trace_demux_sync_thread(struct trace_demux *d, uint64_t k, struct ml_error *err);

#endif
