#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "csv.h"
#include "escape.h"
#include "table.h"
#include "xalloc.h"

struct cell {
	char *csv;
	char *human; /* NULL: same as csv */
};

struct table {
	const struct table_column *columns; /* a copy: the caller's array may go */
	size_t ncolumns;
	struct cell *cells; /* rows * ncolumns, row-major */
	size_t nrows, capacity;
};

struct table *table_new(const struct table_column *columns, size_t ncolumns)
{
	struct table *t = xcalloc(1, sizeof(*t));
	struct table_column *copy = xcalloc(ncolumns ? ncolumns : 1, sizeof(*copy));

	memcpy(copy, columns, ncolumns * sizeof(*copy));
	t->columns = copy;
	t->ncolumns = ncolumns;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncolumns; i++) {
		free(t->cells[i].csv);
		free(t->cells[i].human);
	}
	free(t->cells);
	free((void *)t->columns);
	free(t);
}

size_t table_rows(const struct table *t)
{
	return t->nrows;
}


void table_add_row(struct table *t)
{
	if (t->nrows == t->capacity) {
		size_t capacity = t->capacity ? 2 * t->capacity : 16;
		t->cells = xrealloc(t->cells, capacity * t->ncolumns, sizeof(*t->cells));
		t->capacity = capacity;
	}
	memset(&t->cells[t->nrows * t->ncolumns], 0, t->ncolumns * sizeof(*t->cells));
	t->nrows++;
}

static struct cell *cell_at(const struct table *t, size_t row, size_t column)
{
	return &t->cells[row * t->ncolumns + column];
}

void table_set(struct table *t, size_t column, const char *csv, const char *human)
{
	struct cell *c;

	if (!t->nrows || column >= t->ncolumns)
		abort(); /* a programming error, not bad input */
	c = cell_at(t, t->nrows - 1, column);
	free(c->csv);
	free(c->human);
	c->csv = xstrdup(csv);
	c->human = human ? xstrdup(human) : NULL;
}

/* Whole, however long: a cell cut at a buffer's end lost the end of a
 * model-error row's reason. */
void table_setf(struct table *t, size_t column, const char *fmt, ...)
{
	char small[256], *buf = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small)) {
		buf = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	table_set(t, column, n < 0 ? "" : buf, NULL);
	if (buf != small)
		free(buf);
}

const char *table_get(const struct table *t, size_t row, size_t column)
{
	const char *csv = cell_at(t, row, column)->csv;

	return csv ? csv : "";
}

static const char *human_text(const struct table *t, size_t row, size_t column)
{
	const struct cell *c = cell_at(t, row, column);

	return c->human ? c->human : c->csv ? c->csv : "";
}

static void print_padded(FILE *fp, const char *text, size_t width, enum table_align align,
			 int last)
{
	size_t pad = width - strlen(text);

	if (align == TABLE_RIGHT)
		fprintf(fp, "%*s", (int)pad, "");
	fputs(text, fp);
	if (align == TABLE_LEFT && !last)
		fprintf(fp, "%*s", (int)pad, "");
}

const char *table_get_human(const struct table *t, size_t row, size_t column)
{
	return human_text(t, row, column);
}

size_t table_columns(const struct table *t)
{
	return t->ncolumns;
}

const struct table_column *table_column(const struct table *t, size_t column)
{
	return &t->columns[column];
}

void table_print_human(const struct table *t, FILE *fp)
{
	/* The header's row and every cell as the terminal will show them: a
	 * cell may come from a file, and its control bytes must not reach the
	 * terminal (nor count in the widths). */
	size_t ntexts = (t->nrows + 1) * t->ncolumns;
	char **text = xcalloc(ntexts ? ntexts : 1, sizeof(*text));
	size_t *width = xcalloc(t->ncolumns ? t->ncolumns : 1, sizeof(*width));

	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t c = 0; c < t->ncolumns; c++) {
			char *shown = escape_terminal_new(r == 0 ? t->columns[c].title : human_text(t, r - 1, c));

			text[r * t->ncolumns + c] = shown;
			if (strlen(shown) > width[c])
				width[c] = strlen(shown);
		}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncolumns; c++) {
			if (c)
				fputs("  ", fp);
			print_padded(fp, text[r * t->ncolumns + c], width[c], t->columns[c].align, c + 1 == t->ncolumns);
		}
		fputc('\n', fp);
	}
	for (size_t i = 0; i < ntexts; i++)
		free(text[i]);
	free(text);
	free(width);
}

void table_print_markdown(const struct table *t, FILE *fp)
{
	for (size_t r = 0; r <= t->nrows + 1; r++) {
		fputc('|', fp);
		for (size_t c = 0; c < t->ncolumns; c++) {
			fputc(' ', fp);
			if (r == 0)
				escape_markdown(fp, t->columns[c].title);
			else if (r == 1)
				fputs(t->columns[c].align == TABLE_RIGHT ? "---:" : "---", fp);
			else
				escape_markdown(fp, human_text(t, r - 2, c));
			fputs(" |", fp);
		}
		fputc('\n', fp);
	}
}

void table_print_csv(const struct table *t, FILE *fp)
{
	for (size_t c = 0; c < t->ncolumns; c++) {
		if (c)
			fputc(',', fp);
		csv_write_field(fp, t->columns[c].csv_name);
	}
	fputc('\n', fp);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncolumns; c++) {
			if (c)
				fputc(',', fp);
			csv_write_field(fp, table_get(t, r, c));
		}
		fputc('\n', fp);
	}
}

int table_save_csv(const struct table *t, const char *path, struct ml_error *err)
{
	struct atomic_file *f = atomic_file_open(path, err);

	if (!f)
		return -1;
	table_print_csv(t, atomic_file_stream(f));
	return atomic_file_commit(f, err);
}
