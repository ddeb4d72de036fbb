/* A thread incrementing its own counter, compiled once per access backend. */
#include <config.h>

#include "kernels.h"

void KERNEL(counter)(access_ctx *ctx, const struct counter_args *a)
{
	if (a->width == 4) {
		uint32_t *c = a->counter;

		for (uint64_t i = 0; i < a->iterations; i++) {
			if (a->atomic)
				access_fetch_add_u32(ctx, c, 1);
			else
				access_store_u32(ctx, c, access_load_u32(ctx, c) + 1);
			access_work(ctx, a->work);
		}
	} else {
		uint64_t *c = a->counter;

		for (uint64_t i = 0; i < a->iterations; i++) {
			if (a->atomic)
				access_fetch_add_u64(ctx, c, 1);
			else
				access_store_u64(ctx, c, access_load_u64(ctx, c) + 1);
			access_work(ctx, a->work);
		}
	}
}
