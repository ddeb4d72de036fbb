#include <config.h>

#include <stdlib.h>

#include "linemap.h"
#include "xalloc.h"

#define EMPTY UINT64_MAX /* line numbers never reach it */

static uint64_t slot_of(uint64_t key, uint64_t capacity)
{
	key ^= key >> 31;
	key *= 0x9e3779b97f4a7c15u;
	return (key >> 17) & (capacity - 1);
}

static void allocate(struct linemap *m, uint64_t capacity)
{
	m->keys = xmalloc(capacity * sizeof(*m->keys));
	m->values = xmalloc(capacity * sizeof(*m->values));
	for (uint64_t i = 0; i < capacity; i++)
		m->keys[i] = EMPTY;
	m->capacity = capacity;
	m->used = 0;
}

void linemap_init(struct linemap *m)
{
	allocate(m, 64);
}

void linemap_free(struct linemap *m)
{
	free(m->keys);
	free(m->values);
}

uint64_t *linemap_get(const struct linemap *m, uint64_t key)
{
	for (uint64_t i = slot_of(key, m->capacity);; i = (i + 1) & (m->capacity - 1)) {
		if (m->keys[i] == key)
			return &m->values[i];
		if (m->keys[i] == EMPTY)
			return NULL;
	}
}

uint64_t *linemap_put(struct linemap *m, uint64_t key, uint64_t value, bool *added)
{
	uint64_t i;

	if (2 * (m->used + 1) > m->capacity) {
		uint64_t *keys = m->keys, old = m->capacity;
		uint64_t *values = m->values;

		allocate(m, 2 * old);
		for (uint64_t k = 0; k < old; k++)
			if (keys[k] != EMPTY)
				*linemap_put(m, keys[k], values[k], added) = values[k];
		free(keys);
		free(values);
	}
	for (i = slot_of(key, m->capacity); m->keys[i] != EMPTY; i = (i + 1) & (m->capacity - 1)) {
		if (m->keys[i] == key) {
			*added = false;
			return &m->values[i];
		}
	}
	m->keys[i] = key;
	m->values[i] = value;
	m->used++;
	*added = true;
	return &m->values[i];
}

/* Backward-shift deletion keeps probe chains unbroken without tombstones. */
void linemap_remove(struct linemap *m, uint64_t key)
{
	uint64_t mask = m->capacity - 1, i = slot_of(key, m->capacity);

	while (m->keys[i] != key) {
		if (m->keys[i] == EMPTY)
			return;
		i = (i + 1) & mask;
	}
	for (uint64_t j = (i + 1) & mask; m->keys[j] != EMPTY; j = (j + 1) & mask) {
		uint64_t home = slot_of(m->keys[j], m->capacity);

		/* Move J back into the hole at I when its home is not in (I, J]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->keys[i] = m->keys[j];
			m->values[i] = m->values[j];
			i = j;
		}
	}
	m->keys[i] = EMPTY;
	m->used--;
}
