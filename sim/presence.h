/* Which of up to 8 private caches may hold a line, without looking in
 * them: lines are hashed into buckets, and each bucket keeps, per core, how
 * many of the lines that core's cache holds fall in it. A core whose count
 * is 0 surely does not hold the line; the others may. A miss then looks
 * only in those caches, most of the time in none. A count that reaches
 * 255 stays there (the core then always "may" hold that bucket's lines),
 * so that one byte per count is enough and never wraps. */
#ifndef MESILAB_PRESENCE_H
#define MESILAB_PRESENCE_H

#include <stdint.h>

#define PRESENCE_MAX_CORES 8
#define PRESENCE_STUCK 255

struct presence {
	uint64_t *bucket; /* a count per core: core c's in bits 8c to 8c + 7 */
	unsigned bits;
};

/* Room for caches of CAPACITY lines each: four buckets a line, so that a
 * core's count in a bucket is rarely not 0 by chance. */
void presence_init(struct presence *p, uint64_t capacity);
void presence_free(struct presence *p);

static inline uint64_t *presence_bucket(const struct presence *p, uint64_t line)
{
	return &p->bucket[(line * 0x9e3779b97f4a7c15u) >> (64 - p->bits)];
}

static inline void presence_add(struct presence *p, uint64_t line, unsigned core)
{
	uint64_t *b = presence_bucket(p, line);

	if ((*b >> (8 * core) & 0xff) != PRESENCE_STUCK)
		*b += 1ull << (8 * core);
}

static inline void presence_remove(struct presence *p, uint64_t line, unsigned core)
{
	uint64_t *b = presence_bucket(p, line);

	if ((*b >> (8 * core) & 0xff) != PRESENCE_STUCK)
		*b -= 1ull << (8 * core);
}

/* A bit for every core whose cache may hold LINE. */
static inline uint64_t presence_of(const struct presence *p, uint64_t line)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, high = 0x8080808080808080ull;
	uint64_t x = *presence_bucket(p, line);
	/* The top bit of each byte: set when the byte is not 0. */
	uint64_t nonzero = (x | ((x & low7) + low7)) & high;

	/* Gathers the eight top bits into the low byte, core c in bit c. */
	return ((nonzero >> 7) * 0x0102040810204080ull) >> 56;
}

#endif
