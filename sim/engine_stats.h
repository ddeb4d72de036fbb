/* What the simulator counts, per core and protocol, and how it is read
 * back (engine_stats.c): accesses, hits and misses by cause, bus
 * transactions, invalidations, transfers, cycles, and how often each
 * transition of a protocol's table fired. */
#ifndef MESILAB_ENGINE_STATS_H
#define MESILAB_ENGINE_STATS_H

#include <stdint.h>

#include "protocol.h"

struct sim;

enum miss_cause { CAUSE_COLD, CAUSE_CAPACITY, CAUSE_CONFLICT, CAUSE_TRUE_SHARING, CAUSE_FALSE_SHARING,
		  SIM_NCAUSES };

struct core_stats {
	uint64_t reads, writes, rmws, ifetches, ifetch_misses, ifetches_skipped;
	uint64_t hits, misses, cause[SIM_NCAUSES];
	uint64_t l1_misses;  /* with a private L2: L1 misses the L2 served or not */
	uint64_t upgrades;   /* hits that needed the bus (BusUpgr, BusUpd) */
	uint64_t bus[BUS_NOPS];
	uint64_t flushes;    /* lines this cache put on the bus */
	/* Copies this cache's transactions invalidated elsewhere; its own
	 * copies others' transactions invalidated (what simulators that count
	 * at the snooper call its invalidations). */
	uint64_t invalidations_sent, invalidations_received;
	/* Lines this cache held exclusive (E, M) and gave up to another's
	 * read, keeping a shared copy or none. */
	uint64_t interventions;
	uint64_t updates_sent, updates_received;
	uint64_t c2c_transfers; /* lines received from another cache */
	uint64_t memory_reads;  /* lines received from the last level or memory */
	uint64_t llc_hits;
	uint64_t writebacks;
	uint64_t back_invalidations;
	uint64_t bus_bytes;
	uint64_t cycles;
};

/* Transition events: the processor's, then the snooped transactions. */
#define SIM_NEVENTS (PROC_NEVENTS + BUS_NOPS - 1)
const char *sim_event_name(unsigned event);

/* The statistics of CORE under protocol I. */
void sim_core_stats(const struct sim *s, unsigned protocol, unsigned core, struct core_stats *out);
void sim_total_stats(const struct sim *s, unsigned protocol, struct core_stats *total);
/* How often (state, event) led to NEXT under protocol I. */
uint64_t sim_transitions(const struct sim *s, unsigned protocol, unsigned state, unsigned event,
			 unsigned next);

#endif
