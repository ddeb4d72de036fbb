#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chase_set.h"
#include "rng.h"
#include "xalloc.h"

#define PAGE 4096

int chase_set_build(struct chase_set *s, size_t bytes, size_t stride, uint64_t seed,
		    struct ml_error *err)
{
	struct rng rng;
	size_t *order;
	void *memory;
	int rc;

	memset(s, 0, sizeof(*s));
	if (stride < sizeof(uint64_t) || stride % sizeof(uint64_t)) {
		ml_error_set(err, "stride %zu is not a multiple of 8 bytes", stride);
		return -1;
	}
	if (bytes / stride < 2) {
		ml_error_set(err, "a working set of %zu bytes holds fewer than 2 nodes of %zu bytes", bytes,
			     stride);
		return -1;
	}
	s->stride = stride;
	s->nodes = bytes / stride;
	s->bytes = s->nodes * stride;
	rc = posix_memalign(&memory, PAGE, (s->bytes + PAGE - 1) / PAGE * PAGE);
	if (rc) {
		ml_error_set(err, "cannot allocate %zu bytes: %s", s->bytes, strerror(rc));
		return -1;
	}
	s->memory = memory;
	memset(s->memory, 0, s->bytes);

	/* Sattolo: swapping only with earlier positions yields a single cycle. */
	order = xmalloc(s->nodes * sizeof(*order));
	for (size_t i = 0; i < s->nodes; i++)
		order[i] = i;
	rng_seed(&rng, seed);
	for (size_t i = s->nodes - 1; i > 0; i--) {
		size_t j = (size_t)rng_below(&rng, i), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < s->nodes; i++)
		*(uint64_t *)(s->memory + i * stride) = (uint64_t)(uintptr_t)(s->memory + order[i] * stride);
	free(order);
	return 0;
}

void chase_set_free(struct chase_set *s)
{
	free(s->memory);
	memset(s, 0, sizeof(*s));
}

const uint64_t *chase_set_node(const struct chase_set *s, size_t i)
{
	return (const uint64_t *)(s->memory + (i % s->nodes) * s->stride);
}
