/* Building a trace from per-thread streams: a producer emits each thread's
 * records in program order (one thread after the other) into a sink. A
 * single thread's records go straight into the trace file; with several,
 * each thread's records are spooled to a temporary file beside the output
 * (hidden, named after it, so the user sees where the space goes) and the
 * threads are then merged into one trace in the order an ideal machine
 * would issue them (each access takes one cycle after its gap; ties go to
 * the lower thread). Memory stays bounded whatever the trace's length. */
#ifndef MESILAB_TRACE_MERGE_H
#define MESILAB_TRACE_MERGE_H

#include <stdbool.h>

#include "error.h"
#include "trace.h"

struct trace_sink;

void trace_sink_add(struct trace_sink *sink, const struct trace_record *rec);
/* True once the sink cannot take more (a write failed, e.g. the disk is
 * full) or a signal asked to stop; ERR then says why. A producer looks at
 * it in its loop and returns -1 with that ERR. */
bool trace_sink_stopped(const struct trace_sink *sink, struct ml_error *err);

/* Emits THREAD's records into SINK; returns 0, or -1 with ERR set. */
typedef int (*trace_producer)(struct trace_sink *sink, unsigned thread, void *arg,
			      struct ml_error *err);

/* Calls PRODUCE for threads 0 .. H->threads - 1 and writes the merged
 * trace to PATH ("-": standard output); no file is left on failure. */
int trace_merge_write(const char *path, const struct trace_header *h, trace_producer produce,
		      void *arg, struct ml_error *err);

#endif
