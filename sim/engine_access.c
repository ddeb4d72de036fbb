/* One access: a line's coherence transaction under one protocol (the
 * requester's hit or miss, the snoopers' transitions, the bus and its
 * time, the miss's cause, the log line), and one record under every
 * protocol, line by line. The hit path that needs no bus is inline in
 * engine_private.h; what leaves it comes here. */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine_private.h"

/* --- one access to one line under one protocol --- */

struct line_log {
	char *buf;
	size_t len, used;
};

static void log_add(struct line_log *log, const char *fmt, ...) ML_PRINTF(2, 3);

static void log_add(struct line_log *log, const char *fmt, ...)
{
	va_list ap;

	if (!log->buf || log->used >= log->len)
		return;
	va_start(ap, fmt);
	log->used += (size_t)vsnprintf(log->buf + log->used, log->len - log->used, fmt, ap);
	va_end(ap);
}

static void log_states(struct line_log *log, const struct protocol *p, const uint8_t *before,
		       const uint8_t *after, unsigned cores)
{
	for (unsigned c = 0; c < cores; c++) {
		if (before[c] == after[c])
			log_add(log, " %s", p->state_names[after[c]]);
		else
			log_add(log, " %s>%s", p->state_names[before[c]], p->state_names[after[c]]);
	}
}

/* Every cache's state of LINE, unchanged by an access without the bus. */
static void log_line_states(struct sim *s, struct sim_instance *in, uint64_t line, struct line_log *log)
{
	for (unsigned c = 0; c < s->cfg.cores; c++) {
		int w = cache_find(&in->pll[c], line, false);

		log_add(log, " %s", in->p->state_names[w < 0 ? STATE_I : cache_state(&in->pll[c], line, w)]);
	}
}

/* The bus: transactions are atomic and one at a time, each DURATION
 * (ticks) drawn within the configured spread of it. */
static void occupy_bus(struct sim *s, struct sim_instance *in, unsigned core, uint64_t duration)
{
	unsigned spread = s->cfg.spread;
	uint64_t start = in->clock[core] > in->bus_free ? in->clock[core] : in->bus_free;

	if (spread && duration)
		duration = duration * (100 - spread + rng_below(&in->spread, 2 * spread + 1)) / 100;

	in->bus_free = start + duration;
	in->clock[core] = in->bus_free;
}

static bool hit_without_bus(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line,
			    int way, uint8_t state, enum proc_event ev, struct line_log *log)
{
	uint8_t next = in->p->proc[state][ev].next[0];

	set_private_state(in, core, line, way, next);
	(*transition(in, state, ev, next))++;
	in->clock[core] += engine_private_latency(s, in, core, line);
	if (s->observer) {
		struct sim_event e = { .kind = SIM_EV_ACCESS, .protocol = in->index, .core = core,
				       .line = line, .op = ev, .supplier = -1 };

		observe(s, &e);
	}
	if (log->buf) {
		log_add(log, "hit;");
		for (unsigned c = 0; c < s->cfg.cores; c++) {
			int w = c == core ? way : cache_find(&in->pll[c], line, false);
			uint8_t now = w < 0 ? STATE_I : cache_state(&in->pll[c], line, w);

			if (c == core && state != next)
				log_add(log, " %s>%s", in->p->state_names[state], in->p->state_names[next]);
			else
				log_add(log, " %s", in->p->state_names[now]);
		}
	}
	return true;
}

/* The other caches among MAYBE that hold LINE: their states into BEFORE
 * and their ways into WAYS. */
static uint64_t gather_holders(struct sim_instance *in, uint64_t line, uint64_t maybe, uint8_t *before, int *ways)
{
	uint64_t others = 0;

	for (uint64_t m = maybe; m; m &= m - 1) {
		unsigned c = (unsigned)ML_CTZ64(m);

		ways[c] = cache_way_of(&in->pll[c], line);
		if (ways[c] >= 0 && (before[c] = cache_state(&in->pll[c], line, ways[c])) != STATE_I)
			others |= 1ull << c;
	}
	return others;
}

/* A transaction the caches in OTHERS (at WAYS) take part in, from the
 * states in BEFORE: the coherence steps, and each snooper's transitions,
 * invalidation, flush or update. AFTER receives every cache's new state. */
