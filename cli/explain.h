/* What an explanation of a traced program holds while 'mesilab explain'
 * works on it: the attributed replay, the trace and its symbols, the
 * machine and protocols it replays. Shared by its parts (explain_report,
 * explain_latent, explain_names), none of which needs another's header
 * for it. */
#ifndef MESILAB_CLI_EXPLAIN_H
#define MESILAB_CLI_EXPLAIN_H

#include "attribution.h"
#include "engine.h"
#include "sim_machine.h"
#include "trace_reader.h"
#include "trace_symbols.h"

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
	/* How often the next record of the trace's own order is another
	 * thread's: how much the traced run's threads overlapped. */
	uint64_t switches;
	/* The program's modelled memory cycles under each protocol: its
	 * records' cycles added up (attribution.h). */
	uint64_t cycles[SIM_MAX_PROTOCOLS];
	char order[512];
	size_t *by_address; /* the attribution's addresses in address order (explain_report's) */
	size_t naddresses;
};

#endif
