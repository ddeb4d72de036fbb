/* The tracing runtime's core: every access of every thread of a program
 * compiled with -fsanitize=thread becomes a record, stamped so that the
 * threads' records can be put back in the order they happened.
 *
 * Each thread fills a buffer of its own; a full buffer goes, encoded by
 * the thread as a compact chunk, into the trace file itself, written in
 * place (trace_file.h): a reader merges the threads by stamp. A trace
 * that is a device or a FIFO gets the buffers as they are in a spool file
 * (unlinked, in the temporary directory), merged by stamp into it when
 * the program exits (spool.h). Memory stays bounded
 * however long the program runs.
 *
 * The runtime is linked into the user's program: everything but the
 * instrumentation ABI and the interposed calls is hidden (see Makefile.am),
 * so its names cannot clash with the program's. */
#ifndef MESILAB_TRACER_RECORDER_H
#define MESILAB_TRACER_RECORDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "locations.h"
#include "stamps.h"
#include "trace.h"

#define RT_EXPORT __attribute__((visibility("default")))

/* Records a thread buffers before it writes them out as one chunk, and
 * the room of the chunks it encodes them into (a few bytes a record: more
 * makes another chunk). */
#define RT_BUFFER_RECORDS 4096
#define RT_CHUNK_BYTES (4 * RT_BUFFER_RECORDS + TRACE_CHUNK_MAX_RECORD_BYTES)

struct rt_thread {
	/* A word of its own line, for the hand-overs pthread_create and
	 * pthread_join make through the kernel's word for the thread: the
	 * creator and the joiner record atomics on it, as the thread does
	 * when it starts and ends. */
	_Alignas(64) uint64_t handover;
	/* What the fast path reads, on one line: the buffer, its events,
	 * the first index it may not fill (rt_access), the thread's id and
	 * the stack range it drops. */
	_Alignas(64) struct trace_stamped *buffer;
	atomic_size_t used;          /* events in BUFFER, published after each is written */
	size_t fast_end;
	uint32_t id;
	uintptr_t drop_lo, drop_len; /* MESILAB_TRACE_STACK=drop: the stack; else 0, 0 */
	int ignore;                  /* > 0: accesses not recorded (__tsan_ignore_thread_begin) */
	uint64_t last_stamp;         /* the last flushed event's, for the next buffer's first */
	size_t stamped_end;          /* BUFFER's events up to the last the clock stamped have stamps (its index + 1) */
	pthread_t handle;
	unsigned char *chunk;        /* a chunk's header and payload, written in place */
	struct rt_pcs pcs;           /* where its accesses come from; a buffered record's gap holds the number */
	struct rt_heap heap;         /* the blocks it allocated */
	struct rt_thread *next;      /* every thread ever seen, newest first */
	atomic_flag flushing;        /* the thread and the exit handler may both flush */
};

/* Whether records are being taken: off before initialisation, between
 * mesilab_trace_stop() and start(), after a limit or a fault, in a forked
 * child, and once the program exits. */
extern atomic_bool rt_recording __attribute__((visibility("hidden")));

/* The calling thread's state, registering it on its first access when it
 * was not created through pthread_create (a thread of an uninstrumented
 * library). NULL once the format's thread limit is reached. */
struct rt_thread *rt_self(void);

/* A thread about to be created: its state, with the next id (ids follow
 * creation order), or NULL when the runtime does not trace (it could not
 * start, or this is a fork's child); rt_thread_started() makes it the new
 * thread's own. */
struct rt_thread *rt_thread_new(void);
void rt_thread_started(struct rt_thread *t);
/* The latest thread with HANDLE, or NULL. */
struct rt_thread *rt_thread_of(pthread_t handle);

/* The calling thread's state once it has one (initial-exec: the runtime
 * is linked into the program, or loaded with it, so that the fast path
 * reads it off the thread pointer without a call). */
extern __thread struct rt_thread *rt_current __attribute__((tls_model("initial-exec"), visibility("hidden")));

/* Records an access of SIZE bytes at ADDRESS by the calling thread, made
 * by the instruction at PC (RT_CALLER, 0 when no code of the program's
 * made it): OP is
 * TRACE_READ, TRACE_WRITE or TRACE_RMW, with TRACE_SYNC when the access
 * synchronises threads (an atomic, or a lock, barrier, condition or
 * thread hand-over recorded on its object). Sizes over 255 bytes become
 * several records. rt_access_stamped() takes every access to it; see
 * rt_access() for which ones get there. */
void rt_access_stamped(uintptr_t address, size_t size, unsigned op, uintptr_t pc);

/* The clock is read at every access rt_access_stamped() takes: every
 * synchronisation record, and one plain access in RT_STAMP_EVERY (the
 * buffer's indices that are its multiples: stamps.h). The plain accesses
 * between are stored here, by the inlined fast path, with stamp 0, and
 * get stamps interpolated between their neighbours' when the buffer is
 * flushed (rt_stamps_fill): each thread's stamps still grow, so that the
 * threads merged by stamp keep every synchronisation record where its
 * clock put it. fast_end, the next index stamped, is 0 (all are) under
 * MESILAB_TRACE_ORDER=ticket or clock-each, before the thread's first
 * record and while it ignores its accesses. A place the location cache
 * misses goes there too: the fast path calls nothing, so that it saves
 * no register. */
static inline void rt_access(uintptr_t address, size_t size, unsigned op, uintptr_t pc)
{
	struct rt_thread *t = rt_current;

	if (__builtin_expect(t && !(op & TRACE_SYNC) && size - 1 < 255, 1)) {
		size_t n = atomic_load_explicit(&t->used, memory_order_relaxed);
		const struct rt_pcs_recent *r = &t->pcs.recent[pc % RT_PCS_RECENT];

		if (__builtin_expect(n < t->fast_end && atomic_load_explicit(&rt_recording, memory_order_relaxed), 1)) {
			if (address - t->drop_lo < t->drop_len)
				return;
			if (__builtin_expect(r->pc == pc, 1)) {
				t->buffer[n] = (struct trace_stamped){
					0, { address, r->loc, (uint16_t)t->id, (uint8_t)op, (uint8_t)size }
				};
				atomic_store_explicit(&t->used, n + 1, memory_order_release);
				return;
			}
		}
	}
	rt_access_stamped(address, size, op, pc);
}

/* Notes a heap block of SIZE bytes at ADDRESS that the instruction at PC
 * allocated (RT_CALLER of the allocation call), once the runtime runs. */
void rt_heap_block(uintptr_t address, size_t size, uintptr_t pc);

/* Starts the runtime (idempotent): reads the environment, opens the spool. */
void rt_init(void);

/* mesilab_trace_start/stop, for the header's region of interest. */
void rt_region(bool on);

#endif
