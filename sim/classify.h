/* What the miss classification needs to know of each core's references,
 * whatever the protocol: the lines it has ever touched (a miss on a line
 * never touched is cold) and a fully associative LRU cache of the same
 * capacity (a miss it would also take is a capacity miss, else a conflict
 * miss). Coherence misses are told apart by the protocol's instance. */
#ifndef MESILAB_CLASSIFY_H
#define MESILAB_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "line_bits.h"

/* A fully associative LRU cache of line numbers: a circular doubly linked
 * list of nodes in recency order around a sentinel (so that moving a node
 * never branches on the list's ends), found through an open-addressing
 * index of four times the capacity (so that a probe rarely goes past the
 * first slot, and it never grows). */
struct fa_node {
	uint64_t line;
	uint32_t prev, next;
};

struct fa_lru {
	struct fa_node *node; /* capacity nodes, then the sentinel */
	uint32_t *index;      /* slot -> node, or FA_NIL */
	uint64_t mru;         /* the line at the front, UINT64_MAX if none: no pointer to follow */
	unsigned index_bits;
	uint32_t sentinel, used, capacity;
};

struct core_history {
	struct line_bits seen;
	struct fa_lru shadow;
	bool last_shadow_hit, last_cold;
};

void core_history_init(struct core_history *h, uint32_t capacity_lines);
void core_history_free(struct core_history *h);
/* The reference of a line the shadow cache does not hold. */
void core_history_miss(struct core_history *h, uint64_t line);

#define FA_NIL UINT32_MAX

/* Fibonacci hashing: the product's top bits. */
static inline uint64_t fa_home(const struct fa_lru *f, uint64_t line)
{
	return (line * 0x9e3779b97f4a7c15u) >> (64 - f->index_bits);
}

/* The index slot of LINE, or of the empty slot where it would go. */
static inline uint64_t fa_slot(const struct fa_lru *f, uint64_t line)
{
	uint64_t mask = (1ull << f->index_bits) - 1, i = fa_home(f, line);

	while (f->index[i] != FA_NIL && f->node[f->index[i]].line != line)
		i = (i + 1) & mask;
	return i;
}

static inline void fa_unlink(struct fa_lru *f, uint32_t n)
{
	struct fa_node *node = f->node;

	node[node[n].prev].next = node[n].next;
	node[node[n].next].prev = node[n].prev;
}

static inline void fa_push_front(struct fa_lru *f, uint32_t n)
{
	struct fa_node *node = f->node;
	uint32_t first = node[f->sentinel].next;

	node[n].prev = f->sentinel;
	node[n].next = first;
	node[first].prev = n;
	node[f->sentinel].next = n;
	f->mru = node[n].line;
}

/* Records a reference to LINE: whether the shadow cache held it and
 * whether the line had never been touched before. Inline, as the
 * simulator calls it on every access; a hit only moves a node. */
static inline void core_history_reference(struct core_history *h, uint64_t line)
{
	struct fa_lru *f = &h->shadow;
	uint32_t n;

	h->last_shadow_hit = true;
	h->last_cold = false;
	/* Consecutive accesses to one line are common: no lookup. */
	if (f->mru == line)
		return;
	n = f->index[fa_slot(f, line)];
	if (n == FA_NIL) {
		core_history_miss(h, line);
		return;
	}
	fa_unlink(f, n);
	fa_push_front(f, n);
}

#endif
