/* The simulator's costs per record, attributed to where the record came
 * from: watching the simulator (sim_watch_records), each record's share
 * is what its core's counters gained while it was simulated, under each
 * protocol (its misses by cause, the invalidations it sent, the lines it
 * got from another cache), added to its code location and to its address.
 * The invalidations a core received go to the victim: its last access to
 * the line it lost, that access's location and address (observing the
 * simulator's transactions, sim_observe); so do the updates it received. Beside that, which thread
 * touched which bytes of which line, reading or writing, from which
 * location: what a false-sharing finding names. */
#ifndef MESILAB_SIM_ATTRIBUTION_H
#define MESILAB_SIM_ATTRIBUTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* CYCLES: the modelled cycles a record added to its core's time beyond
 * its gap (the program's own work before it): its latency, its wait for
 * the bus and, in the synchronised order, a synchronisation record's wait
 * for the one before it; never below 0 (a store buffer's drain can hide
 * a gap). CAUSE_CYCLES: those of the records that missed, by the cause
 * of their misses (a record over two lines of two causes shares them).
 * UPDATES: the copies an update protocol's write (Dragon's BusUpd) sent
 * its data to; UPDATES_RECEIVED: those a copy got, to the victim's last
 * access as for invalidations; UPDATE_CYCLES: the cycles of the records
 * that sent updates and did not miss (what an update protocol's sharing
 * costs, where an invalidation protocol's is misses). */
struct attr_counts {
	uint64_t accesses, misses, cause[SIM_NCAUSES], invalidations, invalidations_received, c2c;
	uint64_t updates, updates_received;
	uint64_t cycles, cause_cycles[SIM_NCAUSES], update_cycles;
};

/* A thread's accesses to a line from one location, reads or writes: the
 * bytes they covered (bit B of BYTES: the line's byte B; lines of at most
 * 256 bytes), and FIRST and LAST of them. */
#define ATTR_MAX_LINE 256

struct attr_touch {
	uint64_t line;
	uint32_t loc;
	uint16_t thread;
	bool write;
	uint16_t first, last;
	uint64_t bytes[ATTR_MAX_LINE / 64];
	uint64_t count;
};

/* For qsort: touches by line, then thread, writes before reads, then the
 * first byte touched. */
int attr_touch_compare(const void *a, const void *b);

/* How many distinct addresses and touches are kept, at most: beyond, the
 * costs go to no address, and attribution_truncated says so. */
#define ATTR_MAX_ADDRESSES (1u << 20)
#define ATTR_MAX_TOUCHES (1u << 20)

/* The location of each record as the simulator takes it (thread by
 * thread, they come in the file's order); 0: unknown. */
typedef uint32_t (*attr_loc_of)(void *ctx, const struct trace_record *rec);

struct attribution;

/* Watches S (every protocol of it, lines of LINE_SIZE bytes) for
 * locations below NLOCS. */
struct attribution *attribution_new(struct sim *s, unsigned line_size, uint32_t nlocs, attr_loc_of loc_of,
				    void *ctx);
/* Watches S for the cycles alone, every record to location 0 (no
 * addresses, touches or invalidations received): what another replay's
 * total is compared by. */
struct attribution *attribution_new_totals(struct sim *s);
/* After the replay: the last record's share. */
void attribution_finish(struct attribution *a);
void attribution_free(struct attribution *a);

const struct attr_counts *attribution_of_loc(const struct attribution *a, unsigned protocol, uint32_t loc);
/* The addresses records started at, and each one's counts. */
size_t attribution_addresses(const struct attribution *a);
uint64_t attribution_address(const struct attribution *a, size_t i);
const struct attr_counts *attribution_of_address(const struct attribution *a, unsigned protocol, size_t i);
size_t attribution_touches(const struct attribution *a, const struct attr_touch **touches);
bool attribution_truncated(const struct attribution *a);
/* Every location's counts under PROTOCOL added up: the program's. */
void attribution_total(const struct attribution *a, unsigned protocol, struct attr_counts *total);

void attr_counts_add(struct attr_counts *to, const struct attr_counts *from);

#endif
