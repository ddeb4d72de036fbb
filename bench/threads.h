/* Running a function on N threads at once, each pinned to its own PU,
 * released together by a barrier, and timing each from the release. */
#ifndef MESILAB_THREADS_H
#define MESILAB_THREADS_H

#include <stdint.h>

#include "error.h"
#include "topo.h"

typedef void (*thread_body)(void *arg, unsigned index);

/* Runs BODY(ARG, i) for i < N on PUS[i]; ELAPSED_NS[i] gets each thread's
 * time. Pinning failures are reported in ERR but do not stop the run;
 * returns -1 only when a thread cannot be created. */
int threads_run(const struct topo *t, unsigned n, const unsigned *pus, thread_body body, void *arg,
		uint64_t *elapsed_ns, struct ml_error *err);

#endif
