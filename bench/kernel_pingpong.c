/* Two threads handing one line back and forth, compiled once per backend. */
#include <config.h>

#include "kernels.h"

void KERNEL(pingpong)(access_ctx *ctx, const struct pingpong_args *a)
{
	for (uint64_t i = 0; i < a->rounds && access_live(ctx); i++) {
		uint64_t mine = 2 * i + a->side;

		if (a->cas) {
			while (!access_cas_u64(ctx, a->flag, mine, mine + 1))
				if (!access_wait(ctx, a->relax))
					return;
		} else {
			while (access_load_u64(ctx, a->flag) != mine)
				if (!access_wait(ctx, a->relax))
					return;
			access_store_u64(ctx, a->flag, mine + 1);
		}
		/* Not straight back to the line just handed over: its new owner is
		 * fetching it. */
		access_relax(ctx, a->relax);
	}
}
