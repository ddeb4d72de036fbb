#include <config.h>

#include <stdlib.h>

#include "classify.h"
#include "xalloc.h"

static void fa_init(struct fa_lru *f, uint32_t capacity)
{
	uint64_t slots;

	f->index_bits = 2;
	while ((1ull << f->index_bits) < 4 * (uint64_t)capacity)
		f->index_bits++;
	slots = 1ull << f->index_bits;
	f->node = xmalloc(((size_t)capacity + 1) * sizeof(*f->node));
	f->index = xmalloc(slots * sizeof(*f->index));
	for (uint64_t i = 0; i < slots; i++)
		f->index[i] = FA_NIL;
	f->sentinel = capacity;
	f->node[capacity] = (struct fa_node){ UINT64_MAX, capacity, capacity };
	f->mru = UINT64_MAX;
	f->used = 0;
	f->capacity = capacity;
}

static void fa_free(struct fa_lru *f)
{
	free(f->node);
	free(f->index);
}

/* Backward-shift deletion: no tombstones, probes stay short. */
static void index_remove(struct fa_lru *f, uint64_t i)
{
	uint64_t mask = (1ull << f->index_bits) - 1;

	for (uint64_t j = (i + 1) & mask; f->index[j] != FA_NIL; j = (j + 1) & mask) {
		uint64_t home = fa_home(f, f->node[f->index[j]].line);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			f->index[i] = f->index[j];
			i = j;
		}
	}
	f->index[i] = FA_NIL;
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

void core_history_miss(struct core_history *h, uint64_t line)
{
	struct fa_lru *f = &h->shadow;
	uint32_t n;

	if (f->used < f->capacity) {
		n = f->used++;
	} else {
		n = f->node[f->sentinel].prev; /* the least recently used */
		fa_unlink(f, n);
		index_remove(f, fa_slot(f, f->node[n].line));
	}
	f->node[n].line = line;
	f->index[fa_slot(f, line)] = n;
	fa_push_front(f, n);
	h->last_shadow_hit = false;
	/* Touched lines are a superset of the shadow's: only its misses can be new. */
	h->last_cold = !line_bits_set(&h->seen, line);
}
