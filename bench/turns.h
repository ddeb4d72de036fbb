/* Two tasks taking turns on one PU: the caller and a partner it starts,
 * a thread of this process or a process of its own, handing the turn to
 * each other through a pipe or a futex. Each hand-off blocks the giver and
 * wakes the other, so with both pinned to one PU every turn is a context
 * switch. In its turn the partner reads its own working set (the
 * competitor) line by line, so the caller finds its caches as that left
 * them. Used by 'mesilab bench timeshare'. */
#ifndef MESILAB_TURNS_H
#define MESILAB_TURNS_H

#include <stdint.h>

#include "error.h"

enum turns_tasks { TURNS_PROCESS, TURNS_THREAD, TURNS_NTASKS };
enum turns_handoff { TURNS_PIPE, TURNS_FUTEX, TURNS_NHANDOFFS };

extern const char *const turns_task_names[TURNS_NTASKS];
extern const char *const turns_handoff_names[TURNS_NHANDOFFS];

struct turns;

/* Starts the partner, which inherits the calling thread's CPU affinity
 * (pin the caller first), with a working set of up to MAX_BYTES read
 * LINE bytes apart. NULL with ERR when it cannot be started. */
struct turns *turns_start(enum turns_tasks tasks, enum turns_handoff handoff, uint64_t max_bytes,
			  unsigned line, struct ml_error *err);
/* What the partner reads in each of its turns from now on: the first
 * BYTES of its working set (0: nothing). It writes pages it has not
 * touched yet first, in its next turn: an untouched anonymous page is the
 * kernel's one zero page, which would read from a cache whatever its
 * size. */
void turns_set_competitor(struct turns *t, uint64_t bytes);
/* Gives the partner its turn and waits for it back: two switches. -1
 * with ERR when the partner is gone or a signal asked to stop. */
int turns_pass(struct turns *t, struct ml_error *err);
/* The system calls of one pass without a switch, N times, in
 * nanoseconds per pass: a byte written and read back on a pipe of the
 * caller's own, or a futex wake without a waiter and a wait that returns
 * at once, twice (both tasks make them in a pass). */
double turns_overhead_ns(struct turns *t, uint64_t n);
/* Stops the partner and waits for it; T may be NULL. */
void turns_stop(struct turns *t);

#endif
