/* Pointer chasing, compiled once per access backend. */
#include <config.h>

#include "kernels.h"

const uint64_t *KERNEL(chase)(access_ctx *ctx, const struct chase_args *a)
{
	const uint64_t *p = a->start;

	for (uint64_t i = 0; i < a->steps && access_live(ctx); i++)
		p = (const uint64_t *)(uintptr_t)access_load_u64(ctx, p);
	return p;
}
