#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "coherence.h"
#include "compiler.h"
#include "engine.h"
#include "linemap.h"
#include "lost_lines.h"
#include "presence.h"
#include "xalloc.h"

#define WORD_SHIFT 2 /* sharing is told apart by 4-byte words */
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
};

/* What the hit path needs of one core's private cache under one protocol,
 * side by side and without a pointer to follow: built once, at the start. */
struct lane {
	uint64_t *entry;
	uint32_t *stamp;
	uint8_t *way_memo;
	uint64_t *stamp_clock;
	uint64_t set_mask, memo_mask;
	unsigned ways, hit_latency;
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
	struct lane *lanes; /* [core * n + protocol] */
	sim_observer observer;
	void *observer_ctx;
	bool quiet; /* no log and no observer: silent hits take the short path */
	/* The synchronised order's: the synchronisation records kept in the
	 * file's order, the records replayed ahead of an earlier one (in the
	 * file) of another thread. */
	uint64_t sync_records, ahead;
};

const char *const sim_order_names[SIM_NORDERS] = { "timed", "file", "synced" };

static const char *const snoop_event_names[] = { "snoop BusRd", "snoop BusRdX", "snoop BusUpgr",
						 "snoop BusUpd" };

const char *sim_event_name(unsigned event)
{
	return event < PROC_NEVENTS ? proc_event_names[event] : snoop_event_names[event - PROC_NEVENTS];
}

void sim_config_defaults(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->l1 = (struct cache_geometry){ 32 << 10, 8, 64 };
	cfg->llc_inclusive = true;
	cfg->policy = REPL_LRU;
	cfg->seed = 1;
	cfg->classify_causes = true;
	cfg->latency = (struct sim_latency){ .hit = 4, .l2 = 14, .llc = 40, .memory = 200, .c2c = 60, .bus = 10 };
}

int sim_config_check(const struct sim_config *cfg, struct ml_error *err)
{
	const struct cache_geometry *others[] = { &cfg->l1i, &cfg->l2, &cfg->llc };
	const struct cache_geometry *all[] = { &cfg->l1, &cfg->l1i, &cfg->l2, &cfg->llc };

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (others[i]->size && others[i]->line != cfg->l1.line) {
			ml_error_set(err, "every cache must have the L1's line size (%u bytes)", cfg->l1.line);
			return -1;
		}
	if (cfg->l2.size && cfg->l2.size < cfg->l1.size) {
		ml_error_set(err, "the L2 must be at least as large as the L1 it includes");
		return -1;
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]) && cfg->policy == REPL_PLRU; i++)
		if (all[i]->size && (all[i]->ways & (all[i]->ways - 1))) {
			ml_error_set(err, "plru needs a power-of-two number of ways");
			return -1;
		}
	return 0;
}

static uint64_t *transition(struct sim_instance *in, unsigned state, unsigned event, unsigned next)
{
	return &in->transitions[(state * SIM_NEVENTS + event) * PROTOCOL_MAX_STATES + next];
}

uint64_t sim_transitions(const struct sim *s, unsigned protocol, unsigned state, unsigned event,
			 unsigned next)
{
	const struct sim_instance *in = &s->inst[protocol];
	uint64_t n = in->transitions[(state * SIM_NEVENTS + event) * PROTOCOL_MAX_STATES + next];

	if (event <= PROC_WRITE && in->silent[state][event] == next)
		n += in->silent_hits[state][event];
	return n;
}

