/* Which of up to 8 private caches may hold a line, without looking in
 * them: lines are hashed into buckets, and each bucket keeps, per core, how
 * many of the lines that core's cache holds fall in it. A core whose count
 * is 0 surely does not hold the line; the others may. A miss then looks
 * only in those caches, most of the time in none. A count that reaches
 * 15 stays there (the core then always "may" hold that bucket's lines), so
 * that four bits per count are enough and never wrap: eight buckets a
 * line fit where four of byte counts would, and a core's count is not 0 by
 * chance half as often. */
#ifndef MESILAB_PRESENCE_H
#define MESILAB_PRESENCE_H

#include <stdint.h>

#define PRESENCE_MAX_CORES 8
#define PRESENCE_STUCK 15

struct presence {
	uint32_t *bucket; /* a count per core: core c's in bits 4c to 4c + 3 */
	unsigned bits;
};

/* Room for caches of CAPACITY lines each: eight buckets a line, so that a
 * core's count in a bucket is rarely not 0 by chance. */
void presence_init(struct presence *p, uint64_t capacity);
void presence_free(struct presence *p);

static inline uint32_t *presence_bucket(const struct presence *p, uint64_t line)
{
	return &p->bucket[(line * 0x9e3779b97f4a7c15u) >> (64 - p->bits)];
}

static inline void presence_add(struct presence *p, uint64_t line, unsigned core)
{
	uint32_t *b = presence_bucket(p, line);

	if ((*b >> (4 * core) & 0xf) != PRESENCE_STUCK)
		*b += 1u << (4 * core);
}

static inline void presence_remove(struct presence *p, uint64_t line, unsigned core)
{
	uint32_t *b = presence_bucket(p, line);

	if ((*b >> (4 * core) & 0xf) != PRESENCE_STUCK)
		*b -= 1u << (4 * core);
}

/* The cores that may hold LINE: bit c for core c. */
static inline uint64_t presence_of(const struct presence *p, uint64_t line)
{
	uint32_t x = *presence_bucket(p, line);
	/* The top bit of each count: set when the count is not 0. */
	uint32_t m = ((x | ((x & 0x77777777u) + 0x77777777u)) & 0x88888888u) >> 3;

	/* Gathers the bits at 4c into bit c, halving the gaps at each step. */
	m = (m | m >> 3) & 0x03030303u;
	m = (m | m >> 6) & 0x000f000fu;
	return (m | m >> 12) & 0xffu;
}

#endif
