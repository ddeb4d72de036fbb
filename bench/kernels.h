/* The benchmark kernels, each compiled for both access backends. */
#ifndef MESILAB_KERNELS_H
#define MESILAB_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access.h"

/* Pointer chasing: STEPS dependent loads, each reading the address of the
 * next node. Returns the node it stopped at. */
struct chase_args {
	const uint64_t *start;
	uint64_t steps;
};
const uint64_t *chase_native(struct access_native *ctx, const struct chase_args *a);
const uint64_t *chase_logged(struct access_logged *ctx, const struct chase_args *a);

/* One thread incrementing its own counter ITERATIONS times, with WORK
 * cycles of other work after each increment: a plain load and store, or
 * an atomic fetch-and-add. The counter is 4 or 8 bytes wide. */
struct counter_args {
	void *counter;
	unsigned width; /* 4 or 8 */
	uint64_t iterations;
	bool atomic;
	uint32_t work;
};
void counter_native(struct access_native *ctx, const struct counter_args *a);
void counter_logged(struct access_logged *ctx, const struct counter_args *a);

#endif
