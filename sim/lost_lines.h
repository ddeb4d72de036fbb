/* The lines cores lost to another core's write (an invalidation), and per
 * such core the 4-byte words written since: when the core misses on the
 * line again, the words it wants tell a true sharing miss (one of them was
 * written) from a false sharing one. Every write asks whether its line is
 * here, so a counting filter answers "no" for most lines before the map is
 * looked at. */
#ifndef MESILAB_LOST_LINES_H
#define MESILAB_LOST_LINES_H

#include <stdbool.h>
#include <stdint.h>

#include "linemap.h"

#define LOST_FILTER_BITS 11

struct lost_lines {
	unsigned cores;
	uint32_t filter[1u << LOST_FILTER_BITS]; /* lines here, by hash */
	struct linemap map;  /* line -> entry */
	uint64_t *pool;      /* entries of 1 + cores words: the losers, then their written words */
	uint32_t used, capacity, *free, nfree;
};

void lost_lines_init(struct lost_lines *l, unsigned cores);
void lost_lines_free(struct lost_lines *l);

static inline uint32_t lost_lines_hash(uint64_t line)
{
	return (uint32_t)((line * 0x9e3779b97f4a7c15u) >> (64 - LOST_FILTER_BITS));
}

/* False when LINE is surely not here; true when it may be. */
static inline bool lost_lines_maybe(const struct lost_lines *l, uint64_t line)
{
	return l->filter[lost_lines_hash(line)] != 0;
}

/* CORE lost LINE: from now on the words written to it count for CORE. */
void lost_lines_add(struct lost_lines *l, uint64_t line, unsigned core);
/* WRITER wrote WORDS of LINE: every other core that lost it records them. */
void lost_lines_write(struct lost_lines *l, uint64_t line, unsigned writer, uint64_t words);
/* CORE misses on LINE wanting WORDS: -1 if CORE had not lost it, else
 * whether one of WORDS was written since (1) or not (0); CORE has the line
 * again after. */
int lost_lines_take(struct lost_lines *l, uint64_t line, unsigned core, uint64_t words);

#endif
