/* Two threads handing one line back and forth, compiled once per backend. */
#include <config.h>

#include "kernels.h"

/* One pause between looks at the line; false when the wait was given up. */
static inline bool wait_step(access_ctx *ctx, const struct pingpong_args *a)
{
	access_spin_cycles(a->backoff_cycles);
	return access_wait(ctx, a->relax);
}

void KERNEL(pingpong)(access_ctx *ctx, const struct pingpong_args *a)
{
	for (uint64_t i = 0; i < a->rounds && access_live(ctx); i++) {
		uint64_t mine = 2 * i + a->side;

		if (a->cas) {
			while (!access_cas_u64(ctx, a->flag, mine, mine + 1))
				if (!wait_step(ctx, a))
					return;
		} else {
			while (access_load_u64(ctx, a->flag) != mine)
				if (!wait_step(ctx, a))
					return;
			access_store_u64(ctx, a->flag, mine + 1);
		}
		/* Not straight back to the line just handed over: its new owner is
		 * fetching it. */
		access_spin_cycles(a->backoff_cycles);
		access_relax(ctx, a->relax);
	}
}
