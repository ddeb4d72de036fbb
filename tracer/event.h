/* What the recorder and its writers share: the event a thread buffers
 * (struct trace_stamped: its stamp, and its record with its location in
 * the gap) and the spin lock they take (a thread's flush, the list of
 * threads, the chunks written). A header of its own, so that the writers
 * (below the recorder, which writes into them) need nothing of the
 * recorder's. */
#ifndef MESILAB_TRACER_EVENT_H
#define MESILAB_TRACER_EVENT_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "trace_chunk.h"

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
