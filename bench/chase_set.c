#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "chase_set.h"
#include "interrupt.h"
#include "kernels.h"
#include "rng.h"
#include "timer.h"
#include "xalloc.h"

static int check_shape(size_t bytes, size_t stride, struct ml_error *err)
{
	if (stride < sizeof(uint64_t) || stride % sizeof(uint64_t)) {
		ml_error_set(err, "stride %zu is not a multiple of 8 bytes", stride);
		return -1;
	}
	if (bytes / stride < 2) {
		ml_error_set(err, "a working set of %zu bytes holds fewer than 2 nodes of %zu bytes", bytes,
			     stride);
		return -1;
	}
	if (bytes / stride > UINT32_MAX) {
		ml_error_set(err, "a working set of %zu bytes has too many nodes", bytes);
		return -1;
	}
	return 0;
}

int chase_set_link(struct chase_set *s, void *memory, size_t bytes, size_t stride, size_t block,
		   uint64_t seed, struct ml_error *err)
{
	size_t per_block, nblocks, n = 0;
	uint32_t *blocks, *order;
	struct rng rng;

	memset(s, 0, sizeof(*s));
	if (check_shape(bytes, stride, err) < 0)
		return -1;
	s->memory = memory;
	s->stride = stride;
	s->nodes = bytes / stride;
	s->bytes = s->nodes * stride;
	per_block = block / stride ? block / stride : 1;
	if (per_block > s->nodes)
		per_block = s->nodes;
	nblocks = (s->nodes + per_block - 1) / per_block;
	rng_seed(&rng, seed);
	blocks = xmalloc(nblocks * sizeof(*blocks));
	order = xmalloc(s->nodes * sizeof(*order));
	for (size_t b = 0; b < nblocks; b++)
		blocks[b] = (uint32_t)b;
	rng_shuffle_u32(&rng, blocks, nblocks);
	for (size_t b = 0; b < nblocks; b++) {
		size_t first = blocks[b] * per_block, count = per_block;

		if (first + count > s->nodes)
			count = s->nodes - first;
		for (size_t k = 0; k < count; k++)
			order[n + k] = (uint32_t)(first + k);
		rng_shuffle_u32(&rng, order + n, count);
		n += count;
	}
	/* Following the order and closing the loop makes one cycle through all.
	 * A set of a gigabyte takes seconds to link: a stop request is looked
	 * for along the way. */
	for (size_t i = 0; i < s->nodes; i++) {
		*(uint64_t *)(s->memory + (size_t)order[i] * stride) =
			(uint64_t)(uintptr_t)(s->memory + (size_t)order[(i + 1) % s->nodes] * stride);
		if (i % (1u << 20) == 0 && interrupt_check(err))
			break;
	}
	free(order);
	free(blocks);
	return interrupt_requested() ? -1 : 0;
}

int chase_set_build(struct chase_set *s, size_t bytes, size_t stride, uint64_t seed,
		    struct ml_error *err)
{
	void *memory;

	if (check_shape(bytes, stride, err) < 0)
		return -1;
	memory = xpages(bytes);
	if (chase_set_link(s, memory, bytes, stride, bytes, seed, err) < 0) {
		free(memory);
		return -1;
	}
	s->owns_memory = 1;
	return 0;
}

void chase_set_free(struct chase_set *s)
{
	if (s->owns_memory)
		free(s->memory);
	memset(s, 0, sizeof(*s));
}

const uint64_t *chase_set_node(const struct chase_set *s, size_t i)
{
	return (const uint64_t *)(s->memory + (i % s->nodes) * s->stride);
}

double chase_set_time(uint64_t steps, const uint64_t **from)
{
	struct access_native ctx = { 0 };
	struct chase_args a = { *from, steps };
	uint64_t start = timer_now_ns();

	*from = chase_native(&ctx, &a);
	return (double)(timer_now_ns() - start);
}
