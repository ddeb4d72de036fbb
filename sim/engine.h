/* The simulator: per-core private caches on an atomic snooping bus, under
 * one or more protocols at once. All protocols see the same sequence of
 * accesses: in file order, in the order the first protocol's timing gives
 * (the timed order: the core whose clock is earliest issues next, ties to
 * the lower core), or in the timed order kept from moving any access
 * across a synchronisation record (the synchronised order: those records
 * issue in the file's order, each once the one before it has completed),
 * so that their differences are the protocols' alone. Each protocol keeps
 * its own caches, bus, clocks and statistics.
 *
 * This is its interface. Its files, one purpose each: engine_setup.c
 * builds a simulation, engine_access.c makes one access (a line's
 * coherence transaction), engine_hierarchy.c the caches around it,
 * engine_schedule.c the timed and synchronised orders, engine_stats.c
 * reads the counters back; engine_private.h is what they share, which
 * nothing else includes. */
#ifndef MESILAB_ENGINE_H
#define MESILAB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cache.h"
#include "error.h"
#include "protocol.h"
#include "trace.h"

#define SIM_MAX_CORES 64
/* At least every protocol of the registry, variants included, so that one
 * run can name them all (a list longer than this is cut short). */
#define SIM_MAX_PROTOCOLS 16
#define SIM_MAX_STORE_BUFFER 4096 /* entries; real cores have tens */
#define SIM_MAX_SPREAD 50 /* percent */

enum sim_order { SIM_ORDER_TIMED, SIM_ORDER_FILE, SIM_ORDER_SYNCED, SIM_NORDERS };
/* "timed", "file", "synced". */
extern const char *const sim_order_names[SIM_NORDERS];

struct sim_latency {
	unsigned hit;    /* L1 hit */
	unsigned l2;     /* L1 miss, private L2 hit */
	unsigned llc;    /* line from the shared last level */
	unsigned memory; /* line from memory */
	unsigned c2c;    /* line from another cache */
	unsigned bus;    /* a transaction without data: BusUpgr, BusUpd */
	/* With in_flight: from a line's landing at one core until it reaches
	 * another core whose request was already waiting for it (a ping-pong's
	 * hand-over), on a machine less than c2c by the request's way to the
	 * line, which the wait covered; taken as given. 0: c2c. */
	unsigned handover;
	unsigned atomic; /* what an atomic read-modify-write costs over its access (a locked instruction) */
};

struct sim_config {
	unsigned cores;
	struct cache_geometry l1, l1i, l2, llc; /* size 0: absent (l1 is required) */
	bool llc_inclusive;
	enum replacement policy;
	uint64_t seed;
	enum sim_order order;
	bool split_straddles; /* an access over two lines counts as two */
	/* Misses classified by cause (cold, capacity, conflict, true and false
	 * sharing): a fully associative shadow cache per core and the lines
	 * each core lost, which cost about a third of the time per access. */
	bool classify_causes;
	struct sim_latency latency;
	/* Each latency's fraction of a cycle, in sixteenths (0 to 15), added
	 * to its whole cycles: a machine whose L1 hit measures 1.8 cycles is
	 * modelled as 1 13/16, not 2. All 0 by default; the cycles reported
	 * are whole, rounded. */
	struct sim_latency sixteenths;
	/* Each bus transaction's time drawn uniformly within this many
	 * percent either side of its latencies' sum (0 to 50; 0, the default:
	 * fixed). A machine's transfers scatter; fixed ones let two cores'
	 * accesses fall into step, a regime a sixteenth of a cycle in a
	 * latency can enter or leave. Drawn from SEED, the same sequence
	 * under every protocol. */
	unsigned spread;
	/* Entries of each core's store buffer, 0: none (every store waits for
	 * its line). What it changes is said in engine_access.c. */
	unsigned store_buffer;
	/* Transactions take their time in the timed and synchronised orders:
	 * a core's access to a line another core's transaction is still
	 * bringing in waits until it has landed, and its new owner's next
	 * access goes first (what is said in engine_schedule.c). Off, every
	 * access takes effect when it issues, wherever its line is. */
	bool in_flight;
	FILE *log;            /* a line per access and protocol, or NULL */
};

void sim_config_defaults(struct sim_config *cfg);
/* Whether CFG's caches can be built: every cache with the L1's line size,
 * an L2 no smaller than the L1, plru only over a power-of-two number of
 * ways. 0, or -1 with ERR saying what is wrong. */
int sim_config_check(const struct sim_config *cfg, struct ml_error *err);

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
	/* Of them, those the synchronised order made the core wait before a
	 * synchronisation record for the one before it (outside any record's
	 * own time: what attributes cycles to records tells them apart). */
	uint64_t sync_wait;
};