static void snoop_transaction(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line,
			      enum proc_event ev, uint64_t others, const int *ways, struct coh_result *r,
			      const uint8_t *before, uint8_t *after)
{
	const struct protocol *p = in->p;
	uint8_t mid[SIM_MAX_CORES];

	memcpy(after, before, SIM_MAX_CORES);
	coherence_access_steps(p, after, mid, core, ev, others, r);

	/* The other caches: snooped transitions, invalidations, flushes. */
	for (uint64_t m = others; m; m &= m - 1) {
		unsigned c = (unsigned)ML_CTZ64(m);
		struct core_stats *other = stats_of(in, c);

		(*transition(in, before[c], PROC_NEVENTS + r->bus[0] - 1, mid[c]))++;
		if (r->nbus == 2 && mid[c] != STATE_I)
			(*transition(in, mid[c], PROC_NEVENTS + r->bus[1] - 1, after[c]))++;
		/* Under a course's counting rule every cache offering the line
		 * counts a flush; the bus carried the supplier's alone. */
		if (r->flushed_mask >> c & 1)
			other->flushes++;
		if ((int)c == r->supplier || (r->wrote_back_mask >> c & 1))
			other->bus_bytes += s->line;
		if (r->wrote_back_mask >> c & 1)
			other->writebacks++;
		if (r->updated_mask >> c & 1)
			other->updates_received++;
		if (r->bus[0] == BUS_RD && (p->state_flags[before[c]] & STATE_WRITABLE) &&
		    !(p->state_flags[after[c]] & STATE_WRITABLE))
			other->interventions++;
		if (!(p->state_flags[after[c]] & STATE_VALID)) {
			other->invalidations_received++;
			set_private_state(in, c, line, ways[c], STATE_I);
			drop_from_l1(in, c, line);
			if (s->cfg.classify_causes)
				lost_lines_add(&in->lost, line, c);
		} else {
			cache_set_state(&in->pll[c], line, ways[c], after[c]);
		}
	}
}

/* Another core's stores to LINE are seen only once they drain: CORE's
 * transaction on LINE waits for those still in the buffers. */
static void wait_for_other_buffers(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line)
{
	for (unsigned c = 0; c < s->cfg.cores; c++) {
		uint64_t done = c == core ? 0 : store_buffer_line_done(&in->sb[c], line, in->clock[core]);

		if (done > in->clock[core])
			in->clock[core] = done;
	}
}

/* WAY: where LINE is in CORE's private cache (-1: not there), not yet
 * marked used. */
static bool line_access(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line, int way,
			enum proc_event ev, uint64_t words, const struct core_history *h, int *cause,
			struct line_log *log)
{
	const struct protocol *p = in->p;
	unsigned cores = s->cfg.cores;
	struct cache *pll = &in->pll[core];
	struct core_stats *st = stats_of(in, core);
	uint8_t state = way >= 0 ? cache_state(pll, line, way) : STATE_I, next;
	uint8_t before[SIM_MAX_CORES], after[SIM_MAX_CORES];
	const struct coh_result *r;
	struct coh_result snooped;
	int ways[SIM_MAX_CORES];
	unsigned duration = 0;
	uint64_t maybe, others;

	if (way >= 0)
		cache_use(pll, line, way);
	if (p->proc[state][ev].bus == BUS_NONE)
		return hit_without_bus(s, in, core, line, way, state, ev, log);
	if (in->sb)
		wait_for_other_buffers(s, in, core, line);

	/* The array is set whole: a known size is a few stores, not a call. */
	memset(before, STATE_I, sizeof(before));
	before[core] = state;
	maybe = holders_of(in, line) & ~(1ull << core);
	others = maybe ? gather_holders(in, line, maybe, before, ways) : 0;
	if (!others && !log->buf) {
		/* No other cache holds the line: the outcome follows from the
		 * state and the event alone, worked out at the start. */
		r = &in->alone[state][ev];
		next = in->alone_next[state][ev];
	} else {
		snoop_transaction(s, in, core, line, ev, others, ways, &snooped, before, after);
		r = &snooped;
		next = after[core];
	}

	/* The requester: the line arrives, evicting another if need be. */
	(*transition(in, state, ev, next))++;
	if (way < 0) {
		int victim = cache_victim(pll, line);
		uint8_t victim_state = cache_state(pll, line, victim);

		if (victim_state) {
			uint64_t victim_line = cache_line_at(pll, line, victim);

			if (log->buf)
				log_add(log, "evicts 0x%" PRIx64 " (%s%s); ", victim_line << s->line_shift,
					p->state_names[victim_state],
					p->proc[victim_state][PROC_EVICT].writeback ? ", written back" : "");
			engine_evict(s, in, core, victim_line, victim_state);
		}
		fill_private(in, core, line, victim, next);
		if (in->l1) {
			st->l1_misses++;
			cache_fill(&in->l1[core], line, cache_victim(&in->l1[core], line), 1);
		}
	} else {
		set_private_state(in, core, line, way, next);
	}

