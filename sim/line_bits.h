/* One bit per cache line, for any line number: bitmaps of 2^15 lines
 * (4 KiB) allocated as lines are touched and found through a small table,
 * so that the usual clustered footprints cost a few cache-friendly pages
 * instead of a hash table entry per line. */
#ifndef MESILAB_LINE_BITS_H
#define MESILAB_LINE_BITS_H

#include <stdbool.h>
#include <stdint.h>

#include "linemap.h"

#define LINE_BITS_CHUNK_SHIFT 15
#define LINE_BITS_RECENT 64 /* chunks remembered in front of the map */

struct line_bits {
	struct linemap chunks; /* chunk number -> index in pages */
	uint64_t **pages;
	uint32_t npages;
	/* Chunks looked up lately, direct-mapped by chunk number, with their
	 * pages: a footprint of a few regions (a 64 MiB region is 32 chunks)
	 * rarely reaches the map. */
	uint64_t recent_chunk[LINE_BITS_RECENT];
	uint64_t *recent_page[LINE_BITS_RECENT];
};

void line_bits_init(struct line_bits *b);
void line_bits_free(struct line_bits *b);
/* Sets LINE's bit; returns what it was. */
bool line_bits_set(struct line_bits *b, uint64_t line);

#endif
