/* Converting traces people already have. Each foreign format has an
 * importer of its own (trace/import_NAME.c, see importer.h), and one
 * table lists them (trace/importers.c): 'mesilab trace import --from
 * NAME' finds its importer there, and its --help lists the table. What a
 * format lacks is invented and said in the report. */
#ifndef MESILAB_TRACE_IMPORT_H
#define MESILAB_TRACE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "trace.h"

struct trace_import_report {
	uint64_t records;
	uint64_t skipped;  /* source lines that are not accesses (escapes, messages) */
	uint64_t split;    /* accesses larger than 128 bytes, split into pieces */
	uint64_t dropped_work; /* cycles of work after a core's last access */
	uint64_t copybacks; /* din copy-backs (label 4), which a trace cannot hold */
	const char *invented;  /* what the format does not say and the importer chose */
};

/* An import to do: the inputs, the trace to write and the report. H has
 * its generator, line size and order kind (the importer's row's) set; the
 * importer sets the thread count. REPORT is zero but for what the
 * importer counts; it says in REPORT->invented what it chose where the
 * format says nothing. */
struct trace_import_job {
	const char *name; /* the importer's, for messages */
	char *const *inputs;
	int ninputs;
	const char *output;
	struct trace_header *h;
	struct trace_import_report *report;
};

/* A row of the table. */
struct trace_importer {
	const char *name;  /* --from NAME */
	const char *reads; /* what it reads, one paragraph of --help */
	enum trace_order_kind order; /* of the traces it writes: a reference, or streams */
	/* Writes JOB's inputs as a trace (see importer.h); 0, or -1 with ERR. */
	int (*import)(const struct trace_import_job *job, struct ml_error *err);
};

/* The table, in the order --help lists it, and its length. */
extern const struct trace_importer trace_importers[];
extern const size_t trace_nimporters;

/* The importer called NAME, or NULL. */
const struct trace_importer *trace_importer_named(const char *name);

/* Reads INPUTS ("-": standard input; several for a format of one file per
 * core) with IMPORTER and writes a binary trace to OUTPUT. H's generator
 * and line size are kept; its thread count and order kind are set. */
int trace_import(const struct trace_importer *importer, char *const *inputs, int ninputs, const char *output,
		 struct trace_header *h, struct trace_import_report *report, struct ml_error *err);

#endif