static void instance_init(struct sim *s, struct sim_instance *in, const struct protocol *p)
{
	const struct sim_config *cfg = &s->cfg;
	const struct cache_geometry *private_level = cfg->l2.size ? &cfg->l2 : &cfg->l1;

	in->p = p;
	for (unsigned st = 0; st < PROTOCOL_MAX_STATES; st++) {
		for (unsigned ev = PROC_READ; ev <= PROC_WRITE; ev++) {
			const struct proc_rule *rule = &p->proc[st][ev];
			bool silent = st != STATE_I && st < p->nstates && rule->defined && rule->bus == BUS_NONE;
			uint8_t alone = (uint8_t)st;

			/* A hit leaving the line invalid takes the long way, which
			 * keeps the holders map right. */
			in->silent[st][ev] = silent && rule->next[0] != STATE_I ? rule->next[0] : NO_STATE;
			if (st < p->nstates && rule->defined) {
				coherence_access_steps(p, &alone, NULL, 0, (enum proc_event)ev, 0, &in->alone[st][ev]);
				in->alone_next[st][ev] = alone;
			}
		}
	}
	in->pll = xcalloc(cfg->cores, sizeof(*in->pll));
	in->l1 = cfg->l2.size ? xcalloc(cfg->cores, sizeof(*in->l1)) : NULL;
	in->l1i = cfg->l1i.size ? xcalloc(cfg->cores, sizeof(*in->l1i)) : NULL;
	for (unsigned c = 0; c < cfg->cores; c++) {
		cache_init(&in->pll[c], private_level, cfg->policy, cfg->seed + c);
		if (in->l1)
			cache_init(&in->l1[c], &cfg->l1, cfg->policy, cfg->seed + 100 + c);
		if (in->l1i)
			cache_init(&in->l1i[c], &cfg->l1i, cfg->policy, cfg->seed + 200 + c);
	}
	if (cfg->llc.size)
		cache_init(&in->llc, &cfg->llc, cfg->policy, cfg->seed + 300);
	in->clock = xcalloc(cfg->cores, sizeof(*in->clock));
	in->stats = xcalloc(cfg->cores, sizeof(*in->stats));
	in->transitions = xcalloc((size_t)PROTOCOL_MAX_STATES * SIM_NEVENTS * PROTOCOL_MAX_STATES,
				  sizeof(*in->transitions));
	lost_lines_init(&in->lost, cfg->cores);
	in->track_holders = cfg->cores > PRESENCE_MAX_CORES;
	linemap_init(&in->holders);
	if (!in->track_holders)
		presence_init(&in->presence, private_level->size / private_level->line);
}

static void instance_free(const struct sim *s, struct sim_instance *in)
{
	for (unsigned c = 0; c < s->cfg.cores; c++) {
		cache_free(&in->pll[c]);
		if (in->l1)
			cache_free(&in->l1[c]);
		if (in->l1i)
			cache_free(&in->l1i[c]);
	}
	if (s->cfg.llc.size)
		cache_free(&in->llc);
	free(in->pll);
	free(in->l1);
	free(in->l1i);
	free(in->clock);
	free(in->stats);
	free(in->transitions);
	lost_lines_free(&in->lost);
	linemap_free(&in->holders);
	if (!in->track_holders)
		presence_free(&in->presence);
}

/* What the hit path needs, per core and protocol. */
static void lanes_init(struct sim *s)
{
	s->lanes = xcalloc((size_t)s->cfg.cores * s->n, sizeof(*s->lanes));
	for (unsigned c = 0; c < s->cfg.cores; c++) {
		for (unsigned i = 0; i < s->n; i++) {
			struct sim_instance *in = &s->inst[i];
			struct cache *pll = &in->pll[c];

			s->lanes[c * s->n + i] = (struct lane){
				.in = in, .entry = pll->entry, .stamp = pll->stamp, .way_memo = pll->way_memo,
				.stamp_clock = &pll->clock, .set_mask = pll->set_mask, .memo_mask = pll->memo_mask,
				.ways = pll->ways, .silent = in->silent, .silent_hits = in->silent_hits,
				.clock = &in->clock[c], .lost = &in->lost, .hit_latency = s->cfg.latency.hit,
				.lru_one_level = pll->policy == REPL_LRU && !in->l1,
			};
		}
	}
}

/* The bytes of one simulated cache: per slot its entry, key, stamp and way
 * memo (at most two slots' worth), per set its PLRU bits. */
static double cache_bytes(const struct cache_geometry *g)
{
	double slots = g->size ? (double)g->size / g->line : 0;
	const struct cache *c = NULL;

	return slots * (sizeof(*c->entry) + sizeof(*c->key) + sizeof(*c->stamp) + 2 * sizeof(*c->way_memo)) +
	       (g->size ? slots / g->ways * sizeof(*c->plru) : 0);
}

uint64_t sim_memory_estimate(const struct sim_config *cfg, unsigned nprotocols)
{
	const struct cache_geometry *private_level = cfg->l2.size ? &cfg->l2 : &cfg->l1;
	double lines = (double)private_level->size / private_level->line;
	double per_protocol = cfg->cores * (cache_bytes(private_level) + (cfg->l2.size ? cache_bytes(&cfg->l1) : 0) +
					    cache_bytes(&cfg->l1i)) +
			      cache_bytes(&cfg->llc) + lines; /* the presence filter: a byte a line */
	/* The capacity/conflict shadow of each core: a node per line and an
	 * index of four slots a line. */
	double shadow = cfg->classify_causes ? cfg->cores * lines * (sizeof(struct fa_node) + 4 * sizeof(uint32_t)) : 0;
	double total = nprotocols * per_protocol + shadow;

	return total > 1e19 ? UINT64_MAX : (uint64_t)total;
}

