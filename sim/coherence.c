#include <config.h>

#include <string.h>

#include "coherence.h"

/* Every other cache snoops OP; the first supplier after CORE in core
 * order (wrapping) is the one that answers. */
static void snoop_all(const struct protocol *p, uint8_t *states, unsigned ncores, unsigned core,
		      enum bus_op op, struct coh_result *r, bool first)
{
	for (unsigned k = 1, c = core; k < ncores; k++) {
		const struct snoop_rule *rule;
		uint8_t s;

		c = c + 1 == ncores ? 0 : c + 1; /* the next core, wrapping */
		s = states[c];
		rule = &p->snoop[s][op];

		if (!(p->state_flags[s] & STATE_VALID))
			continue;
		if (first)
			r->shared = true;
		if (!rule->defined)
			continue;
		if (rule->supplies && r->supplier < 0 && (op == BUS_RD || op == BUS_RDX))
			r->supplier = (int)c;
		if (rule->writeback) {
			r->snoop_writebacks++;
			if (c < 64)
				r->wrote_back_mask |= 1ull << c;
		}
		if (op == BUS_UPD) {
			r->updates++;
			if (c < 64)
				r->updated_mask |= 1ull << c;
		}
		if (!(p->state_flags[rule->next] & STATE_VALID))
			r->invalidations++;
		states[c] = rule->next;
	}
}

void coherence_access(const struct protocol *p, uint8_t *states, unsigned ncores, unsigned core,
		      enum proc_event event, struct coh_result *r)
{
	coherence_access_steps(p, states, NULL, ncores, core, event, r);
}

void coherence_access_steps(const struct protocol *p, uint8_t *states, uint8_t *mid,
			    unsigned ncores, unsigned core, enum proc_event event, struct coh_result *r)
{
	const struct proc_rule *rule = &p->proc[states[core]][event];
	int shared;

	memset(r, 0, sizeof(*r));
	r->supplier = -1;
	if (rule->bus != BUS_NONE) {
		r->bus[r->nbus++] = rule->bus;
		r->data = rule->bus == BUS_RD || rule->bus == BUS_RDX;
		snoop_all(p, states, ncores, core, (enum bus_op)rule->bus, r, true);
	}
	shared = r->shared ? 1 : 0;
	r->writeback = rule->writeback;
	states[core] = rule->next[shared];
	if (mid)
		memcpy(mid, states, ncores);
	if (rule->then_bus[shared] != BUS_NONE) {
		r->bus[r->nbus++] = rule->then_bus[shared];
		snoop_all(p, states, ncores, core, (enum bus_op)rule->then_bus[shared], r, false);
	}
}
