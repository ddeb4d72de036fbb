#include <config.h>

#include "contention_variants.h"

const char *const contention_variant_names[CONTENTION_NVARIANTS] = {
	[CONTENTION_FAA] = "faa", [CONTENTION_TAS] = "tas", [CONTENTION_TICKET] = "ticket",
	[CONTENTION_RING_PADDED] = "ring-padded", [CONTENTION_RING_PACKED] = "ring-packed",
};

const struct contention_variant contention_variants[CONTENTION_NVARIANTS] = {
	[CONTENTION_FAA] = { CONTEND_FAA, 0, "atomic fetch-and-add on one counter" },
	[CONTENTION_TAS] = { CONTEND_TAS, 0,
			     "test-and-test-and-set lock around an increment (lock and counter on one line)" },
	[CONTENTION_TICKET] = { CONTEND_TICKET, 0, "ticket lock around an increment (fair: threads enter in order)" },
	[CONTENTION_RING_PADDED] = { CONTEND_RING, 64,
				     "single-producer single-consumer ring, head and tail on separate lines" },
	[CONTENTION_RING_PACKED] = { CONTEND_RING, 8, "the same ring with head and tail on one line (false sharing)" },
};

void contention_variant_args(const struct contention_variant *v, uint64_t *page,
			     uint64_t iterations, unsigned side, unsigned relax,
			     struct contention_args *a)
{
	*a = (struct contention_args){
		.kind = v->kind, .iterations = iterations, .side = side, .relax = relax,
		.counter = &page[1], .lock = &page[0], .next = &page[0], .serving = &page[2],
		.head = &page[0], .tail = &page[v->tail_offset / 8], .slots = &page[16],
	};
	/* The ticket lock uses two words of the line; its counter follows them. */
	if (v->kind == CONTEND_TICKET)
		a->counter = &page[3];
}
