/* What an explanation of a traced program holds while 'mesilab explain'
 * works on it: the attributed replay, the trace and its symbols, the
 * machine and protocols it replays. Shared by its parts (explain_report,
 * explain_latent, explain_names), none of which needs another's header
 * for it. */
#ifndef MESILAB_CLI_EXPLAIN_H
#define MESILAB_CLI_EXPLAIN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "attribution.h"
#include "engine.h"
#include "sim_machine.h"
#include "trace_reader.h"
#include "trace_symbols.h"

/* How much a traced run's threads overlapped, in the trace's own order:
 * the records in long runs of one thread's (a turn it took alone: the
 * runtime's interpolated stamps make short runs where two turns meet),
 * and how often such turns change thread. */
struct explain_turns {
	uint64_t records, apart, turns;
	/* The run under way, and the thread of the last long one. */
	unsigned thread, last_long;
	uint64_t run;
};
#define EXPLAIN_TURNS_INIT { 0, 0, 0, UINT_MAX, UINT_MAX, 0 }

/* Counts N records of the trace's order, after those counted before;
 * explain_turns_end counts the run under way at the trace's end. */
void explain_turns_add(struct explain_turns *t, const struct trace_record *recs, size_t n);
void explain_turns_end(struct explain_turns *t);
/* Whether the records of T ran mostly apart: nine in ten or more in long
 * runs (on two busy PUs threads alternate every few records; one after
 * the other, or on one PU, in turns of thousands). */
bool explain_turns_apart(const struct explain_turns *t);

struct explain {
	struct sim *s;
	struct attribution *a;
	struct trace_symbols *sym;
	struct trace_reader *trace;
	const char *path;
	uint64_t records_at; /* the byte offset of the trace's first record */
	const struct sim_config *cfg;
	const struct protocol *const *protocols;
	unsigned nprotocols, top;
	bool latent; /* replay for latent false sharing (explain_latent.h) */
	const struct sim_machine *machine; /* the host modelled (--machine), NULL: the defaults */
	uint64_t accesses;
	/* How much the traced run's threads overlapped, in the trace's own
	 * order: the records in a long run of one thread's
	 * (explain_turns), and how often such runs change thread. */
	struct explain_turns turns;
	/* The order replayed is the timed one because the traced run's
	 * threads ran apart (no --order given). */
	bool timed_for_apart;
	/* The program's modelled memory cycles under each protocol: its
	 * records' cycles added up (attribution.h). */
	uint64_t cycles[SIM_MAX_PROTOCOLS];
	char order[512];
	size_t *by_address; /* the attribution's addresses in address order (explain_report's) */
	size_t naddresses;
};

#endif
