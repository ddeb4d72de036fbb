/* The caches around a line's coherence: a line leaving the private caches
 * (replacement, or the inclusive last level dropping it), a line coming
 * from the last level or memory, hits in the private L1 and L2, and the
 * instruction L1, outside coherence. */
#include <config.h>

#include "engine_private.h"

/* LINE leaves CORE's private caches by replacement. */
void engine_evict(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line, uint8_t state)
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
		engine_evict(s, in, c, line, cache_state(pll, line, w));
		cache_set_state(pll, line, w, 0);
		stats_of(in, c)->back_invalidations++;
	}
}

/* The latency of a line coming from below the private caches. */
unsigned engine_fetch_from_below(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line)
{
	struct core_stats *st = stats_of(in, core);
	int w;

	st->memory_reads++;
	if (!s->cfg.llc.size)
		return s->ticks.memory;
	if (cache_find(&in->llc, line, true) >= 0) {
		st->llc_hits++;
		return s->ticks.llc;
	}
	w = cache_victim(&in->llc, line);
	if (cache_state(&in->llc, line, w) && s->cfg.llc_inclusive)
		back_invalidate(s, in, cache_line_at(&in->llc, line, w));
	cache_fill(&in->llc, line, w, 1);
	return s->ticks.memory;
}

/* A hit in the private hierarchy: L1, or the L2 behind it. */
unsigned engine_private_latency(struct sim *s, struct sim_instance *in, unsigned core, uint64_t line)
{
	struct cache *l1;

	if (!in->l1)
		return s->ticks.hit;
	l1 = &in->l1[core];
	if (cache_find(l1, line, true) >= 0)
		return s->ticks.hit;
	stats_of(in, core)->l1_misses++;
	cache_fill(l1, line, cache_victim(l1, line), 1);
	return s->ticks.l2;
}

/* Instruction fetches: a private, read-only L1i, outside coherence. A fetch
 * over two lines counts once, missing if either line missed. */
void engine_instruction_fetch(struct sim *s, struct sim_instance *in, const struct trace_record *rec)
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
			in->clock[rec->thread] += s->ticks.hit;
			continue;
		}
		missed = true;
		cache_fill(l1i, line, cache_victim(l1i, line), 1);
		in->clock[rec->thread] += engine_fetch_from_below(s, in, rec->thread, line);
	}
	st->ifetch_misses += missed;
}
