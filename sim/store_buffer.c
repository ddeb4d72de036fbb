/* A core's store buffer: a ring of retired stores and their drain times
 * (store_buffer.h). */
#include <config.h>

#include <stdlib.h>

#include "store_buffer.h"
#include "xalloc.h"

void store_buffer_init(struct store_buffer *b, unsigned entries)
{
	*b = (struct store_buffer){ .entry = xcalloc(entries, sizeof(*b->entry)), .cap = entries };
}

void store_buffer_free(struct store_buffer *b)
{
	free(b->entry);
}

static const struct store_buffer_entry *newest(const struct store_buffer *b)
{
	return &b->entry[(b->head + b->count - 1) % b->cap];
}

uint64_t store_buffer_room(struct store_buffer *b, uint64_t now)
{
	if (b->count == b->cap && b->entry[b->head].done > now)
		now = b->entry[b->head].done;
	/* The times grow from the oldest, so the drained ones lead. */
	while (b->count && b->entry[b->head].done <= now) {
		b->head = (b->head + 1) % b->cap;
		b->count--;
	}
	return now;
}

bool store_buffer_pending_tail(const struct store_buffer *b, uint64_t line, uint64_t now)
{
	return b->count && newest(b)->line == line && newest(b)->done > now && !newest(b)->superseded;
}

void store_buffer_push(struct store_buffer *b, uint64_t line, uint64_t address, unsigned size, uint64_t done)
{
	/* store_buffer_room() made room before the store retired. */
	b->entry[(b->head + b->count) % b->cap] = (struct store_buffer_entry){ line, address, done, size, false };
	b->count++;
	b->last_done = done;
}

bool store_buffer_forwards(const struct store_buffer *b, uint64_t address, unsigned size, uint64_t now)
{
	for (unsigned i = b->count; i-- > 0;) {
		const struct store_buffer_entry *e = &b->entry[(b->head + i) % b->cap];

		if (e->done <= now)
			return false; /* this and every older one has drained */
		if (e->address <= address && address + size <= e->address + e->size)
			return !e->superseded;
		if (e->address < address + size && address < e->address + e->size)
			return false; /* a newer store holds part of them */
	}
	return false;
}

uint64_t store_buffer_line_done(const struct store_buffer *b, uint64_t line, uint64_t now)
{
	for (unsigned i = b->count; i-- > 0;) {
		const struct store_buffer_entry *e = &b->entry[(b->head + i) % b->cap];

		if (e->done <= now)
			break;
		if (e->line == line)
			return e->done; /* the newest of the line drains last */
	}
	return 0;
}

void store_buffer_supersede(struct store_buffer *b, uint64_t address, unsigned size)
{
	for (unsigned i = 0; i < b->count; i++) {
		struct store_buffer_entry *e = &b->entry[(b->head + i) % b->cap];

		if (e->address < address + size && address < e->address + e->size)
			e->superseded = true;
	}
}
