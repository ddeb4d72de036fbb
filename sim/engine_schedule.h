/* The orders a replay issues its accesses in (engine_schedule.c): the
 * timed order, each core's next access when its clock says so, and the
 * synchronised order, the same with the synchronisation records kept in
 * the file's order. The file order needs no scheduler: sim_access() on
 * each record in turn. */
#ifndef MESILAB_ENGINE_SCHEDULE_H
#define MESILAB_ENGINE_SCHEDULE_H

#include <stdint.h>
#include <sys/types.h>

#include "trace.h"

struct sim;

/* Lends CORE's next accesses in its program order, those after the last
 * loan to CORE: *RECORDS points at as many as it returns (0 when CORE has
 * no more, -1 to stop the replay), valid until the next call for CORE.
 * Lent in place, the records are not copied. */
typedef ssize_t (*sim_feed)(void *ctx, unsigned core, const struct trace_record **records);
/* Simulates every core's accesses in the timed order, counting them into
 * DONE; returns 0, or -1 when FEED stopped it. */
int sim_run_timed(struct sim *s, sim_feed feed, void *ctx, uint64_t *done);
/* What the synchronised order needs besides the records, from the same
 * CTX: the thread of the trace's synchronisation record number K (0: the
 * first; K only grows), -1 while no core can be at it yet, -2 to stop the
 * replay; and the index in the file of each record of CORE's last loan. */
struct sim_sync_feed {
	int (*sync_thread)(void *ctx, uint64_t k);
	const uint64_t *(*indices)(void *ctx, unsigned core);
};
/* The same in the synchronised order (the records marked TRACE_SYNC). */
int sim_run_synced(struct sim *s, sim_feed feed, const struct sim_sync_feed *sync, void *ctx, uint64_t *done);

/* After a replay in the synchronised order: the synchronisation records
 * (kept in the file's order) and the accesses replayed ahead of an access
 * of another thread that comes before them in the file (0 in file order:
 * how far the replay went from it). */
void sim_order_stats(const struct sim *s, uint64_t *sync_records, uint64_t *ahead);

#endif
