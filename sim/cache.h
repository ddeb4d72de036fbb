/* A set-associative cache of line numbers with a protocol state per line
 * (0: empty) and a replacement policy. Tags only: the simulator tracks
 * where lines are, not their data. */
#ifndef MESILAB_CACHE_H
#define MESILAB_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler.h"
#include "error.h"
#include "rng.h"
#include "way_match.h"

enum replacement { REPL_LRU, REPL_FIFO, REPL_RANDOM, REPL_PLRU, REPL_NPOLICIES };
extern const char *const replacement_names[REPL_NPOLICIES];

struct cache_geometry {
	uint64_t size; /* 0: no such cache */
	unsigned ways;
	unsigned line;
};

/* "32K:8:64" (size:ways:line) into G; "2M" or "2M:16" keep G's ways and
 * line (the cache being replaced: a what-if of a larger L2 on a
 * machine's model), where G has some. Returns 0, or -1 with ERR saying
 * why. */
int cache_geometry_parse(const char *text, struct cache_geometry *g, struct ml_error *err);
/* Whether a cache can have lines of LINE bytes: a power of two from 4 to
 * 256. */
bool cache_line_valid(uint64_t line);

/* The largest cache a configuration may ask for. */
#define CACHE_MAX_BYTES (4ull << 30)

struct cache {
	/* sets * ways entries: the line number held << 8 | its state (0: empty),
	 * one word per way, so that a set of 8 ways is one host cache line. */
	uint64_t *entry;
	/* Per entry, a 32-bit key of the line it holds (0: empty), compared
	 * first: a set of 8 keys is two SSE2 compares (see cache_key). */
	uint32_t *key;
	/* The way a line was last found in, by the line's low bits: tried
	 * before the keys, it finds most hits with one compare. Only a hint:
	 * the entry it points at decides. */
	uint8_t *way_memo;
	uint64_t memo_mask;
	uint32_t *stamp;   /* LRU: last use; FIFO: fill time */
	uint64_t *plru;    /* tree-PLRU bits per set */
	uint64_t sets, set_mask, clock;
	unsigned ways, line_shift, set_shift;
	enum replacement policy;
	struct rng rng;
};

void cache_init(struct cache *c, const struct cache_geometry *g, enum replacement policy,
		uint64_t seed);
void cache_free(struct cache *c);

/* The way holding LINE, or -1. USE marks it recently used. */
int cache_find(struct cache *c, uint64_t line, bool use);
/* The way a fill of LINE would take: an empty one, else the victim. */
int cache_victim(struct cache *c, uint64_t line);
/* Puts LINE with STATE into WAY of LINE's set (marking it used). */
void cache_fill(struct cache *c, uint64_t line, int way, uint8_t state);
/* Marks WAY of LINE's set used, under a policy other than LRU. */
void cache_use_other(struct cache *c, uint64_t line, int way);

/* The key of LINE: the bits above the set index, plus one so that an
 * empty entry's 0 is no small line's key. Keys of lines beyond 2^32 sets'
 * worth can collide; the entry itself decides. */
static inline uint32_t cache_key(const struct cache *c, uint64_t line)
{
	return (uint32_t)(line >> c->set_shift) + 1;
}

/* cache_find without marking, inline for the simulator's hit path. */
static inline int cache_way_of(struct cache *c, uint64_t line)
{
	uint64_t base = (line & c->set_mask) * c->ways, match;
	uint8_t *memo = &c->way_memo[line & c->memo_mask];

	if (((c->entry[base + *memo] ^ (line << 8)) - 1) < 0xff)
		return *memo;
	match = way_match(&c->key[base], c->ways, cache_key(c, line));
	while (match) {
		unsigned w = (unsigned)ML_CTZ64(match);
		uint64_t e = c->entry[base + w];

		if ((e >> 8) == line && (e & 0xff)) {
			*memo = (uint8_t)w;
			return (int)w;
		}
		match &= match - 1;
	}
	return -1;
}

/* Marks WAY of LINE's set used (a hit). */
static inline void cache_use(struct cache *c, uint64_t line, int way)
{
	if (c->policy == REPL_LRU)
		c->stamp[(line & c->set_mask) * c->ways + (uint64_t)way] = (uint32_t)++c->clock;
	else
		cache_use_other(c, line, way);
}

static inline uint64_t cache_slot(const struct cache *c, uint64_t line, int way)
{
	return (line & c->set_mask) * c->ways + (uint64_t)way;
}

/* The state in WAY of LINE's set (0: empty). */
static inline uint8_t cache_state(const struct cache *c, uint64_t line, int way)
{
	return (uint8_t)c->entry[cache_slot(c, line, way)];
}

/* The line held in WAY of LINE's set. */
static inline uint64_t cache_line_at(const struct cache *c, uint64_t line, int way)
{
	return c->entry[cache_slot(c, line, way)] >> 8;
}

/* Changes the state of the line in WAY (0 empties the way, and its key,
 * so that empty ways are found by their key 0). */
static inline void cache_set_state(struct cache *c, uint64_t line, int way, uint8_t state)
{
	uint64_t slot = cache_slot(c, line, way), *e = &c->entry[slot];

	*e = (*e & ~(uint64_t)0xff) | state;
	if (!state)
		c->key[slot] = 0;
}

#endif