	if (s->observer) {
		struct sim_event e = { .kind = SIM_EV_ACCESS, .protocol = in->index, .core = core,
				       .line = line, .op = ev, .bus = true, .data = r->data,
				       .supplier = r->supplier, .updated_mask = r->updated_mask,
				       .wrote_back_mask = r->wrote_back_mask };

		observe(s, &e);
	}

	/* Statistics and time. */
	for (unsigned i = 0; i < r->nbus; i++) {
		st->bus[r->bus[i]]++;
		if (r->bus[i] == BUS_UPD) {
			st->bus_bytes += 4;
			duration += s->ticks.bus;
		} else if (r->bus[i] == BUS_UPGR) {
			duration += s->ticks.bus;
		}
	}
	if (r->data) {
		st->bus_bytes += r->supplier >= 0 ? 0 : s->line; /* a supplier's flush is counted on its side */
		if (r->supplier >= 0) {
			st->c2c_transfers++;
			/* A request that waited for the line to land at its owner
			 * was on its way: its snoop reached the owner when it
			 * issued (engine_schedule.c), and the data's way back is
			 * what is left of the hand-over. */
			duration += s->waited && s->waited[core] ? s->ticks.handover - s->ticks.handover / 2 : s->ticks.c2c;
		} else {
			duration += engine_fetch_from_below(s, in, core, line);
		}
	}
	/* Data from below while other caches held copies it invalidates:
	 * their acknowledgements come alongside the data, and take what an
	 * upgrade's do, so the transaction takes no less (MSI's BusRdX of a
	 * line shared elsewhere cost a last-level hit, less than MESI's
	 * BusUpgr of it, where the bus latency is the longer). */
	if (r->data && r->supplier < 0 && r->invalidations && duration < s->ticks.bus)
		duration = s->ticks.bus;
	st->invalidations_sent += r->invalidations;
	st->updates_sent += r->updates;
	occupy_bus(s, in, core, duration);
	if (in->flights)
		*flight_of(in, line) = (struct flight){ line + 1, in->clock[core], core };
	if (r->writeback)
		st->writebacks++;

	if (state == STATE_I) {
		int shared = lost_lines_maybe(&in->lost, line) ? lost_lines_take(&in->lost, line, core, words) : -1;

		*cause = h->last_cold ? CAUSE_COLD
			 : shared >= 0 ? (shared ? CAUSE_TRUE_SHARING : CAUSE_FALSE_SHARING)
			 : h->last_shadow_hit ? CAUSE_CONFLICT : CAUSE_CAPACITY;
	} else {
		st->upgrades++;
	}
	if (log->buf) {
		if (s->waited && s->waited[core])
			log_add(log, "waited for the line in flight; ");
		for (unsigned i = 0; i < r->nbus; i++)
			log_add(log, "%s%s", i ? "+" : "", bus_op_names[r->bus[i]]);
		if (r->data) {
			if (r->supplier >= 0)
				log_add(log, " from P%d", r->supplier);
			else
				log_add(log, " from memory");
		}
		log_add(log, ";");
		log_states(log, p, before, after, cores);
	}
	return state != STATE_I;
}

/* --- the store buffer --- */

/* Each core's store buffer (--store-buffer N) lives in the timing, not in
 * the coherence state machine, and maps onto the per-access model so:
 *
 * - A plain store retires into the buffer: the core's clock moves on by an
 *   L1 hit, stalling first while the buffer is full (until its oldest
 *   store drains). Its line's transaction, if it needs one, still happens
 *   at once, in the order every protocol sees, but on the bus's time from
 *   when the store before it has drained (the stores drain in order, one
 *   ownership request at a time); its end is when the store drains.
 * - A store that needs the bus while the newest store in the buffer is to
 *   the same line and has not drained joins that store's request: no
 *   transaction, no miss (the only counters the buffer changes: misses,
 *   their causes, bus transactions, invalidations, transfers and bytes
 *   fall by the requests coalesced so; hits rise by as many). A store the
 *   core's state lets it make without the bus (a line held in M) is a hit,
 *   as without the buffer, and drains as one.
 * - A load whose bytes a store still in the buffer holds is forwarded:
 *   an L1 hit, whatever the line's state.
 * - An atomic read-modify-write and a synchronisation record (a fence)
 *   first wait for the whole buffer to drain (x86-TSO), then take their
 *   line as without the buffer.
 * - Another core sees a store once it has drained: its transaction on the
 *   line waits for the stores to that line still in the other buffers.
 *   A store to the same bytes by another core, later in the order the
 *   accesses issue, makes a buffered store neither forwarded nor joined
 *   (in the file order, which keeps the cores' clocks apart, the order is
 *   all that says the other core's store came after); a store joins only
 *   where no other core keeps a copy it should have invalidated
 *   (joins_request()).
 * - A core's cycles end when its last store has drained.
 *
 * The timed and synchronised orders follow the clocks as always: a core
 * whose stores retire into its buffer runs ahead, and a synchronisation
 * record completes only after the buffer it drained. */

