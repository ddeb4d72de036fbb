/* Random stress of a protocol over the full cache model: many lines, tiny
 * caches (so that evictions, write-backs and back-invalidations are
 * constant), random reads, writes and atomics from every core; after every
 * access the same invariants as the exhaustive check, with the data of
 * every line followed through the caches and memory. */
#ifndef MESILAB_STRESS_H
#define MESILAB_STRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

struct stress_result {
	uint64_t steps;
	bool ok;
	char violation[256];
};

/* Runs STEPS random accesses to LINES lines under P with CFG's caches. */
void stress_protocol(const struct protocol *p, const struct sim_config *cfg, unsigned lines,
		     uint64_t steps, uint64_t seed, struct stress_result *r);

/* The cache configurations the stress runs through, by index; false past the last. */
bool stress_config(unsigned index, unsigned cores, struct sim_config *cfg, const char **name);

#endif
