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
	uint32_t id;
	pthread_t handle;
	int ignore;                  /* > 0: accesses not recorded (__tsan_ignore_thread_begin) */
	uintptr_t stack_lo, stack_hi; /* for MESILAB_TRACE_STACK=drop */
	atomic_size_t used;          /* events in BUFFER, published after each is written */
	struct trace_stamped *buffer;
	unsigned char *chunk;        /* a chunk's header and payload, written in place */
	struct rt_pcs pcs;           /* where its accesses come from; a buffered record's gap holds the number */
	struct rt_heap heap;         /* the blocks it allocated */
	uint64_t recorded;
	struct rt_thread *next;      /* every thread ever seen, newest first */
	atomic_flag flushing;        /* the thread and the exit handler may both flush */
};

/* Whether records are being taken: off before initialisation, between
 * mesilab_trace_stop() and start(), after a limit or a fault, in a forked
 * child, and once the program exits. */
extern atomic_bool rt_recording;

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

/* Records an access of SIZE bytes at ADDRESS by the calling thread, made
 * by the instruction at PC (RT_CALLER, 0 when no code of the program's
 * made it): OP is
 * TRACE_READ, TRACE_WRITE or TRACE_RMW, with TRACE_SYNC when the access
 * synchronises threads (an atomic, or a lock, barrier, condition or
 * thread hand-over recorded on its object). Sizes over 255 bytes become
 * several records. */
void rt_access(uintptr_t address, size_t size, unsigned op, uintptr_t pc);

/* Notes a heap block of SIZE bytes at ADDRESS that the instruction at PC
 * allocated (RT_CALLER of the allocation call), once the runtime runs. */
void rt_heap_block(uintptr_t address, size_t size, uintptr_t pc);

/* Starts the runtime (idempotent): reads the environment, opens the spool. */
void rt_init(void);

/* mesilab_trace_start/stop, for the header's region of interest. */
void rt_region(bool on);

#endif
