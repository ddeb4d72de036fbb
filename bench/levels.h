/* Finding the levels of the hierarchy in a latency curve: the plateaus
 * (runs of working-set sizes with about the same latency) and the sizes at
 * which each one ends. Outliers are damped with a running median first;
 * the ramps between plateaus belong to no level. */
#ifndef MESILAB_LEVELS_H
#define MESILAB_LEVELS_H

#include <stddef.h>
#include <stdint.h>

#define LEVELS_MAX 8

struct level {
	double latency_ns;    /* median of the plateau */
	uint64_t first_size;  /* the plateau's first and last working-set sizes */
	uint64_t last_size;
	size_t points;
	/* Where the level ends: the size at which the curve crosses halfway (on
	 * a log scale) to the next level's latency; 0 for the last level. */
	double capacity;
};

/* SIZES ascending, LATENCY_NS their latencies. Fills LEVELS (the last one
 * is memory) and returns how many were found. TOLERANCE is the relative
 * spread allowed within a plateau (0.15 is a good default). */
size_t levels_detect(const uint64_t *sizes, const double *latency_ns, size_t n, double tolerance,
		     struct level *levels, size_t max_levels);

#endif
