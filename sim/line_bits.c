#include <config.h>

#include <stdlib.h>

#include "line_bits.h"
#include "xalloc.h"

#define WORDS_PER_PAGE ((1u << LINE_BITS_CHUNK_SHIFT) / 64)

void line_bits_init(struct line_bits *b)
{
	linemap_init(&b->chunks);
	b->pages = NULL;
	b->npages = 0;
	for (unsigned i = 0; i < LINE_BITS_RECENT; i++) {
		b->recent_chunk[i] = UINT64_MAX;
		b->recent_page[i] = NULL;
	}
}

void line_bits_free(struct line_bits *b)
{
	for (uint32_t i = 0; i < b->npages; i++)
		free(b->pages[i]);
	free(b->pages);
	linemap_free(&b->chunks);
}

/* The page of LINE's chunk, made when it is the chunk's first line. */
static uint64_t *page_of(struct line_bits *b, uint64_t line)
{
	uint64_t chunk = line >> LINE_BITS_CHUNK_SHIFT;
	unsigned recent = (unsigned)(chunk % LINE_BITS_RECENT);
	uint64_t *index;
	bool added;

	if (chunk == b->recent_chunk[recent])
		return b->recent_page[recent];
	index = linemap_put(&b->chunks, chunk, b->npages, &added);
	if (added) {
		b->pages = xrealloc(b->pages, b->npages + 1, sizeof(*b->pages));
		b->pages[b->npages++] = xcalloc(WORDS_PER_PAGE, sizeof(uint64_t));
	}
	b->recent_chunk[recent] = chunk;
	b->recent_page[recent] = b->pages[*index];
	return b->recent_page[recent];
}

bool line_bits_set(struct line_bits *b, uint64_t line)
{
	uint64_t *page = page_of(b, line);
	uint64_t bit = line & ((1u << LINE_BITS_CHUNK_SHIFT) - 1), mask = 1ull << (bit % 64);
	bool was = page[bit / 64] & mask;

	page[bit / 64] |= mask;
	return was;
}
