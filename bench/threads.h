/* Running a function on N threads at once, each pinned to its own PU,
 * released together by a start flag, and timing each from the release.
 * A measurement has a deadline: threads that wait for one another (a
 * line handed back and forth, a lock) wait forever when the PUs they were
 * given are not really theirs (an overcommitted VM, a busy server, a CPU
 * quota), so past the deadline, or when a signal asks to stop, their
 * waiting loops are told to give up (access_wait) and the measurement is
 * reported as given up, with how often the threads were preempted. */
#ifndef MESILAB_THREADS_H
#define MESILAB_THREADS_H

#include <stdbool.h>
#include <stdint.h>

#include "access.h"
#include "error.h"
#include "topo.h"

/* CTX names the thread (its index) and carries the give-up flag. */
typedef void (*thread_body)(void *arg, struct access_native *ctx);

struct threads_outcome {
	bool gave_up;        /* the deadline passed, or a signal asked to stop */
	uint64_t preempted;  /* involuntary context switches while the threads ran */
};

/* Runs BODY(ARG, ctx) with ctx->thread = i for i < N on PUS[i];
 * ELAPSED_NS[i] gets each thread's time. DEADLINE_NS (0: none) bounds the
 * whole measurement from the release. Pinning failures are reported in
 * ERR but do not stop the run; returns -1 only when a thread cannot be
 * created. OUT may be NULL. */
int threads_run(const struct topo *t, unsigned n, const unsigned *pus, thread_body body, void *arg,
		uint64_t deadline_ns, uint64_t *elapsed_ns, struct threads_outcome *out,
		struct ml_error *err);

/* Default thread counts up to MAX: 1 to 4, then steps of x1.5 and x2 (6,
 * 8, 12, 16, ...), and MAX itself: every shape of a small machine, and a
 * bounded number of points on a big one. At most CAP; returns how many. */
unsigned threads_default_counts(unsigned max, unsigned *counts, unsigned cap);

/* A deadline for OPERATIONS operations that each take at most
 * CEILING_NS on any real machine, plus a second for starting up: an
 * operation slower than that means the threads did not run. */
uint64_t threads_deadline_ns(uint64_t operations, double ceiling_ns);

#endif
