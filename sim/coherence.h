/* One coherence transaction on one line, straight from the protocol table:
 * the requester's rule, the snoop of every other cache, the shared signal,
 * who supplies the line. Used by the simulator and by the verifier, so
 * that what is verified is what is simulated. */
#ifndef MESILAB_COHERENCE_H
#define MESILAB_COHERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"

struct coh_result {
	uint8_t bus[2];         /* transactions issued, in order */
	unsigned nbus;
	bool shared;            /* the shared signal during the first transaction: another cache keeps a copy */
	bool data;              /* the requester received the line (BusRd, BusRdX) */
	int supplier;           /* the cache that supplied it, -1: memory */
	unsigned invalidations; /* other copies that became invalid */
	unsigned updates;       /* other copies updated by BusUpd */
	unsigned snoop_writebacks;
	bool writeback;         /* the requester wrote the line back (eviction) */
	/* Per core: snooped BusUpd and took the written data (for data tracking). */
	uint64_t updated_mask;  /* bit c for core c */
	uint64_t wrote_back_mask;
	uint64_t offered_mask;  /* every cache whose rule supplies the line */
	/* The caches counted as putting the line on the bus: the supplier,
	 * those writing it back, and under the protocol's counting rule
	 * (flush_every_supplier) every cache in offered_mask. */
	uint64_t flushed_mask;
};

/* Applies EVENT by CORE to one line whose state in each of the NCORES
 * caches (at most 64) is STATES[c] (updated in place). */
void coherence_access(const struct protocol *p, uint8_t *states, unsigned ncores, unsigned core,
		      enum proc_event event, struct coh_result *r);
/* The same, also giving in MID (when not NULL) the states of CORE and of
 * the cores in OTHERS between the first and the second transaction (the
 * rest of MID is left alone); OTHERS has a bit for every other core whose
 * state may be valid (the rest must be invalid): only those snoop. */
void coherence_access_steps(const struct protocol *p, uint8_t *states, uint8_t *mid, unsigned core,
			    enum proc_event event, uint64_t others, struct coh_result *r);

#endif
