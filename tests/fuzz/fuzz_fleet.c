/* 'mesilab fleet' on five machines' run directories made from the
 * input: the fleet loaded, its odd figures flagged and its report written
 * as cmd_fleet.c does it. The report's figures are left out: gnuplot is
 * hidden (PATH names no directory), as on a machine without it, and the
 * report goes on without them. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "fleet.h"
#include "fleet_report.h"
#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "table.h"
#include "xalloc.h"

static FILE *sink(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		exit(3);
	}
	return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_fleet"), data, size);
	char *out = xasprintf("%s/fleet", tree);
	struct table *flagged;
	struct ml_error err;
	struct fleet f;

	setenv("PATH", "/nonexistent", 1);
	if (fleet_load(tree, &f, &err) < 0)
		goto out;
	for (size_t g = 0; g < f.ngroups; g++) {
		fleet_group_size(&f, g);
		for (size_t k = 0; k < f.nfigures; k++)
			fleet_group_median(&f, g, k);
	}
	if (fleet_report_write(&f, out, &flagged, &err) == 0) {
		table_print_csv(flagged, sink());
		table_print_human(flagged, sink());
		table_free(flagged);
	}
	fleet_free(&f);
out:
	free(out);
	return 0;
}
