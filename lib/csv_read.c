#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "input_file.h"
#include "path.h"
#include "xalloc.h"

struct csv_file {
	char *path;
	size_t columns, rows;
	size_t *lines; /* the line each row starts on, for messages */
	char **cells; /* (rows + 1) * columns, the header first */
};

/* A growable list of strings. */
struct fields {
	char **items;
	size_t count, capacity;
};

static void fields_add(struct fields *f, char *item)
{
	if (f->count == f->capacity) {
		f->capacity = f->capacity ? 2 * f->capacity : 64;
		f->items = xrealloc(f->items, f->capacity, sizeof(*f->items));
	}
	f->items[f->count++] = item;
}

/* The largest results table a run writes is a few megabytes (every
 * repetition of a long latency sweep); a file this large is not one. */
#define CSV_MAX_BYTES (256u << 20)

/* Parses one record starting at *P into FIELDS; advances *P past its line
 * break and *LINE by the lines it spans. */
static int parse_record(const char **p, const char *end, size_t *line, struct fields *out,
			const char *path, struct ml_error *err)
{
	const char *s = *p;

	for (;;) {
		size_t cap = 32, n = 0;
		char *field = xmalloc(cap);

		if (s < end && *s == '"') {
			size_t start_line = *line;

			for (s++;; s++) {
				if (s >= end) {
					free(field);
					ml_error_set(err, "%s:%zu: a quoted field is not closed", path, start_line);
					return -1;
				}
				if (*s == '"') {
					if (s + 1 < end && s[1] == '"')
						s++;
					else
						break;
				} else if (*s == '\n') {
					(*line)++;
				}
				if (n + 1 >= cap)
					field = xrealloc(field, cap *= 2, 1);
				field[n++] = *s;
			}
			s++;
		} else {
			while (s < end && *s != ',' && *s != '\n' && *s != '\r') {
				if (n + 1 >= cap)
					field = xrealloc(field, cap *= 2, 1);
				field[n++] = *s++;
			}
		}
		field[n] = '\0';
		fields_add(out, field);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == '\r')
			s++;
		if (s < end && *s != '\n') {
			ml_error_set(err, "%s:%zu: text after a quoted field", path, *line);
			return -1;
		}
		if (s < end)
			s++;
		(*line)++;
		*p = s;
		return 0;
	}
}

static void free_fields(struct fields *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->items[i]);
	free(f->items);
}

struct csv_file *csv_read(const char *path, const char *within, struct ml_error *err)
{
	size_t len, line = 1, header = 0;
	char *text = input_read_all(path, within, CSV_MAX_BYTES, &len, err);
	const char *p = text, *end;
	struct fields cells = { 0 };
	struct csv_file *f;
	size_t *lines = NULL, nlines = 0, lines_cap = 0;

	if (!text)
		return NULL;
	end = text + len;
	if (len == 0) {
		ml_error_set(err, "%s:1: empty, no header line", path);
		free(text);
		return NULL;
	}
	/* A NUL would end a cell early without a word (a block of zeros a
	 * crash left in the file): not a CSV. */
	const char *nul = memchr(text, '\0', len);

	if (nul) {
		size_t at_line = 1;

		for (const char *q = text; q < nul; q++)
			at_line += *q == '\n';
		ml_error_set(err, "%s:%zu: a NUL byte at byte offset %zu: not a text file", path, at_line,
			     (size_t)(nul - text));
		free(text);
		return NULL;
	}
	while (p < end) {
		size_t before = cells.count, record_line = line;

		if (parse_record(&p, end, &line, &cells, path, err) < 0)
			goto fail;
		if (header == 0) {
			header = cells.count;
			continue;
		}
		if (nlines == lines_cap)
			lines = xrealloc(lines, lines_cap = lines_cap ? 2 * lines_cap : 64, sizeof(*lines));
		lines[nlines++] = record_line;
		if (cells.count - before != header) {
			/* A blank last line is not a record. */
			if (cells.count - before == 1 && !cells.items[before][0] && p >= end) {
				free(cells.items[--cells.count]);
				break;
			}
			ml_error_set(err, "%s:%zu: %zu fields where the header has %zu", path, record_line,
				     cells.count - before, header);
			goto fail;
		}
	}
	free(text);
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->columns = header;
	f->rows = cells.count / header - 1;
	f->cells = cells.items;
	f->lines = lines;
	return f;
fail:
	free(text);
	free(lines);
	free_fields(&cells);
	return NULL;
}

int csv_read_optional(const char *path, const char *within, struct csv_file **f, struct ml_error *err)
{
	*f = path_exists(path) ? csv_read(path, within, err) : NULL;
	return *f || !path_exists(path) ? 0 : -1;
}

void csv_free(struct csv_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < (f->rows + 1) * f->columns; i++)
		free(f->cells[i]);
	free(f->cells);
	free(f->lines);
	free(f->path);
	free(f);
}

const char *csv_path(const struct csv_file *f)
{
	return f->path;
}

size_t csv_rows(const struct csv_file *f)
{
	return f->rows;
}

size_t csv_columns(const struct csv_file *f)
{
	return f->columns;
}

const char *csv_header(const struct csv_file *f, size_t column)
{
	return f->cells[column];
}

int csv_column(const struct csv_file *f, const char *name)
{
	for (size_t i = 0; i < f->columns; i++)
		if (strcmp(f->cells[i], name) == 0)
			return (int)i;
	return -1;
}

const char *csv_cell(const struct csv_file *f, size_t row, size_t column)
{
	return f->cells[(row + 1) * f->columns + column];
}

double csv_number(const struct csv_file *f, size_t row, size_t column)
{
	const char *text = csv_cell(f, row, column);
	char *endp;
	double v;

	if (!*text)
		return NAN;
	v = strtod(text, &endp);
	return *endp ? NAN : v;
}

const char *csv_cell_named(const struct csv_file *f, size_t row, const char *name)
{
	int c = csv_column(f, name);

	return c < 0 ? "" : csv_cell(f, row, (size_t)c);
}

double csv_number_named(const struct csv_file *f, size_t row, const char *name)
{
	int c = csv_column(f, name);

	return c < 0 ? NAN : csv_number(f, row, (size_t)c);
}

size_t csv_line(const struct csv_file *f, size_t row)
{
	return f->lines[row];
}

int csv_require_numbers(const struct csv_file *f, size_t column, struct ml_error *err)
{
	for (size_t r = 0; r < f->rows; r++) {
		const char *text = csv_cell(f, r, column);

		if (*text && isnan(csv_number(f, r, column)) && strcmp(text, "nan") != 0) {
			ml_error_set(err, "%s:%zu: %s '%.40s%s' is not a number", f->path, f->lines[r],
				     csv_header(f, column), text, strlen(text) > 40 ? "..." : "");
			return -1;
		}
	}
	return 0;
}
