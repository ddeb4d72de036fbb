/* Converting traces people already have:
 *   din      Dinero IV's "din": "LABEL ADDRESS" (0 read, 1 write, 2
 *            instruction fetch, 3 an access of unknown type, read as a
 *            read, 4 a copy-back, skipped); hex address, taken as the
 *            4-byte word that holds it, as Dinero IV does;
 *   lackey   valgrind --tool=lackey --trace-mem=yes: "I  ADDR,SIZE",
 *            " L ADDR,SIZE", " S ...", " M ..." (a load then a store);
 *   percore  one file per core, "LABEL VALUE": 0 load, 1 store, 2 VALUE
 *            cycles of other work before the next access;
 *   interleaved  one file of all cores' accesses in the order they
 *            happened, "PROCESSOR r|w ADDRESS" (processor decimal, P
 *            prefix allowed; address hex, 0x optional).
 * What a format lacks is invented and said in the report. */
#ifndef MESILAB_TRACE_IMPORT_H
#define MESILAB_TRACE_IMPORT_H

#include <stdint.h>

#include "error.h"
#include "trace.h"

enum trace_import_format { IMPORT_DIN, IMPORT_LACKEY, IMPORT_PERCORE, IMPORT_INTERLEAVED, IMPORT_NFORMATS };

struct trace_import_report {
	uint64_t records;
	uint64_t skipped;  /* source lines that are not accesses (escapes, messages) */
	uint64_t split;    /* accesses larger than 128 bytes, split into pieces */
	uint64_t dropped_work; /* cycles of work after a core's last access */
	uint64_t copybacks; /* din copy-backs (label 4), which a trace cannot hold */
	const char *invented;  /* what the format does not say and mesilab chose */
};

int trace_import_format_parse(const char *name, enum trace_import_format *format);
extern const char *const trace_import_format_names[IMPORT_NFORMATS];

/* Reads INPUTS ("-": standard input; several only for percore, one per
 * core) and writes a binary trace to OUTPUT. H's generator and line size
 * are kept; its thread count and order kind are set (din, lackey and
 * interleaved: a reference; percore: streams). */
int trace_import(enum trace_import_format format, char *const *inputs, int ninputs,
		 const char *output, struct trace_header *h, struct trace_import_report *report,
		 struct ml_error *err);

#endif