struct sim *sim_new(const struct sim_config *cfg, const struct protocol *const *protocols,
		    unsigned nprotocols)
{
	struct sim *s = xcalloc(1, sizeof(*s));
	const struct cache_geometry *private_level = cfg->l2.size ? &cfg->l2 : &cfg->l1;

	s->cfg = *cfg;
	s->n = nprotocols;
	s->line = cfg->l1.line;
	while ((1u << s->line_shift) < s->line)
		s->line_shift++;
	for (unsigned i = 0; i < nprotocols; i++) {
		instance_init(s, &s->inst[i], protocols[i]);
		s->inst[i].index = i;
	}
	s->quiet = !cfg->log;
	s->history = xcalloc(cfg->cores, sizeof(*s->history));
	s->ops = xcalloc(cfg->cores, sizeof(*s->ops));
	for (unsigned c = 0; c < cfg->cores && cfg->classify_causes; c++)
		core_history_init(&s->history[c], (uint32_t)(private_level->size / private_level->line));
	lanes_init(s);
	return s;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++)
		instance_free(s, &s->inst[i]);
	for (unsigned c = 0; c < s->cfg.cores && s->cfg.classify_causes; c++)
		core_history_free(&s->history[c]);
	free(s->history);
	free(s->ops);
	free(s->lanes);
	free(s);
}

unsigned sim_protocols(const struct sim *s)
{
	return s->n;
}

void sim_observe(struct sim *s, sim_observer observer, void *ctx)
{
	s->observer = observer;
	s->observer_ctx = ctx;
	s->quiet = !s->cfg.log && !observer;
}

uint8_t sim_line_state(const struct sim *s, unsigned protocol, unsigned core, uint64_t line)
{
	struct cache *pll = &s->inst[protocol].pll[core];
	int w = cache_find(pll, line, false);

	return w < 0 ? STATE_I : cache_state(pll, line, w);
}

uint64_t sim_line_of(const struct sim *s, uint64_t address)
{
	return address >> s->line_shift;
}

static void observe(struct sim *s, const struct sim_event *e)
{
	if (s->observer)
		s->observer(s->observer_ctx, e);
}

unsigned sim_cores(const struct sim *s)
{
	return s->cfg.cores;
}

bool sim_classifies_causes(const struct sim *s)
{
	return s->cfg.classify_causes;
}

enum sim_order sim_order(const struct sim *s)
{
	return s->cfg.order;
}

void sim_order_stats(const struct sim *s, uint64_t *sync_records, uint64_t *ahead)
{
	*sync_records = s->sync_records;
	*ahead = s->ahead;
}

const struct protocol *sim_protocol(const struct sim *s, unsigned i)
{
	return s->inst[i].p;
}

void sim_core_stats(const struct sim *s, unsigned protocol, unsigned core, struct core_stats *out)
{
	const uint64_t *ops = s->ops[core];

	*out = s->inst[protocol].stats[core];
	out->reads = ops[TRACE_READ];
	out->writes = ops[TRACE_WRITE] + ops[TRACE_RMW];
	out->rmws = ops[TRACE_RMW];
	/* Every data access (every line of one, when split) hit or missed. */
	out->hits = out->reads + out->writes - out->misses;
	out->cycles = s->inst[protocol].clock[core];
}

void sim_total_stats(const struct sim *s, unsigned protocol, struct core_stats *total)
{
	struct core_stats one;
	const uint64_t *fields = (const uint64_t *)&one;
	uint64_t *sum = (uint64_t *)total, last = 0;

	_Static_assert(sizeof(struct core_stats) % sizeof(uint64_t) == 0, "counters only");
	memset(total, 0, sizeof(*total));
	for (unsigned c = 0; c < s->cfg.cores; c++) {
		sim_core_stats(s, protocol, c, &one);
		for (size_t f = 0; f < sizeof(*total) / sizeof(uint64_t); f++)
			sum[f] += fields[f];
		last = one.cycles > last ? one.cycles : last;
	}
	/* Every field adds up but the cycles: those of the last core to finish. */
	total->cycles = last;
}

/* --- the private hierarchy and the last level --- */

static struct core_stats *stats_of(struct sim_instance *in, unsigned core)
{
	return &in->stats[core];
}

static void holders_remove(struct sim_instance *in, uint64_t line, unsigned core)
{
	uint64_t *held;

	if (!in->track_holders)
		presence_remove(&in->presence, line, core);
	else if ((held = linemap_get(&in->holders, line)) && !(*held &= ~(1ull << core)))
		linemap_remove(&in->holders, line);
}

