/* 'mesilab report' on a run directory made from the input: the report
 * (its self-checks included) as report_write makes it, and the pyramid
 * as 'mesilab run' builds it from the same files. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "pyramid.h"
#include "report_writer.h"
#include "table.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_report"), data, size);
	char *run = xasprintf("%s/run", tree);
	struct ml_error err;

	table_free(pyramid_table(run, &err));
	report_write(run, &err);
	free(run);
	return 0;
}
