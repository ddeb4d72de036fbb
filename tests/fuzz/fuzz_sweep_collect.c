/* 'mesilab sweep --collect' on a sweep directory made from the input:
 * the plan read back, the configurations' rows checked and merged into
 * sweep.csv, the missing ones described, then the merged file read as
 * --csv prints it and the sweep's figures prepared from it as plot
 * would (gnuplot itself is not run). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "csv_read.h"
#include "fuzz_input.h"
#include "figure.h"
#include "fuzz_rundir.h"
#include "plot.h"
#include "plot_io.h"
#include "sweep_collect.h"
#include "sweep_dir.h"
#include "xalloc.h"

static void draw(const char *dir, const char *tree)
{
	char *data = xasprintf("%s/plot-data", tree), *vars = xasprintf("%s/vars.gp", data);
	char **groups = plot_sweep_groups(dir);
	struct ml_error err;

	if (mkdir(data, 0755) < 0) {
		perror(data);
		exit(3);
	}
	for (size_t g = 0; groups && groups[g]; g++) {
		struct plot_input in = { dir, data, fopen(vars, "w"), groups[g] };

		if (!in.vars) {
			perror(vars);
			exit(3);
		}
		plot_prepare_sweep(&in, &err);
		fclose(in.vars);
	}
	plot_free_list(groups);
	free(vars);
	free(data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_sweep_collect"), data, size);
	char *dir = xasprintf("%s/sweep", tree), *merged_path = xasprintf("%s/sweep.csv", dir);
	struct sweep_collection col;
	struct ml_error err;
	struct csv_file *plan = sweep_dir_plan(dir, &err), *merged;
	int rc;

	if (!plan)
		goto out;
	for (size_t r = 0; r < csv_rows(plan); r++)
		sweep_dir_config_done(dir, plan, r);
	rc = sweep_collect(dir, plan, &col, &err);
	if (rc > 0) {
		for (size_t i = 0; i < col.nmissing; i++) {
			char what[256];

			sweep_dir_describe(plan, col.missing[i], what, sizeof(what));
			sweep_dir_config_id(plan, col.missing[i]);
		}
	} else if (rc == 0) {
		merged = csv_read(merged_path, dir, &err);
		csv_free(merged);
		draw(dir, tree);
	}
	free(col.missing); /* the missing found before an error too */
	csv_free(plan);
out:
	free(merged_path);
	free(dir);
	return 0;
}
