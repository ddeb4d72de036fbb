#include <config.h>

#include <stdlib.h>

#include "classify.h"
#include "xalloc.h"

#define NIL UINT32_MAX

static void fa_init(struct fa_lru *f, uint32_t capacity)
{
	uint64_t slots;

	f->index_bits = 2;
	while ((1ull << f->index_bits) < 2 * (uint64_t)capacity)
		f->index_bits++;
	slots = 1ull << f->index_bits;
	f->node = xmalloc(((size_t)capacity + 1) * sizeof(*f->node));
	f->index = xmalloc(slots * sizeof(*f->index));
	for (uint64_t i = 0; i < slots; i++)
		f->index[i] = NIL;
	f->sentinel = capacity;
	f->node[capacity] = (struct fa_node){ UINT64_MAX, capacity, capacity };
	f->used = 0;
	f->capacity = capacity;
}

static void fa_free(struct fa_lru *f)
{
	free(f->node);
	free(f->index);
}

/* Fibonacci hashing: the product's top bits. */
static inline uint64_t home_of(const struct fa_lru *f, uint64_t line)
{
	return (line * 0x9e3779b97f4a7c15u) >> (64 - f->index_bits);
}

/* The index slot of LINE, or of the empty slot where it would go. */
static inline uint64_t find_slot(const struct fa_lru *f, uint64_t line)
{
	uint64_t mask = (1ull << f->index_bits) - 1, i = home_of(f, line);

	while (f->index[i] != NIL && f->node[f->index[i]].line != line)
		i = (i + 1) & mask;
	return i;
}

/* Backward-shift deletion: no tombstones, probes stay short. */
static void index_remove(struct fa_lru *f, uint64_t i)
{
	uint64_t mask = (1ull << f->index_bits) - 1;

	for (uint64_t j = (i + 1) & mask; f->index[j] != NIL; j = (j + 1) & mask) {
		uint64_t home = home_of(f, f->node[f->index[j]].line);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			f->index[i] = f->index[j];
			i = j;
		}
	}
	f->index[i] = NIL;
}

static inline void unlink_node(struct fa_lru *f, uint32_t n)
{
	struct fa_node *node = f->node;

	node[node[n].prev].next = node[n].next;
	node[node[n].next].prev = node[n].prev;
}

static inline void push_front(struct fa_lru *f, uint32_t n)
{
	struct fa_node *node = f->node;
	uint32_t first = node[f->sentinel].next;

	node[n].prev = f->sentinel;
	node[n].next = first;
	node[first].prev = n;
	node[f->sentinel].next = n;
}

/* Returns whether LINE was held; it is the most recently used after. */
static bool fa_reference(struct fa_lru *f, uint64_t line)
{
	uint64_t slot;
	uint32_t n;

	/* Consecutive accesses to one line are common: no lookup. */
	if (f->node[f->node[f->sentinel].next].line == line)
		return true;
	slot = find_slot(f, line);
	n = f->index[slot];
	if (n != NIL) {
		unlink_node(f, n);
		push_front(f, n);
		return true;
	}
	if (f->used < f->capacity) {
		n = f->used++;
	} else {
		n = f->node[f->sentinel].prev; /* the least recently used */
		unlink_node(f, n);
		index_remove(f, find_slot(f, f->node[n].line));
		slot = find_slot(f, line); /* the removal may have shifted the chain */
	}
	f->node[n].line = line;
	f->index[slot] = n;
	push_front(f, n);
	return false;
}

void core_history_init(struct core_history *h, uint32_t capacity_lines)
{
	line_bits_init(&h->seen);
	fa_init(&h->shadow, capacity_lines);
}

void core_history_free(struct core_history *h)
{
	line_bits_free(&h->seen);
	fa_free(&h->shadow);
}

void core_history_reference(struct core_history *h, uint64_t line)
{
	h->last_shadow_hit = fa_reference(&h->shadow, line);
	/* Touched lines are a superset of the shadow's: only its misses can be new. */
	h->last_cold = !h->last_shadow_hit && !line_bits_set(&h->seen, line);
}
