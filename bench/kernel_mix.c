/* Random accesses with a hot set, compiled once per access backend. */
#include <config.h>

#include "kernels.h"
#include "rng.h"

void KERNEL(mix)(access_ctx *ctx, const struct mix_args *a)
{
	struct rng rng;

	rng_seed(&rng, a->seed);
	for (uint64_t i = 0; i < a->accesses && access_live(ctx); i++) {
		uint64_t x = rng_next(&rng);
		bool hot = (x & 0xffff) < a->hot_permille * 65536 / 1000;
		bool write = ((x >> 16) & 0x3ff) < a->write_permille * 1024 / 1000;
		uint64_t *p = hot ? &a->hot[(x >> 32) % a->hot_words] : &a->cold[(x >> 26) % a->cold_words];

		if (write)
			access_store_u64(ctx, p, x);
		else
			access_load_u64(ctx, p);
	}
}
