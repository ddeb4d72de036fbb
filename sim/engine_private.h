/* What the engine's files share and nothing else includes (engine.h is the
 * interface): the structures of a simulation, the bookkeeping of which
 * cores hold a line, and the hot path of one access. That path is inline
 * here, not in engine_access.c, so that each order's loop
 * (engine_schedule.c) and sim_access() keep it in their own translation
 * unit: without link-time optimisation a function of another file is a
 * call, and most accesses are hits that cost a few instructions. */
#ifndef MESILAB_ENGINE_PRIVATE_H
#define MESILAB_ENGINE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "classify.h"
#include "coherence.h"
#include "compiler.h"
#include "engine.h"
#include "linemap.h"
#include "lost_lines.h"
#include "presence.h"
#include "rng.h"
#include "store_buffer.h"

#define WORD_SHIFT 2 /* sharing is told apart by 4-byte words */
/* The clocks count sixteenths of a cycle (ticks), so that a fractional
 * latency (sim_config's sixteenths) accumulates exactly; a record's gap,
 * in cycles, is shifted into ticks where it is added, and the cycles
 * reported are the ticks rounded (engine_stats.c). */
#define TICK_SHIFT 4

static inline uint64_t ticks_of(uint64_t cycles)
{
	return cycles << TICK_SHIFT;
}

/* Whole cycles, rounded, of TICKS. */
static inline uint64_t cycles_of(uint64_t ticks)
{
	return (ticks + ticks_of(1) / 2) >> TICK_SHIFT;
}
#define NO_STATE 0xff

struct sim_instance {
	const struct protocol *p;
	unsigned index; /* in struct sim */
	struct cache *pll;  /* per core: the private level that holds the state */
	struct cache *l1;   /* per core, only with a private L2 (an inclusive subset) */
	struct cache *l1i;  /* per core, when configured */
	struct cache llc;   /* shared, when configured */
	/* The next state of a hit that needs no bus transaction, by state and
	 * read/write (NO_STATE: the bus is needed): the hit path's whole table. */
	uint8_t silent[PROTOCOL_MAX_STATES][2];
	uint64_t silent_hits[PROTOCOL_MAX_STATES][2]; /* transitions taken by those hits */
	/* A read or write that needs the bus while no other cache holds the
	 * line: its outcome and the requester's next state, by state. */
	struct coh_result alone[PROTOCOL_MAX_STATES][2];
	uint8_t alone_next[PROTOCOL_MAX_STATES][2];
	uint64_t *clock;
	uint64_t bus_free;
	struct core_stats *stats;
	uint64_t *transitions; /* [state][event][next] */
	struct lost_lines lost; /* for true and false sharing */
	/* Which cores' private caches may hold a line, so that a miss snoops
	 * only those caches (the snoop filter real machines have): up to
	 * PRESENCE_MAX_CORES cores (four bits of count each in one word) a presence
	 * filter, beyond a map of each line's holders (track_holders). */
	bool track_holders;
	struct linemap holders;
	struct presence presence;
	struct store_buffer *sb; /* per core, NULL without store buffers */
	struct flight *flights;  /* FLIGHT_SLOTS of them, NULL without sim_config's in_flight */
	struct rng spread; /* the bus transactions' draws (sim_config's spread) */
};

/* A line's last transaction, when it lands (in ticks) and at which core:
 * kept for the in-flight rule (sim_config's in_flight), in
 * a table indexed by the line's low bits. Two lines of one slot forget the
 * older's flight: its later accesses issue as they would without the
 * rule, which the suite's workloads, of a few lines, never meet. */
struct flight {
	uint64_t line_plus_one; /* 0: none */
	uint64_t land;
	unsigned core;
};
#define FLIGHT_SLOTS 256

static inline struct flight *flight_of(struct sim_instance *in, uint64_t line)
{
	return &in->flights[line & (FLIGHT_SLOTS - 1)];
}

/* What the hit path needs of one core's private cache under one protocol,
 * side by side and without a pointer to follow: built once, at the start. */
