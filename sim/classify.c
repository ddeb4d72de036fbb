#include <config.h>

#include <stdlib.h>

#include "classify.h"
#include "xalloc.h"

#define NIL UINT32_MAX

static void fa_init(struct fa_lru *f, uint32_t capacity)
{
	uint64_t slots = 4;

	while (slots < 2 * (uint64_t)capacity)
		slots *= 2;
	f->line = xmalloc(capacity * sizeof(*f->line));
	f->prev = xmalloc(capacity * sizeof(*f->prev));
	f->next = xmalloc(capacity * sizeof(*f->next));
	f->index = xmalloc(slots * sizeof(*f->index));
	for (uint64_t i = 0; i < slots; i++)
		f->index[i] = NIL;
	f->index_mask = slots - 1;
	f->head = f->tail = NIL;
	f->used = 0;
	f->capacity = capacity;
}

static void fa_free(struct fa_lru *f)
{
	free(f->line);
	free(f->prev);
	free(f->next);
	free(f->index);
}

static uint64_t home_of(const struct fa_lru *f, uint64_t line)
{
	return ((line ^ (line >> 29)) * 0x9e3779b97f4a7c15u >> 20) & f->index_mask;
}

/* The index slot of LINE, or of the empty slot where it would go. */
static uint64_t find_slot(const struct fa_lru *f, uint64_t line)
{
	uint64_t i = home_of(f, line);

	while (f->index[i] != NIL && f->line[f->index[i]] != line)
		i = (i + 1) & f->index_mask;
	return i;
}

/* Backward-shift deletion: no tombstones, probes stay short. */
static void index_remove(struct fa_lru *f, uint64_t i)
{
	for (uint64_t j = (i + 1) & f->index_mask; f->index[j] != NIL; j = (j + 1) & f->index_mask) {
		uint64_t home = home_of(f, f->line[f->index[j]]);

		if (((j - home) & f->index_mask) >= ((j - i) & f->index_mask)) {
			f->index[i] = f->index[j];
			i = j;
		}
	}
	f->index[i] = NIL;
}

static void unlink_node(struct fa_lru *f, uint32_t n)
{
	if (f->prev[n] != NIL)
		f->next[f->prev[n]] = f->next[n];
	else
		f->head = f->next[n];
	if (f->next[n] != NIL)
		f->prev[f->next[n]] = f->prev[n];
	else
		f->tail = f->prev[n];
}

static void push_front(struct fa_lru *f, uint32_t n)
{
	f->prev[n] = NIL;
	f->next[n] = f->head;
	if (f->head != NIL)
		f->prev[f->head] = n;
	f->head = n;
	if (f->tail == NIL)
		f->tail = n;
}

/* Returns whether LINE was held; it is the most recently used after. */
static bool fa_reference(struct fa_lru *f, uint64_t line)
{
	uint64_t slot;
	uint32_t n;

	/* Consecutive accesses to one line are the common case: no lookup. */
	if (f->head != NIL && f->line[f->head] == line)
		return true;
	slot = find_slot(f, line);
	n = f->index[slot];

	if (n != NIL) {
		if (f->head != n) {
			unlink_node(f, n);
			push_front(f, n);
		}
		return true;
	}
	if (f->used < f->capacity) {
		n = f->used++;
	} else {
		n = f->tail;
		unlink_node(f, n);
		index_remove(f, find_slot(f, f->line[n]));
		slot = find_slot(f, line); /* the removal may have shifted the chain */
	}
	f->line[n] = line;
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