/* The cores whose private caches may hold LINE. */
static uint64_t holders_of(const struct sim_instance *in, uint64_t line)
{
	uint64_t *held;

	if (!in->track_holders)
		return presence_of(&in->presence, line);
	held = linemap_get(&in->holders, line);
	return held ? *held : 0;
}

/* Every line entering or leaving a private cache goes through these two
 * (or evict()), so that what holders_of() says stays true. */
static void fill_private(struct sim_instance *in, unsigned core, uint64_t line, int way, uint8_t state)
{
	bool added;

	cache_fill(&in->pll[core], line, way, state);
	if (!in->track_holders)
		presence_add(&in->presence, line, core);
	else
		*linemap_put(&in->holders, line, 0, &added) |= 1ull << core;
}

static void set_private_state(struct sim_instance *in, unsigned core, uint64_t line, int way, uint8_t state)
{
	cache_set_state(&in->pll[core], line, way, state);
	if (state == STATE_I)
		holders_remove(in, line, core);
}

static void drop_from_l1(struct sim_instance *in, unsigned core, uint64_t line)
{
	int w;

	if (in->l1 && (w = cache_find(&in->l1[core], line, false)) >= 0)
		cache_set_state(&in->l1[core], line, w, 0);
}

/* LINE leaves CORE's private caches by replacement. */
static void evict(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line, uint8_t state)
{
	struct core_stats *st = stats_of(in, core);

	(*transition(in, state, PROC_EVICT, STATE_I))++;
	holders_remove(in, line, core);
	if (s->observer) {
		struct sim_event e = { .kind = SIM_EV_EVICT, .protocol = in->index, .core = core, .line = line,
				       .writeback = in->p->proc[state][PROC_EVICT].writeback };

		observe(s, &e);
	}
	if (in->p->proc[state][PROC_EVICT].writeback) {
		st->writebacks++;
		st->flushes++;
		st->bus_bytes += s->line;
	}
	drop_from_l1(in, core, line);
}

/* An inclusive last level dropping LINE takes it from every private cache. */
static void back_invalidate(struct sim *s, struct sim_instance *in, uint64_t line)
{
	uint64_t cores = holders_of(in, line);

	while (cores) {
		unsigned c = (unsigned)ML_CTZ64(cores);
		struct cache *pll = &in->pll[c];
		int w = cache_find(pll, line, false);

		cores &= cores - 1;
		if (w < 0)
			continue;
		evict(s, in, c, line, cache_state(pll, line, w));
		cache_set_state(pll, line, w, 0);
		stats_of(in, c)->back_invalidations++;
	}
}

/* The latency of a line coming from below the private caches. */
static unsigned fetch_from_below(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line)
{
	struct core_stats *st = stats_of(in, core);
	int w;

	st->memory_reads++;
	if (!s->cfg.llc.size)
		return s->cfg.latency.memory;
	if (cache_find(&in->llc, line, true) >= 0) {
		st->llc_hits++;
		return s->cfg.latency.llc;
	}
	w = cache_victim(&in->llc, line);
	if (cache_state(&in->llc, line, w) && s->cfg.llc_inclusive)
		back_invalidate(s, in, cache_line_at(&in->llc, line, w));
	cache_fill(&in->llc, line, w, 1);
	return s->cfg.latency.memory;
}

/* A hit in the private hierarchy: L1, or the L2 behind it. */
static unsigned private_latency(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line)
{
	struct cache *l1;

	if (!in->l1)
		return s->cfg.latency.hit;
	l1 = &in->l1[core];
	if (cache_find(l1, line, true) >= 0)
		return s->cfg.latency.hit;
	stats_of(in, core)->l1_misses++;
	cache_fill(l1, line, cache_victim(l1, line), 1);
	return s->cfg.latency.l2;
}

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

/* The bus: transactions are atomic and one at a time. */
static void occupy_bus(struct sim_instance *in, unsigned core, unsigned duration)
{
	uint64_t start = in->clock[core] > in->bus_free ? in->clock[core] : in->bus_free;

	in->bus_free = start + duration;
	in->clock[core] = in->bus_free;
}

static bool hit_without_bus(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line,
			    int way, uint8_t state, enum proc_event ev, struct line_log *log)
{
	uint8_t next = in->p->proc[state][ev].next[0];

	set_private_state(in, core, line, way, next);
	(*transition(in, state, ev, next))++;
	in->clock[core] += private_latency(s, in, core, line);
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
		if ((int)c == r->supplier || (r->wrote_back_mask >> c & 1)) {
			other->flushes++;
			other->bus_bytes += s->line;
		}
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
			evict(s, in, core, victim_line, victim_state);
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
			duration += s->cfg.latency.bus;
		} else if (r->bus[i] == BUS_UPGR) {
			duration += s->cfg.latency.bus;
		}
	}
	if (r->data) {
		st->bus_bytes += r->supplier >= 0 ? 0 : s->line; /* a supplier's flush is counted on its side */
		if (r->supplier >= 0) {
			st->c2c_transfers++;
			duration += s->cfg.latency.c2c;
		} else {
			duration += fetch_from_below(s, in, core, line);
		}
	}
	st->invalidations_sent += r->invalidations;
	st->updates_sent += r->updates;
	occupy_bus(in, core, duration);
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

