/* Writes the trace of a kernel: each thread's kernel runs (one thread after
 * the other) over the logged access backend, and the threads' records are
 * merged as trace_merge_write() does. Only kernels whose per-thread
 * accesses do not depend on the other threads' timing can be traced this
 * way. */
#ifndef MESILAB_TRACE_GEN_H
#define MESILAB_TRACE_GEN_H

#include <stdint.h>

#include "access.h"
#include "error.h"
#include "trace.h"

typedef void (*trace_gen_thread)(struct access_logged *ctx, unsigned thread, void *arg);

/* Runs RUN for threads 0 .. H->threads - 1 with addresses relative to BASE
 * and writes the merged trace to PATH ("-": standard output). */
int trace_generate(const char *path, const struct trace_header *h, uintptr_t base,
		   trace_gen_thread run, void *arg, struct ml_error *err);

/* For kernels whose threads wait for one another (locks, queues, lines
 * handed back and forth): the threads run at once but in lock step, one
 * access each in turn (thread 0, 1, ..., a finished thread dropping out),
 * each access carried out right after its record. The file holds the
 * accesses in the order they happened, so the trace is the same on every
 * run and spinning waits appear as the loads they are. */
int trace_generate_lockstep(const char *path, const struct trace_header *h, uintptr_t base,
			    trace_gen_thread run, void *arg, struct ml_error *err);

#endif
