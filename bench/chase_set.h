/* The working set of a pointer chase: NODES nodes STRIDE bytes apart, each
 * holding the address of the next, linked in one cycle that visits every
 * node exactly once, in random order, so that neither the prefetchers nor
 * out-of-order execution can guess the next address. The order can be kept
 * within blocks (of the TLB's reach, say): all the nodes of one block, in
 * random order, then those of the next, the blocks in random order too. */
#ifndef MESILAB_CHASE_SET_H
#define MESILAB_CHASE_SET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct chase_set {
	unsigned char *memory;
	size_t bytes, stride, nodes;
	int owns_memory;
};

/* Allocates BYTES (rounded down to whole strides, at least 2 nodes) and
 * links them in one random cycle. STRIDE: a multiple of 8. */
int chase_set_build(struct chase_set *s, size_t bytes, size_t stride, uint64_t seed,
		    struct ml_error *err);
/* Links the nodes of MEMORY (which the caller owns) with the order kept
 * within blocks of BLOCK bytes (BLOCK >= BYTES: one random cycle). */
int chase_set_link(struct chase_set *s, void *memory, size_t bytes, size_t stride, size_t block,
		   uint64_t seed, struct ml_error *err);
void chase_set_free(struct chase_set *s);
/* Times STEPS dependent loads from *FROM, which is left at the node they
 * stopped at; returns nanoseconds. */
double chase_set_time(uint64_t steps, const uint64_t **from);
/* Node I, which any thread may start from: every node is on the cycle. */
const uint64_t *chase_set_node(const struct chase_set *s, size_t i);

#endif
