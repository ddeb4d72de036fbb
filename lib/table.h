/* A table of results: every command builds one, then prints it aligned for
 * a person, as CSV for a program, or saves it atomically as a CSV file.
 * Each cell has a machine form (CSV: plain numbers, units in the column
 * name) and an optional human form ("48 KiB"). */
#ifndef MESILAB_TABLE_H
#define MESILAB_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "compiler.h"
#include "error.h"

enum table_align { TABLE_LEFT, TABLE_RIGHT };

struct table_column {
	const char *csv_name; /* snake_case with the unit, e.g. "size_bytes" */
	const char *title;    /* header of the human table, e.g. "size" */
	enum table_align align;
};

struct table;

/* The table copies COLUMNS (the names and titles it points to must stay). */
struct table *table_new(const struct table_column *columns, size_t ncolumns);
void table_free(struct table *t);

size_t table_rows(const struct table *t);
/* Starts a new row; cells left unset are empty. */
void table_add_row(struct table *t);
/* Sets a cell of the last row. HUMAN may be NULL to show CSV as is. */
void table_set(struct table *t, size_t column, const char *csv, const char *human);
void table_setf(struct table *t, size_t column, const char *fmt, ...) ML_PRINTF(3, 4);
const char *table_get(const struct table *t, size_t row, size_t column);
/* The human form of a cell (its CSV form when it has none). */
const char *table_get_human(const struct table *t, size_t row, size_t column);
size_t table_columns(const struct table *t);
const struct table_column *table_column(const struct table *t, size_t column);

/* Aligned for a terminal; control bytes of a cell (it may come from a
 * file) shown as '?' (escape_terminal). */
void table_print_human(const struct table *t, FILE *fp);
void table_print_csv(const struct table *t, FILE *fp);
/* A GitHub-flavoured Markdown table of the human forms, each cell plain
 * text (escape_markdown): a cell cannot end its row or carry markup. */
void table_print_markdown(const struct table *t, FILE *fp);
int table_save_csv(const struct table *t, const char *path, struct ml_error *err);

#endif
