#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "sweep_dir.h"
#include "sweep_collect.h"
#include "table.h"
#include "xalloc.h"

/* ROWS must hold configuration ROW of PLAN: its settings in every row, one
 * row for each protocol of its list, in that order. */
static int check_rows(const struct csv_file *rows, const struct csv_file *plan, size_t row,
		      struct ml_error *err)
{
	char *protocols;
	size_t r = 0;
	int rc = 0;

	/* every configuration replays one protocol at least */
	if (csv_rows(rows) == 0) {
		ml_error_set(err, "%s: no rows, its header alone (configuration %s has a row per protocol)",
			     csv_path(rows), sweep_dir_config_id(plan, row));
		return -1;
	}
	protocols = xstrdup(csv_cell_named(plan, row, "protocols"));
	for (size_t c = 0; c < csv_columns(plan) && rc == 0; c++)
		for (size_t k = 0; k < csv_rows(rows) && rc == 0; k++)
			if (strcmp(csv_cell_named(rows, k, csv_header(plan, c)), csv_cell(plan, row, c)) != 0) {
				ml_error_set(err, "%s: row %zu is not configuration %s's: its %s is '%s', not '%s'",
					     csv_path(rows), k + 1, sweep_dir_config_id(plan, row), csv_header(plan, c),
					     csv_cell_named(rows, k, csv_header(plan, c)), csv_cell(plan, row, c));
				rc = -1;
			}
	if (strcmp(protocols, "all") == 0) /* the plan says what the user typed */
		for (r = 0; r < csv_rows(rows) && rc == 0; r++)
			for (size_t k = 0; k < r && rc == 0; k++)
				if (strcmp(csv_cell_named(rows, k, "protocol"), csv_cell_named(rows, r, "protocol")) == 0) {
					ml_error_set(err, "%s: protocol %s twice", csv_path(rows),
						     csv_cell_named(rows, r, "protocol"));
					rc = -1;
				}
	if (strcmp(protocols, "all") != 0) {
		for (char *p = protocols, *plus; p && rc == 0; p = plus ? plus + 1 : NULL, r++) {
			plus = strchr(p, '+');
			if (plus)
				*plus = '\0';
			if (r >= csv_rows(rows) || strcmp(csv_cell_named(rows, r, "protocol"), p) != 0) {
				ml_error_set(err, "%s: expected protocol %s in row %zu", csv_path(rows), p, r + 1);
				rc = -1;
			}
		}
		if (rc == 0 && r != csv_rows(rows)) {
			ml_error_set(err, "%s: %zu rows for %zu protocols (a protocol twice?)", csv_path(rows),
				     csv_rows(rows), r);
			rc = -1;
		}
	}
	free(protocols);
	return rc;
}

/* Every finished configuration's rows, in the plan's order. */
static int merge(const char *dir, struct csv_file *const *files, size_t n, struct ml_error *err)
{
	const struct csv_file *first = files[0];
	size_t ncolumns = csv_columns(first);
	struct table_column *columns = xcalloc(ncolumns, sizeof(*columns));
	char *path = xasprintf("%s/sweep.csv", dir);
	struct table *t;
	int rc;

	for (size_t c = 0; c < ncolumns; c++)
		columns[c] = (struct table_column){ csv_header(first, c), csv_header(first, c), TABLE_LEFT };
	t = table_new(columns, ncolumns);
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < csv_rows(files[i]); r++) {
			table_add_row(t);
			for (size_t c = 0; c < ncolumns; c++)
				table_set(t, c, csv_cell_named(files[i], r, csv_header(first, c)), NULL);
		}
	rc = table_save_csv(t, path, err);
	table_free(t);
	free(columns);
	free(path);
	return rc;
}

int sweep_collect(const char *dir, const struct csv_file *plan, struct sweep_collection *col, struct ml_error *err)
{
	size_t n = csv_rows(plan);
	struct csv_file **files;
	int rc = 0;

	memset(col, 0, sizeof(*col));
	/* The merge takes its columns from the first configuration's rows. */
	if (n == 0) {
		ml_error_set(err, "%s: no configuration to collect", csv_path(plan));
		return -1;
	}
	files = xcalloc(n, sizeof(*files));
	col->configurations = n;
	for (size_t row = 0; row < n && rc == 0; row++) {
		char *path = sweep_dir_rows_path(dir, sweep_dir_config_id(plan, row));

		rc = csv_read_optional(path, dir, &files[row], err);
		if (rc == 0 && !files[row]) {
			col->missing = xrealloc(col->missing, col->nmissing + 1, sizeof(*col->missing));
			col->missing[col->nmissing++] = row;
		} else if (rc == 0) {
			rc = check_rows(files[row], plan, row, err);
			col->finished++;
		}
		free(path);
	}
	if (rc == 0 && col->nmissing > 0)
		rc = 1;
	if (rc == 0)
		rc = merge(dir, files, n, err);
	for (size_t row = 0; row < n; row++)
		csv_free(files[row]);
	free(files);
	return rc;
}
