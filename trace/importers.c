/* The one table of importers, in the order 'mesilab trace import --help'
 * lists them. Adding a foreign format is writing its importer (a file of
 * its own, trace/import_NAME.c: see importer.h) and adding its row here:
 * its name for --from, what it reads (a paragraph of --help), the order
 * kind of its traces (TRACE_ORDER_REFERENCE: the file's order is the
 * truth; TRACE_ORDER_STREAMS: independent cores, timed by the simulator)
 * and its function. */
#include <config.h>

#include "importer.h"

const struct trace_importer trace_importers[] = {
	{ "din",
	  "Dinero IV's format, 'LABEL ADDRESS' (0 read, 1 write, 2 instruction fetch, 3 unknown type, read as "
	  "a read, 4 copy-back, skipped), each address taken as the 4-byte word holding it, as Dinero IV does.",
	  TRACE_ORDER_REFERENCE, import_din },
	{ "lackey", "the output of valgrind --tool=lackey --trace-mem=yes (M is a load and a store).",
	  TRACE_ORDER_REFERENCE, import_lackey },
	{ "percore", "one file per core, in core order, 'LABEL VALUE' with 0 load, 1 store, 2 VALUE cycles of work.",
	  TRACE_ORDER_STREAMS, import_percore },
	{ "interleaved",
	  "one file of every core's accesses in the order they happened, 'PROCESSOR r|w ADDRESS' (hex, 0x "
	  "optional), kept in that order; each access 1 byte, so none crosses a line.",
	  TRACE_ORDER_REFERENCE, import_interleaved },
};

const size_t trace_nimporters = sizeof(trace_importers) / sizeof(trace_importers[0]);