struct lane {
	uint64_t *entry;
	uint32_t *stamp;
	uint8_t *way_memo;
	uint64_t *stamp_clock;
	uint64_t set_mask, memo_mask;
	unsigned ways, hit_latency; /* ticks */
	bool lru_one_level; /* LRU replacement, and no L1 in front of an L2 */
	const uint8_t (*silent)[2];
	uint64_t (*silent_hits)[2];
	uint64_t *clock;
	struct lost_lines *lost;
	struct sim_instance *in;
};

struct sim {
	struct sim_config cfg;
	unsigned n;
	struct sim_instance inst[SIM_MAX_PROTOCOLS];
	struct core_history *history; /* per core, shared by the protocols */
	/* Per core, the accesses by operation (every protocol counts them
	 * alike, so they are counted once). */
	uint64_t (*ops)[TRACE_NOPS];
	unsigned line_shift, line;
	struct sim_latency ticks; /* the latencies in ticks */
	/* The least operation that takes the general way: the fetches, or with
	 * store buffers every store (TRACE_WRITE), whose path goes through the
	 * buffer. The synchronisation records' op bytes are above both. */
	unsigned general_op;
	struct lane *lanes; /* [core * n + protocol] */
	sim_observer observer;
	void *observer_ctx;
	sim_record_watch record_watch;
	void *record_watch_ctx;
	bool quiet; /* no log, observer or watch: silent hits take the short path */
	/* Per core, with sim_config's in_flight (else NULL): its access issuing
	 * now waited for its line to land (engine_schedule.c), under every
	 * protocol alike, as the first protocol's flights decide. */
	bool *waited;
	/* The synchronised order's: the synchronisation records kept in the
	 * file's order, the records replayed ahead of an earlier one (in the
	 * file) of another thread. */
	uint64_t sync_records, ahead;
};

/* --- counting --- */

static inline uint64_t *transition(struct sim_instance *in, unsigned state, unsigned event, unsigned next)
{
	return &in->transitions[(state * SIM_NEVENTS + event) * PROTOCOL_MAX_STATES + next];
}

static inline struct core_stats *stats_of(struct sim_instance *in, unsigned core)
{
	return &in->stats[core];
}

static inline void observe(struct sim *s, const struct sim_event *e)
{
	if (s->observer)
		s->observer(s->observer_ctx, e);
}

/* --- which cores hold a line --- */

static inline void holders_remove(struct sim_instance *in, uint64_t line, unsigned core)
{
	uint64_t *held;

	if (!in->track_holders)
		presence_remove(&in->presence, line, core);
	else if ((held = linemap_get(&in->holders, line)) && !(*held &= ~(1ull << core)))
		linemap_remove(&in->holders, line);
}

/* The cores whose private caches may hold LINE. */
static inline uint64_t holders_of(const struct sim_instance *in, uint64_t line)
{
	uint64_t *held;

	if (!in->track_holders)
		return presence_of(&in->presence, line);
	held = linemap_get(&in->holders, line);
	return held ? *held : 0;
}

/* Every line entering or leaving a private cache goes through these two
 * (or engine_evict()), so that what holders_of() says stays true. */
static inline void fill_private(struct sim_instance *in, unsigned core, uint64_t line, int way, uint8_t state)
{
	bool added;

	cache_fill(&in->pll[core], line, way, state);
	if (!in->track_holders)
		presence_add(&in->presence, line, core);
	else
		*linemap_put(&in->holders, line, 0, &added) |= 1ull << core;
}

static inline void set_private_state(struct sim_instance *in, unsigned core, uint64_t line, int way, uint8_t state)
{
	cache_set_state(&in->pll[core], line, way, state);
	if (state == STATE_I)
		holders_remove(in, line, core);
}

static inline void drop_from_l1(struct sim_instance *in, unsigned core, uint64_t line)
{
	int w;

	if (in->l1 && (w = cache_find(&in->l1[core], line, false)) >= 0)
		cache_set_state(&in->l1[core], line, w, 0);
}

/* --- the caches around coherence (engine_hierarchy.c) --- */

