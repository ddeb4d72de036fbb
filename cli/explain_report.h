/* What 'mesilab explain' prints and writes from an attributed replay:
 * the code lines and data objects by cost, the false sharing in words and
 * the saving of padding it away (a second replay). */
#ifndef MESILAB_CLI_EXPLAIN_REPORT_H
#define MESILAB_CLI_EXPLAIN_REPORT_H

#include "attribution.h"
#include "engine.h"
#include "error.h"
#include "rundir.h"
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
	char order[512];
	size_t *by_address; /* the attribution's addresses in address order (explain_report's) */
	size_t naddresses;
};

/* Prints the tables and the finding on standard output, saves the CSVs
 * into RUN. 0, or -1 with ERR. */
int explain_report(struct explain *ex, struct rundir *run, struct ml_error *err);

#endif
