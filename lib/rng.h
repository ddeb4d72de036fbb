/* A small, fast, seedable random number generator (xoshiro256**, seeded
 * through splitmix64), so that every random choice can be reproduced. */
#ifndef MESILAB_RNG_H
#define MESILAB_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, bound), bound > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t bound);

/* A uniformly random permutation of A[0 .. N-1] (Fisher-Yates). */
void rng_shuffle_u32(struct rng *r, uint32_t *a, size_t n);
/* A[i] = i, then shuffled. */
void rng_permutation_u32(struct rng *r, uint32_t *a, size_t n);

#endif
