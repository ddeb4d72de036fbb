/* The counters read back: per core (the accesses counted once for every
 * protocol, the rest per protocol), totals over the cores, and how often
 * each transition fired (the silent hits counted on the hot path apart). */
#include <config.h>

#include <string.h>

#include "engine_private.h"

static const char *const snoop_event_names[] = { "snoop BusRd", "snoop BusRdX", "snoop BusUpgr",
						 "snoop BusUpd" };

const char *sim_event_name(unsigned event)
{
	return event < PROC_NEVENTS ? proc_event_names[event] : snoop_event_names[event - PROC_NEVENTS];
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
	/* A core has finished once its last store has drained. */
	if (s->inst[protocol].sb && s->inst[protocol].sb[core].last_done > out->cycles)
		out->cycles = s->inst[protocol].sb[core].last_done;
	/* The clocks count ticks: whole cycles, rounded, out. */
	out->cycles = cycles_of(out->cycles);
	out->sync_wait = cycles_of(out->sync_wait);
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
