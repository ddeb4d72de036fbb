/* The stamps of the events a thread buffered without reading the clock
 * (see rt_access in recorder.h): filled in when its buffer is flushed,
 * between the stamps read before and after them. */
#ifndef MESILAB_TRACER_STAMPS_H
#define MESILAB_TRACER_STAMPS_H

#include <stddef.h>
#include <stdint.h>

#include "trace_chunk.h"

/* The fast path reads the clock at one access in this many (a power of
 * two), besides every synchronisation record: reading the TSC costs 14
 * ns on this project's virtual machine, more than the rest of the fast
 * path. */
#define RT_STAMP_EVERY 32

/* Gives each of the N events of E whose stamp is 0 one that spreads its
 * run of such events evenly between the stamp before the run (BEFORE for
 * a run at the start: the thread's last event's, 0 when it had none) and
 * the one after (AFTER for a run at the end: the clock read at the flush,
 * no earlier than any event's). A stamp read is left as it is, so that
 * the events' order by stamp among the threads keeps every stamp read
 * where it was; the stamps of one thread stay in its order unless its
 * clock went back (a run then takes the stamp before it). Returns the
 * last event's stamp (BEFORE when N is 0). */
uint64_t rt_stamps_fill(struct trace_stamped *e, size_t n, uint64_t before, uint64_t after);

/* rt_stamps_fill of N events all of whose stamps are 0: the run between
 * BEFORE and AFTER, without looking for its end. */
void rt_stamps_spread(struct trace_stamped *e, size_t n, uint64_t before, uint64_t after);

#endif