/* Transition events: the processor's, then the snooped transactions. */
#define SIM_NEVENTS (PROC_NEVENTS + BUS_NOPS - 1)
const char *sim_event_name(unsigned event);

/* What the simulator tells an observer (the stress verifier): enough to
 * follow every line's data through the caches. */
enum sim_event_kind { SIM_EV_ACCESS, SIM_EV_EVICT };

struct sim_event {
	enum sim_event_kind kind;
	unsigned protocol, core;
	uint64_t line;
	enum proc_event op;      /* ACCESS: PROC_READ or PROC_WRITE */
	bool bus;                /* ACCESS: went through coherence_access() */
	bool data;               /* ... and the line arrived */
	int supplier;            /* ... from this cache, -1: from below */
	uint64_t updated_mask;   /* ... caches that took the written data (BusUpd) */
	uint64_t wrote_back_mask; /* ... snoopers that wrote the line back */
	bool writeback;          /* EVICT: the line went to memory */
};

typedef void (*sim_observer)(void *ctx, const struct sim_event *e);

struct sim;

struct sim *sim_new(const struct sim_config *cfg, const struct protocol *const *protocols,
		    unsigned nprotocols);
void sim_free(struct sim *s);
/* About how many bytes sim_new() allocates for CFG and NPROTOCOLS (what a
 * trace's own footprint adds is not counted). */
uint64_t sim_memory_estimate(const struct sim_config *cfg, unsigned nprotocols);
/* Calls OBSERVER for every line access and eviction (NULL: none). */
void sim_observe(struct sim *s, sim_observer observer, void *ctx);
/* Calls WATCH with each record just before it is simulated, under every
 * protocol at once (what attributes costs to records; NULL: none). */
typedef void (*sim_record_watch)(void *ctx, const struct trace_record *rec);
void sim_watch_records(struct sim *s, sim_record_watch watch, void *ctx);
/* The state of LINE in CORE's private caches under protocol I. */
uint8_t sim_line_state(const struct sim *s, unsigned protocol, unsigned core, uint64_t line);
/* The line number of an address. */
uint64_t sim_line_of(const struct sim *s, uint64_t address);
/* Simulates one access. */
void sim_access(struct sim *s, const struct trace_record *rec);
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
 * replay; and the order key of each record of CORE's last loan (its index
 * in the file, or a chunked trace's stamp): the file's order is the
 * records' by key, then by thread. */
struct sim_sync_feed {
	int (*sync_thread)(void *ctx, uint64_t k);
	const uint64_t *(*keys)(void *ctx, unsigned core);
	/* Instead of the file's order of every synchronisation record (then
	 * SYNC_THREAD and KEYS are not asked): the timed order of a traced
	 * program, whose records on its threads' hand-over words alone keep
	 * each word's order (see struct sim_handovers). */
	const struct sim_handovers *handovers;
};

/* A traced program's hand-over words: the runtime's, one per thread, on
 * which its creation, its start, its end and its join are recorded; for
 * each, the threads of the records on it in the file's order. Keeping
 * them so, a thread starts after its creation and ends before its join,
 * and nothing else orders the threads. */
struct sim_handovers {
	size_t n;
	const uint64_t *word;           /* in address order */
	const uint16_t *const *turns;   /* [word][k]: the thread of its k-th record */
	const size_t *nturns;
};
/* The same in the synchronised order (the records marked TRACE_SYNC). */
int sim_run_synced(struct sim *s, sim_feed feed, const struct sim_sync_feed *sync, void *ctx, uint64_t *done);

unsigned sim_protocols(const struct sim *s);
unsigned sim_cores(const struct sim *s);
enum sim_order sim_order(const struct sim *s);
/* After a replay in the synchronised order: the synchronisation records
 * (kept in the file's order) and the accesses replayed ahead of an access
 * of another thread that comes before them in the file (0 in file order:
 * how far the replay went from it). */
void sim_order_stats(const struct sim *s, uint64_t *sync_records, uint64_t *ahead);
bool sim_classifies_causes(const struct sim *s);
const struct protocol *sim_protocol(const struct sim *s, unsigned i);
/* The statistics of CORE under protocol I. */
void sim_core_stats(const struct sim *s, unsigned protocol, unsigned core, struct core_stats *out);
void sim_total_stats(const struct sim *s, unsigned protocol, struct core_stats *total);
/* How often (state, event) led to NEXT under protocol I. */
uint64_t sim_transitions(const struct sim *s, unsigned protocol, unsigned state, unsigned event,
			 unsigned next);

#endif