/* LINE leaves CORE's private caches by replacement. */
void engine_evict(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line, uint8_t state);
/* The latency of a line coming from below the private caches. */
unsigned engine_fetch_from_below(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line);
/* A hit in the private hierarchy: L1, or the L2 behind it. */
unsigned engine_private_latency(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line);
/* Instruction fetches: a private, read-only L1i, outside coherence. */
void engine_instruction_fetch(struct sim *s, struct sim_instance *in, const struct trace_record *rec);

/* --- one access (engine_access.c), its hot path inline --- */

/* Accesses over two lines, and every access when logging. */
void engine_access_general(struct sim *s, const struct trace_record *rec);
/* One access line of CORE under one protocol, when nobody watches, unless
 * it is a silent hit found at its remembered way: lane_access() does
 * those, and records a write to a line some core lost in either case. */
ML_NOINLINE void engine_lane_access_rest(struct sim *s, struct sim_instance *in, const struct trace_record *rec,
					 uint64_t line, enum proc_event ev);

/* The 4-byte words of LINE that [ADDRESS, ADDRESS + SIZE) covers. */
static inline uint64_t words_of(const struct sim *s, uint64_t line, uint64_t address, unsigned size)
{
	uint64_t start = line << s->line_shift, end = start + s->line;
	uint64_t lo = address > start ? address : start;
	uint64_t hi = address + size < end ? address + size : end;
	unsigned first = (unsigned)((lo - start) >> WORD_SHIFT), last = (unsigned)((hi - 1 - start) >> WORD_SHIFT);

	return (last >= 63 ? ~0ull : (2ull << last) - 1) & ~((1ull << first) - 1);
}

/* One access line of CORE under one protocol, when nobody watches. Most are
 * hits that need no bus transaction on the way the line was last found in:
 * those touch the entry, its stamp and two counters, through the lane. */
static ML_ALWAYS_INLINE void lane_access(struct sim *s, const struct lane *ln, const struct trace_record *rec,
					 uint64_t line, enum proc_event ev)
{
	uint64_t slot = (line & ln->set_mask) * ln->ways + ln->way_memo[line & ln->memo_mask];
	uint64_t e = ln->entry[slot];
	uint8_t state = (uint8_t)e, next = ln->silent[state][ev];

	/* The entry holds LINE in a valid state, and the hit needs no bus. */
	if (ML_LIKELY(((e ^ (line << 8)) - 1) < 0xff && next != NO_STATE && ln->lru_one_level)) {
		*ln->stamp_clock += 1;
		ln->stamp[slot] = (uint32_t)*ln->stamp_clock;
		ln->entry[slot] = (e & ~(uint64_t)0xff) | next;
		ln->silent_hits[state][ev]++;
		*ln->clock += ticks_of(rec->gap) + ln->hit_latency;
	} else {
		engine_lane_access_rest(s, ln->in, rec, line, ev);
	}
	/* The words are worked out only for a line some core lost. One branch,
	 * rarely taken, rather than one on the operation, taken at random. */
	if ((ev == PROC_WRITE) & lost_lines_maybe(ln->lost, line))
		lost_lines_write(ln->lost, line, rec->thread, words_of(s, line, rec->address, rec->size));
}

/* One access of the core whose LANES these are. The common case, a data
 * access within one line while nobody watches, stays inline. */
static ML_ALWAYS_INLINE void access_record(struct sim *s, const struct lane *lanes, unsigned nlanes,
					   const struct trace_record *rec)
{
	uint64_t line = rec->address >> s->line_shift;
	enum proc_event ev;

	/* Fetches, and the synchronisation records (rare: their op byte has
	 * its top bit set), take the general way; so do stores into a store
	 * buffer. */
	if (rec->op >= s->general_op || !s->quiet || line != (rec->address + rec->size - 1) >> s->line_shift) {
		engine_access_general(s, rec);
		return;
	}
	ev = rec->op == TRACE_READ ? PROC_READ : PROC_WRITE;
	s->ops[rec->thread][rec->op]++;
	if (s->cfg.classify_causes)
		core_history_reference(&s->history[rec->thread], line);
	for (unsigned i = 0; i < nlanes; i++)
		lane_access(s, &lanes[i], rec, line, ev);
}

#endif
