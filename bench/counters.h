/* Hardware event counters through PAPI, around a whole benchmark: the
 * events are counted for the calling thread and every thread it creates
 * while counting. Where PAPI is missing, or finds no counters, or may not
 * use them, nothing is counted and WHY says which, for the run's metadata:
 * the benchmarks then run on timings alone. */
#ifndef MESILAB_COUNTERS_H
#define MESILAB_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define COUNTERS_MAX 8

struct counters {
	bool available;
	char why[256];                /* when not available, or an event was left out */
	size_t nevents;
	char names[COUNTERS_MAX][64];
	long long values[COUNTERS_MAX];
	int eventset;
};

/* The events asked for: LIST (comma-separated PAPI preset or native names)
 * or, when NULL, cycles, instructions, L1D and L2 misses and the first
 * cache-to-cache (snoop hit modified) event this machine's PAPI knows.
 * Returns -1 with ERR only for a list that is malformed or, where counters
 * work, names an event PAPI does not know; counters that do not work are
 * not an error (C->available is false and C->why says why). */
int counters_open(struct counters *c, const char *list, struct ml_error *err);
/* Starts counting; on failure C becomes unavailable, with the reason. */
void counters_start(struct counters *c);
/* Stops counting into C->values (after the threads created have ended). */
void counters_stop(struct counters *c);
void counters_close(struct counters *c);

#endif
