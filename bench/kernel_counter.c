/* A thread working on its own counter, compiled once per access backend. */
#include <config.h>

#include "kernels.h"

/* The loads of a reader are summed so that none is dead. */
uint64_t KERNEL(counter)(access_ctx *ctx, const struct counter_args *a)
{
	uint64_t seen = 0;

	for (uint64_t i = 0; i < a->iterations && access_live(ctx); i++) {
		if (a->width == 4) {
			uint32_t *c = a->counter;

			if (a->op == COUNTER_ATOMIC)
				access_fetch_add_u32(ctx, c, 1);
			else if (a->op == COUNTER_READ)
				seen += access_load_u32(ctx, c);
			else
				access_store_u32(ctx, c, access_load_u32(ctx, c) + 1);
		} else {
			uint64_t *c = a->counter;

			if (a->op == COUNTER_ATOMIC)
				access_fetch_add_u64(ctx, c, 1);
			else if (a->op == COUNTER_READ)
				seen += access_load_u64(ctx, c);
			else
				access_store_u64(ctx, c, access_load_u64(ctx, c) + 1);
		}
		access_work(ctx, a->work);
	}
	return seen;
}
