#include <config.h>

#include "coherence.h"
#include "compiler.h"

/* One other cache, C, snoops OP; OWNED collects the caches offering the
 * line from a state that owns it. */
static void snoop_one(const struct protocol *p, uint8_t *states, unsigned c, enum bus_op op,
		      struct coh_result *r, bool first, uint64_t *owned)
{
	uint8_t s = states[c];
	const struct snoop_rule *rule = &p->snoop[s][op];

	if (!(p->state_flags[s] & STATE_VALID))
		return;
	/* The shared signal says a copy stays: a cache that gives its copy up
	 * to a read (migratory sharing) raises none, so that the reader takes
	 * the line alone. */
	if (first && (!rule->defined || (p->state_flags[rule->next] & STATE_VALID)))
		r->shared = true;
	if (!rule->defined)
		return;
	if (rule->supplies && (op == BUS_RD || op == BUS_RDX)) {
		r->offered_mask |= 1ull << c;
		if (p->state_flags[s] & STATE_OWNER)
			*owned |= 1ull << c;
	}
	if (rule->writeback) {
		r->snoop_writebacks++;
		r->wrote_back_mask |= 1ull << c;
	}
	if (op == BUS_UPD) {
		r->updates++;
		r->updated_mask |= 1ull << c;
	}
	if (!(p->state_flags[rule->next] & STATE_VALID))
		r->invalidations++;
	states[c] = rule->next;
}

/* The first core of the nonempty set CORES after CORE, wrapping. */
static int first_after(uint64_t cores, unsigned core)
{
	uint64_t above = cores & ~((2ull << core) - 1);

	return (int)ML_CTZ64(above ? above : cores);
}

/* The other caches in OTHERS snoop OP in core order starting after CORE
 * and wrapping. Of the caches offering the line, an owner answers before
 * a clean copy (a clean S supplies only where no cache owns the line, as
 * in MOESI with shared supply), and of those the first after CORE. */
static void snoop_all(const struct protocol *p, uint8_t *states, unsigned core, uint64_t others,
		      enum bus_op op, struct coh_result *r, bool first)
{
	uint64_t above = others & ~((2ull << core) - 1), below = others & ((1ull << core) - 1);
	uint64_t owned = 0;

	for (; above; above &= above - 1)
		snoop_one(p, states, (unsigned)ML_CTZ64(above), op, r, first, &owned);
	for (; below; below &= below - 1)
		snoop_one(p, states, (unsigned)ML_CTZ64(below), op, r, first, &owned);
	if (r->offered_mask && r->supplier < 0)
		r->supplier = first_after(owned ? owned : r->offered_mask, core);
}

void coherence_access(const struct protocol *p, uint8_t *states, unsigned ncores, unsigned core,
		      enum proc_event event, struct coh_result *r)
{
	uint64_t all = ncores >= 64 ? ~0ull : (1ull << ncores) - 1;

	coherence_access_steps(p, states, NULL, core, event, all & ~(1ull << core), r);
}

void coherence_access_steps(const struct protocol *p, uint8_t *states, uint8_t *mid, unsigned core,
			    enum proc_event event, uint64_t others, struct coh_result *r)
{
	const struct proc_rule *rule = &p->proc[states[core]][event];
	int shared;

	*r = (struct coh_result){ .supplier = -1 };
	if (rule->bus != BUS_NONE) {
		r->bus[r->nbus++] = rule->bus;
		r->data = rule->bus == BUS_RD || rule->bus == BUS_RDX;
		if (others)
			snoop_all(p, states, core, others, (enum bus_op)rule->bus, r, true);
	}
	shared = r->shared ? 1 : 0;
	r->writeback = rule->writeback;
	states[core] = rule->next[shared];
	if (mid)
		for (uint64_t m = others | 1ull << core; m; m &= m - 1) {
			unsigned c = (unsigned)ML_CTZ64(m);

			mid[c] = states[c];
		}
	if (rule->then_bus[shared] != BUS_NONE) {
		r->bus[r->nbus++] = rule->then_bus[shared];
		if (others)
			snoop_all(p, states, core, others, (enum bus_op)rule->then_bus[shared], r, false);
	}
	r->flushed_mask = r->wrote_back_mask | (p->flush_every_supplier ? r->offered_mask : 0) |
			  (r->supplier >= 0 ? 1ull << r->supplier : 0);
}
