/* The working set of a pointer chase: NODES nodes STRIDE bytes apart, each
 * holding the address of the next, linked in one random cycle (Sattolo's
 * algorithm) that visits every node exactly once, so that neither the
 * prefetchers nor out-of-order execution can guess the next address. */
#ifndef MESILAB_CHASE_SET_H
#define MESILAB_CHASE_SET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct chase_set {
	unsigned char *memory; /* page-aligned */
	size_t bytes, stride, nodes;
};

/* BYTES is rounded down to whole strides (at least 2 nodes); STRIDE >= 8. */
int chase_set_build(struct chase_set *s, size_t bytes, size_t stride, uint64_t seed,
		    struct ml_error *err);
void chase_set_free(struct chase_set *s);
/* Node I, which any thread may start from: every node is on the cycle. */
const uint64_t *chase_set_node(const struct chase_set *s, size_t i);

#endif
