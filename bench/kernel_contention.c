/* Threads contending for one line, compiled once per access backend. */
#include <config.h>

#include "kernels.h"

static void critical_section(access_ctx *ctx, uint64_t *counter)
{
	access_store_u64(ctx, counter, access_load_u64(ctx, counter) + 1);
}

static uint64_t ring(access_ctx *ctx, const struct contention_args *a)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < a->iterations && access_live(ctx); i++) {
		if (a->side == 0) {
			/* The producer waits for a free slot, fills it, publishes it. */
			while (i - access_load_acquire_u64(ctx, a->tail) >= RING_SLOTS)
				if (!access_wait(ctx, a->relax))
					return sum;
			access_store_u64(ctx, &a->slots[i % RING_SLOTS], i);
			access_store_release_u64(ctx, a->head, i + 1);
		} else {
			while (access_load_acquire_u64(ctx, a->head) <= i)
				if (!access_wait(ctx, a->relax))
					return sum;
			sum += access_load_u64(ctx, &a->slots[i % RING_SLOTS]);
			access_store_release_u64(ctx, a->tail, i + 1);
		}
	}
	return sum;
}

uint64_t KERNEL(contention)(access_ctx *ctx, const struct contention_args *a)
{
	if (a->kind == CONTEND_RING)
		return ring(ctx, a);
	for (uint64_t i = 0; i < a->iterations && access_live(ctx); i++) {
		if (a->kind == CONTEND_FAA) {
			access_fetch_add_u64(ctx, a->counter, 1);
		} else if (a->kind == CONTEND_TAS) {
			/* Test and test-and-set: spin on loads, which share the line. */
			while (!access_cas_u64(ctx, a->lock, 0, 1))
				while (access_load_u64(ctx, a->lock))
					if (!access_wait(ctx, a->relax))
						return 0;
			critical_section(ctx, a->counter);
			access_store_release_u64(ctx, a->lock, 0);
		} else {
			uint64_t ticket = access_fetch_add_u64(ctx, a->next, 1);

			while (access_load_acquire_u64(ctx, a->serving) != ticket)
				if (!access_wait(ctx, a->relax))
					return 0;
			critical_section(ctx, a->counter);
			access_store_release_u64(ctx, a->serving, ticket + 1);
		}
	}
	return 0;
}