/* Whether CORE's store to LINE, needing the bus transaction OP, may join
 * its buffer's waiting request for LINE instead (store_buffer_pending_tail()
 * says whether there is one). A join makes no transaction, so it must not
 * leave another core a copy that would miss the store: OP must invalidate
 * the copies (an update, Dragon's BusUpd, must reach them with every
 * store), and every other core holding LINE must hold it only by a store
 * of its own still waiting at NOW, whose request comes after (false
 * sharing); a copy a load fetched is one the store must invalidate. */
static bool joins_request(struct sim_instance *in, unsigned core, uint64_t line, enum bus_op op, uint64_t now)
{
	if (op != BUS_RDX && op != BUS_UPGR)
		return false;
	for (uint64_t m = holders_of(in, line) & ~(1ull << core); m; m &= m - 1) {
		unsigned c = (unsigned)ML_CTZ64(m);
		int w = cache_way_of(&in->pll[c], line);

		if (w >= 0 && cache_state(&in->pll[c], line, w) != STATE_I && !store_buffer_line_done(&in->sb[c], line, now))
			return false;
	}
	return true;
}

/* A plain store of LINE (at WAY, -1: absent) into CORE's buffer under IN:
 * whether it hit, as line_access() says. */
static bool buffered_store(struct sim *s, struct sim_instance *in, const struct trace_record *rec, uint64_t line,
			   int way, uint64_t words, int *cause, struct line_log *log)
{
	unsigned core = rec->thread;
	struct store_buffer *b = &in->sb[core];
	uint64_t now = store_buffer_room(b, in->clock[core]), done;
	uint8_t state = way >= 0 ? cache_state(&in->pll[core], line, way) : STATE_I;
	bool hit = true;

	if (store_buffer_pending_tail(b, line, now) &&
	    joins_request(in, core, line, in->p->proc[state][PROC_WRITE].bus, now)) {
		done = b->last_done;
		if (log->buf) {
			log_add(log, "store buffer, joins the request;");
			log_line_states(s, in, line, log);
		}
	} else {
		in->clock[core] = now > b->last_done ? now : b->last_done;
		hit = line_access(s, in, core, line, way, PROC_WRITE, words, &s->history[core], cause, log);
		done = in->clock[core];
	}
	store_buffer_push(b, line, rec->address, rec->size, done);
	in->clock[core] = now + s->ticks.hit;
	return hit;
}

/* A load of REC's bytes that CORE's buffer forwards under IN: an L1 hit. */
static bool forwarded(struct sim *s, struct sim_instance *in, const struct trace_record *rec, uint64_t line,
		      struct line_log *log)
{
	unsigned core = rec->thread;

	if (!in->sb || !store_buffer_forwards(&in->sb[core], rec->address, rec->size, in->clock[core]))
		return false;
	in->clock[core] += s->ticks.hit;
	if (log->buf) {
		log_add(log, "forwarded from the store buffer;");
		log_line_states(s, in, line, log);
	}
	return true;
}

/* REC's core stored REC's bytes: the other cores' stores of them still in
 * their buffers are older, neither forwarded nor joined. */
static void supersede_others(struct sim *s, struct sim_instance *in, const struct trace_record *rec)
{
	for (unsigned c = 0; c < s->cfg.cores; c++)
		if (c != rec->thread)
			store_buffer_supersede(&in->sb[c], rec->address, rec->size);
}

/* A read-modify-write or a fence: CORE's buffer drains first. */
static void drain_store_buffer(struct sim_instance *in, unsigned core)
{
	if (in->sb && in->sb[core].last_done > in->clock[core])
		in->clock[core] = in->sb[core].last_done;
}

/* --- one access, every protocol --- */

