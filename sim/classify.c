#include <config.h>

#include <stdlib.h>

#include "classify.h"
#include "xalloc.h"

#define NIL UINT32_MAX

static void fa_init(struct fa_lru *f, uint32_t capacity)
{
	linemap_init(&f->where);
	f->line = xmalloc(capacity * sizeof(*f->line));
	f->prev = xmalloc(capacity * sizeof(*f->prev));
	f->next = xmalloc(capacity * sizeof(*f->next));
	f->head = f->tail = NIL;
	f->used = 0;
	f->capacity = capacity;
}

static void fa_free(struct fa_lru *f)
{
	linemap_free(&f->where);
	free(f->line);
	free(f->prev);
	free(f->next);
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
	bool added;
	uint32_t *node = linemap_put(&f->where, line, NIL, &added), n;

	if (!added) {
		n = *node;
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
		linemap_remove(&f->where, f->line[n]);
		node = linemap_get(&f->where, line); /* removal may have moved it */
	}
	*node = n;
	f->line[n] = line;
	push_front(f, n);
	return false;
}

void core_history_init(struct core_history *h, uint32_t capacity_lines)
{
	linemap_init(&h->seen);
	fa_init(&h->shadow, capacity_lines);
}

void core_history_free(struct core_history *h)
{
	linemap_free(&h->seen);
	fa_free(&h->shadow);
}

void core_history_reference(struct core_history *h, uint64_t line)
{
	bool added;

	h->last_shadow_hit = fa_reference(&h->shadow, line);
	/* Touched lines are a superset of the shadow's: only its misses can be new. */
	h->last_cold = false;
	if (!h->last_shadow_hit) {
		linemap_put(&h->seen, line, 0, &added);
		h->last_cold = added;
	}
}
