/* Building a simulation and what it says of itself: the configuration's
 * defaults and checks, each protocol's caches and tables, the lanes of
 * the hot path, the memory it will take. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "engine_private.h"
#include "xalloc.h"

const char *const sim_order_names[SIM_NORDERS] = { "timed", "file", "synced" };

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
	if (cfg->sixteenths.hit > 15 || cfg->sixteenths.l2 > 15 || cfg->sixteenths.llc > 15 ||
	    cfg->sixteenths.memory > 15 || cfg->sixteenths.c2c > 15 || cfg->sixteenths.bus > 15 ||
	    cfg->sixteenths.handover > 15 || cfg->sixteenths.atomic > 15) {
		ml_error_set(err, "a latency's fraction of a cycle is at most 15 sixteenths");
		return -1;
	}
	if (cfg->spread > SIM_MAX_SPREAD) {
		ml_error_set(err, "a bus transaction's spread is at most %u%%", SIM_MAX_SPREAD);
		return -1;
	}
	if (cfg->store_buffer > SIM_MAX_STORE_BUFFER) {
		ml_error_set(err, "a store buffer has at most %u entries", SIM_MAX_STORE_BUFFER);
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
	rng_seed(&in->spread, cfg->seed + 400);
	in->clock = xcalloc(cfg->cores, sizeof(*in->clock));
	in->stats = xcalloc(cfg->cores, sizeof(*in->stats));
	in->transitions = xcalloc((size_t)PROTOCOL_MAX_STATES * SIM_NEVENTS * PROTOCOL_MAX_STATES,
				  sizeof(*in->transitions));
	lost_lines_init(&in->lost, cfg->cores);
	in->track_holders = cfg->cores > PRESENCE_MAX_CORES;
	linemap_init(&in->holders);
	if (!in->track_holders)
		presence_init(&in->presence, private_level->size / private_level->line);
	if (cfg->store_buffer) {
		in->sb = xcalloc(cfg->cores, sizeof(*in->sb));
		for (unsigned c = 0; c < cfg->cores; c++)
			store_buffer_init(&in->sb[c], cfg->store_buffer);
	}
	if (cfg->in_flight)
		in->flights = xcalloc(FLIGHT_SLOTS, sizeof(*in->flights));
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
	for (unsigned c = 0; c < s->cfg.cores && in->sb; c++)
		store_buffer_free(&in->sb[c]);
	free(in->sb);
	free(in->flights);
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
				.clock = &in->clock[c], .lost = &in->lost, .hit_latency = s->ticks.hit,
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
	double buffers = (double)cfg->cores * cfg->store_buffer * sizeof(struct store_buffer_entry);
	double total = nprotocols * (per_protocol + buffers) + shadow;

	return total > 1e19 ? UINT64_MAX : (uint64_t)total;
}

struct sim *sim_new(const struct sim_config *cfg, const struct protocol *const *protocols,
		    unsigned nprotocols)
{
	struct sim *s = xcalloc(1, sizeof(*s));
	const struct cache_geometry *private_level = cfg->l2.size ? &cfg->l2 : &cfg->l1;

	s->cfg = *cfg;
	/* Within the options' bound (a million cycles), a latency in ticks
	 * fits its unsigned. */
	s->ticks = (struct sim_latency){
		.hit = (unsigned)ticks_of(cfg->latency.hit) + cfg->sixteenths.hit,
		.l2 = (unsigned)ticks_of(cfg->latency.l2) + cfg->sixteenths.l2,
		.llc = (unsigned)ticks_of(cfg->latency.llc) + cfg->sixteenths.llc,
		.memory = (unsigned)ticks_of(cfg->latency.memory) + cfg->sixteenths.memory,
		.c2c = (unsigned)ticks_of(cfg->latency.c2c) + cfg->sixteenths.c2c,
		.bus = (unsigned)ticks_of(cfg->latency.bus) + cfg->sixteenths.bus,
		.handover = (unsigned)ticks_of(cfg->latency.handover) + cfg->sixteenths.handover,
		.atomic = (unsigned)ticks_of(cfg->latency.atomic) + cfg->sixteenths.atomic,
	};
	if (!s->ticks.handover)
		s->ticks.handover = s->ticks.c2c;
	s->n = nprotocols;
	s->line = cfg->l1.line;
	while ((1u << s->line_shift) < s->line)
		s->line_shift++;
	for (unsigned i = 0; i < nprotocols; i++) {
		instance_init(s, &s->inst[i], protocols[i]);
		s->inst[i].index = i;
	}
	s->quiet = !cfg->log;
	/* An atomic's own cost is charged on the general way. */
	s->general_op = cfg->store_buffer ? TRACE_WRITE : s->ticks.atomic ? TRACE_RMW : TRACE_IFETCH;
	s->history = xcalloc(cfg->cores, sizeof(*s->history));
	s->ops = xcalloc(cfg->cores, sizeof(*s->ops));
	if (cfg->in_flight)
		s->waited = xcalloc(cfg->cores, sizeof(*s->waited));
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
	free(s->waited);
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
	s->quiet = !s->cfg.log && !observer && !s->record_watch;
}

void sim_watch_records(struct sim *s, sim_record_watch watch, void *ctx)
{
	s->record_watch = watch;
	s->record_watch_ctx = ctx;
	s->quiet = !s->cfg.log && !s->observer && !watch;
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

const struct protocol *sim_protocol(const struct sim *s, unsigned i)
{
	return s->inst[i].p;
}
