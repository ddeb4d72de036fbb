/* Reading the CSV files mesilab writes (RFC 4180: a header line, fields
 * quoted when they hold a comma, a quote or a line break) into memory. */
#ifndef MESILAB_CSV_READ_H
#define MESILAB_CSV_READ_H

#include <stddef.h>

#include "error.h"

struct csv_file;

/* Reads PATH; NULL with ERR ("PATH:LINE: what") when it cannot be read or
 * is malformed (an unterminated quote, a row with another number of
 * fields than the header). PATH must be a regular file (input_file.h);
 * WITHIN not NULL: the directory it was found in, which it must not lead
 * out of (a run directory's file). */
struct csv_file *csv_read(const char *path, const char *within, struct ml_error *err);
/* The same for a file that may not be there: 0 with *F NULL when PATH does
 * not exist, 0 with *F read, or -1 with ERR when it is there but cannot be
 * read or is malformed. */
int csv_read_optional(const char *path, const char *within, struct csv_file **f, struct ml_error *err);
void csv_free(struct csv_file *f);

const char *csv_path(const struct csv_file *f);
size_t csv_rows(const struct csv_file *f);   /* not counting the header */
size_t csv_columns(const struct csv_file *f);
const char *csv_header(const struct csv_file *f, size_t column);
/* The column named NAME, or -1. */
int csv_column(const struct csv_file *f, const char *name);
const char *csv_cell(const struct csv_file *f, size_t row, size_t column);
/* The cell as a number; NAN when it is not one. */
double csv_number(const struct csv_file *f, size_t row, size_t column);
/* The cell of ROW in the column named NAME: "" (as a number, NAN) when
 * the file has no such column. */
const char *csv_cell_named(const struct csv_file *f, size_t row, const char *name);
double csv_number_named(const struct csv_file *f, size_t row, const char *name);
/* The line of the file ROW starts on (the header is line 1). */
size_t csv_line(const struct csv_file *f, size_t row);
/* Whether every cell of COLUMN is a number or empty; -1 with ERR naming
 * the file, the line and the cell of the first that is not. */
int csv_require_numbers(const struct csv_file *f, size_t column, struct ml_error *err);

#endif
