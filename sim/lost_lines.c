#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "lost_lines.h"
#include "xalloc.h"

void lost_lines_init(struct lost_lines *l, unsigned cores)
{
	memset(l, 0, sizeof(*l));
	l->cores = cores;
	linemap_init(&l->map);
}

void lost_lines_free(struct lost_lines *l)
{
	linemap_free(&l->map);
	free(l->pool);
	free(l->free);
}

static uint64_t *entry(struct lost_lines *l, uint32_t index)
{
	return &l->pool[(size_t)index * (1 + l->cores)];
}

static uint32_t new_entry(struct lost_lines *l)
{
	uint32_t index;

	if (l->nfree) {
		index = l->free[--l->nfree];
	} else {
		if (l->used == l->capacity) {
			l->capacity = l->capacity ? 2 * l->capacity : 256;
			l->pool = xrealloc(l->pool, (size_t)l->capacity * (1 + l->cores), sizeof(*l->pool));
			l->free = xrealloc(l->free, l->capacity, sizeof(*l->free));
		}
		index = l->used++;
	}
	memset(entry(l, index), 0, (1 + l->cores) * sizeof(uint64_t));
	return index;
}

void lost_lines_add(struct lost_lines *l, uint64_t line, unsigned core)
{
	bool added;
	uint64_t *index = linemap_put(&l->map, line, 0, &added);
	uint64_t *e;

	if (added) {
		*index = new_entry(l);
		l->filter[lost_lines_hash(line)]++;
	}
	e = entry(l, (uint32_t)*index);
	e[0] |= 1ull << core;
	e[1 + core] = 0;
}

void lost_lines_write(struct lost_lines *l, uint64_t line, unsigned writer, uint64_t words)
{
	uint64_t *index = linemap_get(&l->map, line);
	uint64_t *e, mask;

	if (!index)
		return;
	e = entry(l, (uint32_t)*index);
	mask = e[0] & ~(1ull << writer);
	while (mask) {
		e[1 + ML_CTZ64(mask)] |= words;
		mask &= mask - 1;
	}
}

int lost_lines_take(struct lost_lines *l, uint64_t line, unsigned core, uint64_t words)
{
	uint64_t *index = linemap_get(&l->map, line);
	uint64_t *e;
	int true_sharing;

	if (!index)
		return -1;
	e = entry(l, (uint32_t)*index);
	if (!(e[0] & (1ull << core)))
		return -1;
	true_sharing = (e[1 + core] & words) != 0;
	e[0] &= ~(1ull << core);
	if (!e[0]) {
		l->free[l->nfree++] = (uint32_t)*index;
		linemap_remove(&l->map, line);
		l->filter[lost_lines_hash(line)]--;
	}
	return true_sharing;
}