/* --- one access, every protocol --- */

/* The 4-byte words of LINE that [ADDRESS, ADDRESS + SIZE) covers. */
static uint64_t words_of(const struct sim *s, uint64_t line, uint64_t address, unsigned size)
{
	uint64_t start = line << s->line_shift, end = start + s->line;
	uint64_t lo = address > start ? address : start;
	uint64_t hi = address + size < end ? address + size : end;
	unsigned first = (unsigned)((lo - start) >> WORD_SHIFT), last = (unsigned)((hi - 1 - start) >> WORD_SHIFT);

	return (last >= 63 ? ~0ull : (2ull << last) - 1) & ~((1ull << first) - 1);
}

/* Instruction fetches: a private, read-only L1i, outside coherence. A fetch
 * over two lines counts once, missing if either line missed. */
static void instruction_fetch(struct sim *s, struct sim_instance *in, const struct trace_record *rec)
{
	struct core_stats *st = stats_of(in, rec->thread);
	uint64_t first = rec->address >> s->line_shift;
	uint64_t last = (rec->address + rec->size - 1) >> s->line_shift;
	bool missed = false;

	if (!in->l1i) {
		st->ifetches_skipped++;
		return;
	}
	st->ifetches++;
	for (uint64_t line = first; line <= last; line++) {
		struct cache *l1i = &in->l1i[rec->thread];

		if (cache_find(l1i, line, true) >= 0) {
			in->clock[rec->thread] += s->cfg.latency.hit;
			continue;
		}
		missed = true;
		cache_fill(l1i, line, cache_victim(l1i, line), 1);
		in->clock[rec->thread] += fetch_from_below(s, in, rec->thread, line);
	}
	st->ifetch_misses += missed;
}

/* Accesses over two lines, and every access when logging. */
static void access_general(struct sim *s, const struct trace_record *rec)
{
	unsigned core = rec->thread, op = trace_op_of(rec);
	enum proc_event ev = op == TRACE_READ ? PROC_READ : PROC_WRITE;
	uint64_t first = rec->address >> s->line_shift;
	uint64_t last = (rec->address + rec->size - 1) >> s->line_shift;
	bool all_hit[SIM_MAX_PROTOCOLS];
	int cause[SIM_MAX_PROTOCOLS];
	char buf[1024];

	for (unsigned i = 0; i < s->n; i++) {
		s->inst[i].clock[core] += rec->gap;
		if (op == TRACE_IFETCH)
			instruction_fetch(s, &s->inst[i], rec);
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
					issued, core, trace_op_letters[op], line << s->line_shift, buf);
		}
	}
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
static ML_NOINLINE void lane_access_rest(struct sim *s, struct sim_instance *in, const struct trace_record *rec,
					  uint64_t line, enum proc_event ev)
{
	unsigned core = rec->thread;
	struct cache *pll = &in->pll[core];
	int way = cache_way_of(pll, line), cause = -1;
	uint8_t state, next;

	in->clock[core] += rec->gap;
	if (way >= 0 && (next = in->silent[state = cache_state(pll, line, way)][ev]) != NO_STATE) {
		cache_use(pll, line, way);
		if (next != state)
			cache_set_state(pll, line, way, next);
		in->silent_hits[state][ev]++;
		in->clock[core] += in->l1 ? private_latency(s, in, core, line) : s->cfg.latency.hit;
	} else if (!line_access(s, in, core, line, way, ev, words_of(s, line, rec->address, rec->size),
				&s->history[core], &cause, &(struct line_log){ NULL, 0, 0 })) {
		in->stats[core].misses++;
		in->stats[core].cause[cause]++;
	}
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
		*ln->clock += rec->gap + ln->hit_latency;
	} else {
		lane_access_rest(s, ln->in, rec, line, ev);
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
	 * its top bit set), take the general way. */
	if (rec->op >= TRACE_IFETCH || !s->quiet || line != (rec->address + rec->size - 1) >> s->line_shift) {
		access_general(s, rec);
		return;
	}
	ev = rec->op == TRACE_READ ? PROC_READ : PROC_WRITE;
	s->ops[rec->thread][rec->op]++;
	if (s->cfg.classify_causes)
		core_history_reference(&s->history[rec->thread], line);
	for (unsigned i = 0; i < nlanes; i++)
		lane_access(s, &lanes[i], rec, line, ev);
}

