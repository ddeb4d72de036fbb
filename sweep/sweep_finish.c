#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "csv.h"
#include "plot.h"
#include "sweep_collect.h"
#include "sweep_dir.h"
#include "sweep_finish.h"
#include "xalloc.h"

/* The configurations not finished, and how to finish them. */
static void say_missing(const char *dir, const struct csv_file *plan, const struct sweep_collection *col)
{
	fprintf(stderr, "mesilab sweep: %zu of %zu configurations are missing (failed, cancelled or not run):\n",
		col->nmissing, col->configurations);
	for (size_t i = 0; i < col->nmissing; i++) {
		char what[256];

		sweep_dir_describe(plan, col->missing[i], what, sizeof(what));
		fprintf(stderr, "  %s  %s\n", sweep_dir_config_id(plan, col->missing[i]), what);
	}
	fprintf(stderr, "the command that started the sweep runs them again (with -o %s), alone\n", dir);
}

/* The merged sweep.csv on stdout, as it is in the file. */
static void print_csv(const char *dir)
{
	char *path = xasprintf("%s/sweep.csv", dir);
	struct ml_error err;
	struct csv_file *merged = csv_read(path, dir, &err);

	for (size_t r = 0; merged && r <= csv_rows(merged); r++)
		for (size_t c = 0; c < csv_columns(merged); c++) {
			csv_write_field(stdout, r == 0 ? csv_header(merged, c) : csv_cell(merged, r - 1, c));
			fputc(c + 1 < csv_columns(merged) ? ',' : '\n', stdout);
		}
	csv_free(merged);
	free(path);
}

int sweep_finish(const char *dir, const struct csv_file *plan, bool quiet, bool csv, struct ml_error *err)
{
	struct sweep_collection col;
	struct plot_summary sum;
	struct ml_error why;
	int rc = sweep_collect(dir, plan, &col, err);

	if (rc > 0)
		say_missing(dir, plan, &col);
	free(col.missing); /* the missing found before an error too */
	if (rc != 0)
		return rc;
	rc = plot_run(dir, PLOT_PNG, &sum, &why);
	if (rc != 0 && !quiet)
		fprintf(stderr, "mesilab sweep: no figures: %s\n", why.msg);
	if (csv) {
		print_csv(dir);
	} else {
		printf("%s/sweep.csv: %zu configurations\n", dir, col.configurations);
		for (size_t i = 0; i < sum.nfiles; i++)
			printf("  %s/%s\n", dir, sum.files[i]);
	}
	plot_summary_free(&sum);
	/* Without gnuplot there are no figures, and that is no failure. */
	return rc < 0 ? 1 : 0;
}
