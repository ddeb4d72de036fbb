/* The contention benchmark's variants, shared by the native benchmark and
 * its trace: which kernel, and where its words lie in one page. */
#ifndef MESILAB_CONTENTION_VARIANTS_H
#define MESILAB_CONTENTION_VARIANTS_H

#include <stddef.h>
#include <stdint.h>

#include "kernels.h"

struct contention_variant {
	enum contention_kind kind;
	size_t tail_offset; /* ring only: the tail beside the head, or a line away */
	const char *what;
};

enum contention_variant_id { CONTENTION_FAA, CONTENTION_TAS, CONTENTION_TICKET, CONTENTION_RING_PADDED,
			     CONTENTION_RING_PACKED, CONTENTION_NVARIANTS };
extern const struct contention_variant contention_variants[CONTENTION_NVARIANTS];
/* Their names, in the same order: "faa", "tas", "ticket", "ring-padded", "ring-packed". */
extern const char *const contention_variant_names[CONTENTION_NVARIANTS];

/* The spin-wait hints per look the contention benchmark waits with by
 * default (its --relax): the suite's model of its locks waits so too. */
#define CONTENTION_RELAX_DEFAULT 1

/* The kernel's arguments for thread SIDE with its words in PAGE (4 KiB,
 * zeroed; the ticket lock's serving counter starts at 0 like its next),
 * waiting with RELAX spin-wait hints per look. */
void contention_variant_args(const struct contention_variant *v, uint64_t *page,
			     uint64_t iterations, unsigned side, unsigned relax,
			     struct contention_args *a);

#endif
