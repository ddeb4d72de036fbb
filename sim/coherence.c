#include <config.h>

#include "coherence.h"
#include "compiler.h"

/* One other cache, C, snoops OP. */
static void snoop_one(const struct protocol *p, uint8_t *states, unsigned c, enum bus_op op,
		      struct coh_result *r, bool first)
{
	uint8_t s = states[c];
	const struct snoop_rule *rule = &p->snoop[s][op];

	if (!(p->state_flags[s] & STATE_VALID))
		return;
	if (first)
		r->shared = true;
	if (!rule->defined)
		return;
	if (rule->supplies && r->supplier < 0 && (op == BUS_RD || op == BUS_RDX))
		r->supplier = (int)c;
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

/* The other caches in OTHERS snoop OP in core order starting after CORE
 * and wrapping, so that the first supplier after CORE is the one that
 * answers. */
static void snoop_all(const struct protocol *p, uint8_t *states, unsigned core, uint64_t others,
		      enum bus_op op, struct coh_result *r, bool first)
{
	uint64_t above = others & ~((2ull << core) - 1), below = others & ((1ull << core) - 1);

	for (; above; above &= above - 1)
		snoop_one(p, states, (unsigned)ML_CTZ64(above), op, r, first);
	for (; below; below &= below - 1)
		snoop_one(p, states, (unsigned)ML_CTZ64(below), op, r, first);
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
}
