/* Finding an importer by its name, and running it. The importers are in
 * trace/import_*.c, their table in trace/importers.c. */
#include <config.h>

#include <string.h>

#include "trace_import.h"

const struct trace_importer *trace_importer_named(const char *name)
{
	for (size_t i = 0; i < trace_nimporters; i++)
		if (strcmp(name, trace_importers[i].name) == 0)
			return &trace_importers[i];
	return NULL;
}

int trace_import(const struct trace_importer *importer, char *const *inputs, int ninputs, const char *output,
		 struct trace_header *h, struct trace_import_report *report, struct ml_error *err)
{
	const struct trace_import_job job = { importer->name, inputs, ninputs, output, h, report };

	memset(report, 0, sizeof(*report));
	h->order = importer->order;
	return importer->import(&job, err);
}