/* Accesses over two lines, and every access when logging. */
void engine_access_general(struct sim *s, const struct trace_record *rec)
{
	unsigned core = rec->thread, op = trace_op_of(rec);
	enum proc_event ev = op == TRACE_READ ? PROC_READ : PROC_WRITE;
	bool buffered = op == TRACE_WRITE && !trace_is_sync(rec);
	uint64_t first = rec->address >> s->line_shift;
	uint64_t last = (rec->address + rec->size - 1) >> s->line_shift;
	bool all_hit[SIM_MAX_PROTOCOLS];
	int cause[SIM_MAX_PROTOCOLS];
	char buf[1024];

	if (s->record_watch)
		s->record_watch(s->record_watch_ctx, rec);
	for (unsigned i = 0; i < s->n; i++) {
		s->inst[i].clock[core] += ticks_of(rec->gap);
		if (op == TRACE_IFETCH)
			engine_instruction_fetch(s, &s->inst[i], rec);
		else if (op == TRACE_RMW || trace_is_sync(rec))
			drain_store_buffer(&s->inst[i], core);
		if (s->inst[i].sb && op != TRACE_READ && op != TRACE_IFETCH)
			supersede_others(s, &s->inst[i], rec);
		all_hit[i] = true;
	}
	if (op == TRACE_IFETCH)
		return;
	s->ops[core][op]++;
	for (uint64_t line = first; line <= last; line++) {
		uint64_t words = words_of(s, line, rec->address, rec->size);

		/* With the split rule each further line is an access of its own. */
		if (s->cfg.split_straddles && line != first)
			s->ops[core][op]++;
		if (s->cfg.classify_causes)
			core_history_reference(&s->history[core], line);
		for (unsigned i = 0; i < s->n; i++) {
			struct sim_instance *in = &s->inst[i];
			struct line_log log = { s->cfg.log ? buf : NULL, sizeof(buf), 0 };
			uint64_t issued = in->clock[core];
			int line_cause = -1;
			bool hit;

			if (in->sb && buffered)
				hit = buffered_store(s, in, rec, line, cache_way_of(&in->pll[core], line), words,
						     &line_cause, &log);
			else if (ev == PROC_READ && forwarded(s, in, rec, line, &log))
				hit = true;
			else
				hit = line_access(s, in, core, line, cache_way_of(&in->pll[core], line), ev, words,
						  &s->history[core], &line_cause, &log);
			if (ev == PROC_WRITE && lost_lines_maybe(&in->lost, line))
				lost_lines_write(&in->lost, line, core, words);
			if (!hit && s->cfg.split_straddles) {
				stats_of(in, core)->misses++;
				stats_of(in, core)->cause[line_cause]++;
			} else if (!hit && all_hit[i]) {
				all_hit[i] = false;
				cause[i] = line_cause;
			}
			if (log.buf)
				fprintf(s->cfg.log, "%-8s t=%-6" PRIu64 " P%u %c 0x%" PRIx64 ": %s\n", in->p->name,
					cycles_of(issued), core, trace_op_letters[op], line << s->line_shift, buf);
		}
	}
	/* An atomic's own cost, once its line is there (a locked
	 * instruction completes after its access). */
	for (unsigned i = 0; op == TRACE_RMW && i < s->n; i++)
		s->inst[i].clock[core] += s->ticks.atomic;
	if (!s->cfg.split_straddles) {
		/* An access over two lines counts once, missing if either line missed. */
		for (unsigned i = 0; i < s->n; i++) {
			if (!all_hit[i]) {
				stats_of(&s->inst[i], core)->misses++;
				stats_of(&s->inst[i], core)->cause[cause[i]]++;
			}
		}
	}
}

/* One access line of CORE under one protocol, when nobody watches, unless
 * it is a silent hit found at its remembered way: lane_access() does
 * those, and records a write to a line some core lost in either case. */
ML_NOINLINE void engine_lane_access_rest(struct sim *s, struct sim_instance *in, const struct trace_record *rec,
					 uint64_t line, enum proc_event ev)
{
	unsigned core = rec->thread;
	struct cache *pll = &in->pll[core];
	int way = cache_way_of(pll, line), cause = -1;
	uint8_t state, next;

	in->clock[core] += ticks_of(rec->gap);
	if (way >= 0 && (next = in->silent[state = cache_state(pll, line, way)][ev]) != NO_STATE) {
		cache_use(pll, line, way);
		if (next != state)
			cache_set_state(pll, line, way, next);
		in->silent_hits[state][ev]++;
		in->clock[core] += in->l1 ? engine_private_latency(s, in, core, line) : s->ticks.hit;
	} else if (!forwarded(s, in, rec, line, &(struct line_log){ NULL, 0, 0 }) &&
		   !line_access(s, in, core, line, way, ev, words_of(s, line, rec->address, rec->size), &s->history[core],
				&cause, &(struct line_log){ NULL, 0, 0 })) {
		in->stats[core].misses++;
		in->stats[core].cause[cause]++;
	}
}

void sim_access(struct sim *s, const struct trace_record *rec)
{
	access_record(s, &s->lanes[rec->thread * s->n], s->n, rec);
}