void sim_access(struct sim *s, const struct trace_record *rec)
{
	access_record(s, &s->lanes[rec->thread * s->n], s->n, rec);
}

/* Issues CORE's accesses REC[0..N) while the core's clock (under the first
 * protocol) leaves the next one before LIMIT; the first always issues.
 * Returns how many issued. */
static ML_ALWAYS_INLINE size_t run_lanes(struct sim *s, const struct lane *lanes, unsigned nlanes,
					 const struct trace_record *rec, size_t n, uint64_t limit)
{
	const uint64_t *clock = lanes[0].clock;
	size_t i = 0;

	do {
		access_record(s, lanes, nlanes, &rec[i]);
	} while (++i < n && *clock + rec[i].gap < limit);
	return i;
}

/* One protocol, the usual case, gets a loop of its own without the loop
 * over the protocols. Inline in each order's loop, so that a run of
 * records costs no call. */
static ML_ALWAYS_INLINE size_t run_core(struct sim *s, unsigned core, const struct trace_record *rec, size_t n, uint64_t limit)
{
	const struct lane *lanes = &s->lanes[core * s->n];

	if (s->n == 1)
		return run_lanes(s, lanes, 1, rec, n, limit);
	return run_lanes(s, lanes, s->n, rec, n, limit);
}

/* The timed order: the core whose next access comes earliest issues it
 * (ties to the lower core), and goes on issuing while it stays ahead of
 * the next earliest core, whose time its own accesses cannot change. The
 * cores wait in a binary heap by (time of their next access, core), so that
 * the next earliest is one of the root's children and putting the core
 * that ran back costs a walk down the heap, whatever the number of cores.
 *
 * The synchronised order is the same, but for the synchronisation
 * records: they issue one at a time in the file's order, each when its
 * core's clock says so and the one before it has completed (under each
 * protocol, the core's clock waits for that). A core whose next record is
 * one whose turn has not come leaves the heap until it comes. */
/* A core in the heap: when its next access issues (UINT64_MAX: it has none). */
struct waiting {
	uint64_t time;
	unsigned core;
};

static inline bool issues_before(const struct waiting *a, const struct waiting *b)
{
	return a->time < b->time || (a->time == b->time && a->core < b->core);
}

/* Puts W at position I of the heap of N, moving the earlier of its
 * children up past it. */
static inline void sift_down(struct waiting *heap, unsigned n, unsigned i, struct waiting w)
{
	for (;;) {
		unsigned child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n && issues_before(&heap[child + 1], &heap[child]))
			child++;
		if (!issues_before(&heap[child], &w))
			break;
		heap[i] = heap[child];
		i = child;
	}
	heap[i] = w;
}

/* Adds W at the end of the heap of *N, moving it up past later parents. */
static void sift_up(struct waiting *heap, unsigned *n, struct waiting w)
{
	unsigned i = (*n)++;

	while (i > 0 && issues_before(&w, &heap[(i - 1) / 2])) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = w;
}

/* What is left of a core's loan from the feed. */
struct loan {
	const struct trace_record *rec;
	size_t n;
};

int sim_run_timed(struct sim *s, sim_feed feed, void *ctx, uint64_t *done)
{
	unsigned cores = s->cfg.cores;
	struct loan *loan = xcalloc(cores, sizeof(*loan));
	struct waiting *heap = xcalloc(cores, sizeof(*heap));
	const uint64_t *clock = s->inst[0].clock;
	uint64_t count = 0;
	ssize_t n;
	int rc = -1;

	for (unsigned c = 0; c < cores; c++) {
		if ((n = feed(ctx, c, &loan[c].rec)) < 0)
			goto out;
		loan[c].n = (size_t)n;
		heap[c] = (struct waiting){ n ? loan[c].rec[0].gap : UINT64_MAX, c };
	}
	/* Every time starts as its first gap: heapify from the last parent. */
	for (unsigned i = cores / 2; i-- > 0;)
		sift_down(heap, cores, i, heap[i]);
	while (heap[0].time != UINT64_MAX) {
		unsigned first = heap[0].core;
		uint64_t limit = UINT64_MAX, next;
		struct loan *l = &loan[first];

		if (cores > 1) {
			const struct waiting *second = cores > 2 && issues_before(&heap[2], &heap[1]) ? &heap[2] : &heap[1];

			if (second->time != UINT64_MAX)
				limit = second->time + (first < second->core); /* a tie goes to the lower core */
		}
		for (;;) {
			size_t issued = run_core(s, first, l->rec, l->n, limit);

			l->rec += issued;
			l->n -= issued;
			count += issued;
			if (!l->n) {
				if ((n = feed(ctx, first, &l->rec)) < 0)
					goto out;
				l->n = (size_t)n;
				if (!n) {
					next = UINT64_MAX;
					break;
				}
			}
			next = clock[first] + l->rec[0].gap;
			if (next >= limit)
				break;
		}
		sift_down(heap, cores, 0, (struct waiting){ next, first });
	}
	rc = 0;
out:
	*done = count;
	free(loan);
	free(heap);
	return rc;
}

