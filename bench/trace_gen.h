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

#endif
