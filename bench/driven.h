/* A kernel driven by a model's timing: its threads run for real over the
 * logged backend, but only one at a time and one access at a time, each
 * access carried out when the simulator issues it. The simulator's timed
 * order (the core whose clock is earliest goes next) then decides what
 * each thread sees: which thread wins a lock, how long a waiting thread
 * spins, how often the holder takes the lock again while its line is
 * still in its cache. For kernels whose accesses depend on the other
 * threads' timing (locks, queues), whose trace made in lock step would
 * hand the line over at every access. */
#ifndef MESILAB_DRIVEN_H
#define MESILAB_DRIVEN_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "trace_gen.h"

struct driven;

/* The kernel RUN (with ARG) on THREADS threads, addresses relative to
 * BASE, each spin-wait hint standing for RELAX_CYCLES of work; at most
 * MAX_RECORDS accesses in all. No thread starts before its first feed. */
struct driven *driven_new(unsigned threads, uintptr_t base, uint32_t relax_cycles, uint64_t max_records,
			  trace_gen_thread run, void *arg);
/* A feed for sim_run_timed (see engine.h), with a struct driven as CTX:
 * lets THREAD carry out the access it was last lent (the simulator has
 * just issued it), runs it to its next access and lends that one. 0 when
 * the thread's kernel has returned; -1 to stop (a stop request, or the
 * limit of records reached). */
ssize_t driven_feed(void *ctx, unsigned thread, const struct trace_record **records);
/* Ends the threads still running and frees D: 0, or -1 with ERR when the
 * run was stopped (by a request, or at its limit of records). */
int driven_free(struct driven *d, struct ml_error *err);

#endif
