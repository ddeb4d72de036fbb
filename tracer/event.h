/* What the recorder and its spool share: the event a thread buffers and
 * the spool keeps, and the spin lock both take (a thread's flush, the
 * list of threads, the spool's chunks). A header of its own, so that the
 * spool (below the recorder, which writes into it) needs nothing of the
 * recorder's. */
#ifndef MESILAB_TRACER_EVENT_H
#define MESILAB_TRACER_EVENT_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "trace.h"

struct rt_event {
	uint64_t stamp; /* the global order (see rt_stamp) */
	struct trace_record rec;
};

/* The runtime's own locks spin rather than use pthread mutexes, whose
 * calls it interposes and records. */
static inline void rt_lock_take(atomic_flag *lock)
{
	while (atomic_flag_test_and_set_explicit(lock, memory_order_acquire))
		sched_yield();
}

static inline void rt_lock_give(atomic_flag *lock)
{
	atomic_flag_clear_explicit(lock, memory_order_release);
}

#endif