/* The synchronised order's loan: with its records' indices in the file,
 * and how many records come before the first synchronisation record. */
struct synced_loan {
	const struct trace_record *rec;
	const uint64_t *index;
	size_t n, plain;
};

/* A replay in the synchronised order. */
struct schedule {
	struct sim *s;
	sim_feed feed;
	const struct sim_sync_feed *sync;
	void *ctx;
	struct synced_loan *loan;
	uint64_t *front;   /* per core, the index of its next record (UINT64_MAX: none) */
	unsigned cores;
	struct waiting *heap;
	unsigned n;        /* cores in the heap */
	bool *blocked;     /* out of the heap, waiting for their turn */
	uint64_t next_sync; /* the number of the next synchronisation record */
	uint64_t sync_done[SIM_MAX_PROTOCOLS]; /* when the last one completed */
	uint64_t count;
	bool stopped;      /* the feed could not say whose turn it is */
};

/* The thread whose synchronisation record is next, -1 while unknown. */
static int turn_of(struct schedule *sc)
{
	int turn = sc->sync->sync_thread(sc->ctx, sc->next_sync);

	sc->stopped |= turn == -2;
	return turn;
}

#define BLOCKED (UINT64_MAX - 1)

static size_t plain_records(const struct trace_record *rec, size_t n)
{
	size_t i = 0;

	while (i < n && !trace_is_sync(&rec[i]))
		i++;
	return i;
}

/* CORE's next loan; -1 to stop. */
static int take_loan(struct schedule *sc, unsigned core)
{
	struct synced_loan *l = &sc->loan[core];
	ssize_t n = sc->feed(sc->ctx, core, &l->rec);

	if (n < 0)
		return -1;
	l->n = (size_t)n;
	l->plain = 0;
	sc->front[core] = UINT64_MAX;
	if (n) {
		l->index = sc->sync->indices(sc->ctx, core);
		l->plain = plain_records(l->rec, l->n);
		sc->front[core] = l->index[0];
	}
	return 0;
}

/* Moves CORE's loan past ISSUED records (at least one), taking the next
 * loan once the last is used up; -1 to stop. */
static inline int advance(struct schedule *sc, unsigned core, size_t issued)
{
	struct synced_loan *l = &sc->loan[core];

	l->rec += issued;
	l->index += issued;
	l->n -= issued;
	sc->count += issued;
	if (!l->n)
		return take_loan(sc, core);
	sc->front[core] = l->index[0];
	return 0;
}

/* When CORE's next record issues: UINT64_MAX when it has none, BLOCKED
 * when it is a synchronisation record whose turn has not come. */
static inline uint64_t next_time(struct schedule *sc, unsigned core)
{
	const struct synced_loan *l = &sc->loan[core];
	uint64_t clock = sc->s->inst[0].clock[core];

	if (!l->n)
		return UINT64_MAX;
	if (l->plain)
		return clock + l->rec[0].gap;
	if (turn_of(sc) != (int)core)
		return BLOCKED;
	return (clock > sc->sync_done[0] ? clock : sc->sync_done[0]) + l->rec[0].gap;
}

/* Counts, of CORE's ISSUED records just replayed, those an earlier record
 * (in the file) of another core was still waiting for: the others' next
 * records did not move meanwhile, and the indices grow within a core. */
static inline void count_ahead(struct schedule *sc, unsigned core, const uint64_t *index, size_t issued)
{
	uint64_t *front = sc->front, first_other = UINT64_MAX, own = front[core];
	size_t lo = 0, hi = issued;

	/* The others' least, without a test per core for CORE. */
	front[core] = UINT64_MAX;
	for (unsigned c = 0; c < sc->cores; c++)
		first_other = front[c] < first_other ? front[c] : first_other;
	front[core] = own;
	if (index[issued - 1] < first_other)
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (index[mid] < first_other)
			lo = mid + 1;
		else
			hi = mid;
	}
	sc->s->ahead += issued - lo;
}

