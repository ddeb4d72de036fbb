/* Which of a set's ways hold a 32-bit key: a bit mask, found without a
 * branch per way. The way that matches is as good as random, so a loop
 * leaving at it would be mispredicted on most hits; with SSE2 (every
 * x86-64) four ways are compared in one instruction. */
#ifndef MESILAB_WAY_MATCH_H
#define MESILAB_WAY_MATCH_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline uint64_t way_match(const uint32_t *keys, unsigned ways, uint32_t key)
{
	uint64_t match = 0;
	unsigned w = 0;

#if defined(__SSE2__)
	__m128i want = _mm_set1_epi32((int)key);

	for (; w + 4 <= ways; w += 4) {
		__m128i have = _mm_loadu_si128((const __m128i *)(const void *)&keys[w]);

		match |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(have, want))) << w;
	}
#endif
	for (; w < ways; w++)
		match |= (uint64_t)(keys[w] == key) << w;
	return match;
}

#endif
