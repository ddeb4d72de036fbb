#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "units.h"
#include "xalloc.h"

const char *const replacement_names[REPL_NPOLICIES] = { "lru", "fifo", "random", "plru" };

static bool power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

bool cache_line_valid(uint64_t line)
{
	return power_of_two(line) && line >= 4 && line <= 256;
}

int cache_geometry_parse(const char *text, struct cache_geometry *g, struct ml_error *err)
{
	char size[32], ways[16], line[16], extra;
	uint64_t s, w = g->ways, l = g->line;
	int fields = sscanf(text, "%31[^:]:%15[^:]:%15[^:]%c", size, ways, line, &extra);

	if (fields < 1 || fields > 3 || units_parse_size(size, &s) < 0 || (fields >= 2 && units_parse_u64(ways, &w) < 0) ||
	    (fields == 3 && units_parse_size(line, &l) < 0)) {
		ml_error_set(err, "invalid cache '%s' (expected SIZE[:WAYS[:LINE]], e.g. 32K:8:64, or 2M)", text);
		return -1;
	}
	/* The parts left out are the cache's it replaces. */
	if (fields < 3 && (!g->ways || !g->line)) {
		ml_error_set(err, "cache '%s': no cache there to take its %s from (give SIZE:WAYS:LINE)", text,
			     fields == 1 ? "ways and line" : "line");
		return -1;
	}
	if (!cache_line_valid(l)) {
		ml_error_set(err, "cache '%s': the line size must be a power of two from 4 to 256 bytes", text);
		return -1;
	}
	if (w == 0 || w > 64) {
		ml_error_set(err, "cache '%s': 1 to 64 ways", text);
		return -1;
	}
	/* The largest caches built hold about 1 GiB; beyond this no cache
	 * is meant, and the simulator's tables would not fit in memory. */
	if (s > CACHE_MAX_BYTES) {
		ml_error_set(err, "cache '%s': larger than %llu GiB", text, (unsigned long long)(CACHE_MAX_BYTES >> 30));
		return -1;
	}
	if (s < l * w) {
		ml_error_set(err, "cache '%s': smaller than one set (a line larger than the cache?)", text);
		return -1;
	}
	if (s % (l * w) || !power_of_two(s / (l * w))) {
		ml_error_set(err, "cache '%s': %llu sets, not a power of two", text,
			     (unsigned long long)(s / (l * w)));
		return -1;
	}
	g->size = s;
	g->ways = (unsigned)w;
	g->line = (unsigned)l;
	return 0;
}

void cache_init(struct cache *c, const struct cache_geometry *g, enum replacement policy,
		uint64_t seed)
{
	uint64_t slots;

	memset(c, 0, sizeof(*c));
	c->ways = g->ways;
	c->sets = g->size / ((uint64_t)g->line * g->ways);
	c->set_mask = c->sets - 1;
	while ((1ull << c->set_shift) < c->sets)
		c->set_shift++;
	while ((1u << c->line_shift) < g->line)
		c->line_shift++;
	slots = c->sets * c->ways;
	c->entry = xcalloc(slots, sizeof(*c->entry));
	c->key = xcalloc(slots, sizeof(*c->key));
	c->memo_mask = 1;
	while (c->memo_mask < slots)
		c->memo_mask <<= 1;
	c->way_memo = xcalloc(c->memo_mask, sizeof(*c->way_memo));
	c->memo_mask--;
	c->stamp = xcalloc(slots, sizeof(*c->stamp));
	c->plru = xcalloc(c->sets, sizeof(*c->plru));
	c->policy = policy;
	rng_seed(&c->rng, seed);
}

void cache_free(struct cache *c)
{
	free(c->entry);
	free(c->key);
	free(c->way_memo);
	free(c->stamp);
	free(c->plru);
}

/* Tree-PLRU over a power-of-two number of ways: each node's bit points to
 * the half to evict next; a use points every node on its path away. */
static void plru_touch(struct cache *c, uint64_t set, unsigned way)
{
	uint64_t bits = c->plru[set];
	unsigned node = 1;

	for (unsigned span = c->ways; span > 1; span /= 2) {
		unsigned right = (way % span) >= span / 2;

		bits = right ? bits & ~(1ull << node) : bits | (1ull << node);
		node = 2 * node + right;
	}
	c->plru[set] = bits;
}

static unsigned plru_victim(const struct cache *c, uint64_t set)
{
	unsigned node = 1, way = 0;

	for (unsigned span = c->ways; span > 1; span /= 2) {
		unsigned right = (c->plru[set] >> node) & 1;

		way += right ? span / 2 : 0;
		node = 2 * node + right;
	}
	return way;
}

static void touch(struct cache *c, uint64_t set, int way, bool fill)
{
	uint64_t slot = set * c->ways + (uint64_t)way;

	c->clock++;
	if (c->policy == REPL_LRU || (c->policy == REPL_FIFO && fill))
		c->stamp[slot] = (uint32_t)c->clock;
	else if (c->policy == REPL_PLRU)
		plru_touch(c, set, (unsigned)way);
}

int cache_find(struct cache *c, uint64_t line, bool use)
{
	int way = cache_way_of(c, line);

	if (way >= 0 && use)
		cache_use(c, line, way);
	return way;
}

void cache_use_other(struct cache *c, uint64_t line, int way)
{
	touch(c, line & c->set_mask, way, false);
}

int cache_victim(struct cache *c, uint64_t line)
{
	uint64_t set = line & c->set_mask, base = set * c->ways;
	uint32_t now = (uint32_t)c->clock, oldest;
	uint64_t empty = way_match(&c->key[base], c->ways, 0);
	unsigned victim = 0;

	/* An empty way has key 0; so, rarely, has a far line, hence the check. */
	for (; empty; empty &= empty - 1)
		if (!(c->entry[base + ML_CTZ64(empty)] & 0xff))
			return ML_CTZ64(empty);
	switch (c->policy) {
	case REPL_RANDOM:
		return (int)rng_below(&c->rng, c->ways);
	case REPL_PLRU:
		return (int)plru_victim(c, set);
	default:
		/* Stamps wrap after 2^32 uses; comparing ages keeps order. */
		oldest = now - c->stamp[base];
		for (unsigned w = 1; w < c->ways; w++) {
			uint32_t age = now - c->stamp[base + w];

			if (age > oldest) {
				oldest = age;
				victim = w;
			}
		}
		return (int)victim;
	}
}

void cache_fill(struct cache *c, uint64_t line, int way, uint8_t state)
{
	uint64_t set = line & c->set_mask, slot = set * c->ways + (uint64_t)way;

	c->entry[slot] = line << 8 | state;
	c->key[slot] = cache_key(c, line);
	c->way_memo[line & c->memo_mask] = (uint8_t)way;
	touch(c, set, way, true);
}