/* The synchronisation record at the front of CORE's loan, whose turn it
 * is: its clock waits for the one before it under each protocol. */
static int issue_sync(struct schedule *sc, unsigned core)
{
	struct sim *s = sc->s;
	struct synced_loan *l = &sc->loan[core];

	count_ahead(sc, core, l->index, 1);
	for (unsigned i = 0; i < s->n; i++)
		if (s->inst[i].clock[core] < sc->sync_done[i])
			s->inst[i].clock[core] = sc->sync_done[i];
	run_core(s, core, l->rec, 1, UINT64_MAX);
	for (unsigned i = 0; i < s->n; i++)
		sc->sync_done[i] = s->inst[i].clock[core];
	sc->next_sync++;
	s->sync_records++;
	l->plain = plain_records(l->rec + 1, l->n - 1);
	return advance(sc, core, 1);
}

/* CORE's plain records while it stays ahead of the next earliest core,
 * as in the timed order. */
static int issue_plain(struct schedule *sc, unsigned core)
{
	struct synced_loan *l = &sc->loan[core];
	const uint64_t *clock = sc->s->inst[0].clock;
	uint64_t limit = UINT64_MAX;

	if (sc->n > 1) {
		const struct waiting *second = sc->n > 2 && issues_before(&sc->heap[2], &sc->heap[1]) ? &sc->heap[2] : &sc->heap[1];

		if (second->time != UINT64_MAX)
			limit = second->time + (core < second->core); /* a tie goes to the lower core */
	}
	for (;;) {
		size_t issued = run_core(sc->s, core, l->rec, l->plain, limit);

		count_ahead(sc, core, l->index, issued);
		l->plain -= issued;
		if (advance(sc, core, issued) < 0)
			return -1;
		if (!l->plain || clock[core] + l->rec[0].gap >= limit)
			return 0;
	}
}

static int run_schedule(struct schedule *sc)
{
	unsigned cores = sc->s->cfg.cores;

	for (unsigned c = 0; c < cores; c++) {
		uint64_t time;

		if (take_loan(sc, c) < 0)
			return -1;
		time = next_time(sc, c);
		if (time == BLOCKED)
			sc->blocked[c] = true;
		else
			sc->heap[sc->n++] = (struct waiting){ time, c };
	}
	/* Every time starts as its first gap: heapify from the last parent. */
	for (unsigned i = sc->n / 2; i-- > 0;)
		sift_down(sc->heap, sc->n, i, sc->heap[i]);
	while (!sc->stopped && sc->n && sc->heap[0].time != UINT64_MAX) {
		unsigned first = sc->heap[0].core;
		bool was_sync = sc->loan[first].plain == 0;
		uint64_t next;
		int turn;

		if ((was_sync ? issue_sync(sc, first) : issue_plain(sc, first)) < 0)
			return -1;
		next = next_time(sc, first);
		if (next == BLOCKED) {
			sc->blocked[first] = true;
			sc->n--;
			sift_down(sc->heap, sc->n, 0, sc->heap[sc->n]);
		} else {
			sift_down(sc->heap, sc->n, 0, (struct waiting){ next, first });
		}
		if (!was_sync)
			continue;
		/* The turn moved on: the core whose record it now is may be
		 * waiting for it. */
		turn = turn_of(sc);
		if (turn >= 0 && (unsigned)turn < cores && sc->blocked[turn]) {
			sc->blocked[turn] = false;
			sift_up(sc->heap, &sc->n, (struct waiting){ next_time(sc, (unsigned)turn), (unsigned)turn });
		}
	}
	if (sc->stopped)
		return -1;
	for (unsigned c = 0; c < cores; c++)
		if (sc->blocked[c])
			ml_die(ML_EXIT_CHECK_FAILED, "internal: core %u waits for a synchronisation record that never comes", c);
	return 0;
}

int sim_run_synced(struct sim *s, sim_feed feed, const struct sim_sync_feed *sync, void *ctx, uint64_t *done)
{
	struct schedule sc = { .s = s, .feed = feed, .sync = sync, .ctx = ctx, .cores = s->cfg.cores };
	int rc;

	sc.loan = xcalloc(s->cfg.cores, sizeof(*sc.loan));
	sc.front = xcalloc(s->cfg.cores, sizeof(*sc.front));
	sc.heap = xcalloc(s->cfg.cores, sizeof(*sc.heap));
	sc.blocked = xcalloc(s->cfg.cores, sizeof(*sc.blocked));
	rc = run_schedule(&sc);
	*done = sc.count;
	free(sc.loan);
	free(sc.front);
	free(sc.heap);
	free(sc.blocked);
	return rc;
}
