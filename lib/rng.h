/* A small, fast, seedable random number generator (xoshiro256**, seeded
 * through splitmix64), so that every random choice can be reproduced. */
#ifndef MESILAB_RNG_H
#define MESILAB_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, bound), bound > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t bound);

#endif
