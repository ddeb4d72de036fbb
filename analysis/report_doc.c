#include <config.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "report_doc.h"
#include "xalloc.h"

enum block_kind { BLOCK_HEADING, BLOCK_PARAGRAPH, BLOCK_ITEM, BLOCK_TABLE, BLOCK_FIGURE };

struct block {
	enum block_kind kind;
	char *text;       /* heading, paragraph, item; a figure's caption */
	char *file;       /* a figure */
	struct table *table;
};

struct doc {
	char *title;
	struct block *blocks;
	size_t count;
};

struct doc *doc_new(const char *title)
{
	struct doc *d = xcalloc(1, sizeof(*d));

	d->title = xstrdup(title);
	return d;
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].file);
		if (d->blocks[i].table)
			table_free(d->blocks[i].table);
	}
	free(d->blocks);
	free(d->title);
	free(d);
}

static struct block *add(struct doc *d, enum block_kind kind)
{
	d->blocks = xrealloc(d->blocks, d->count + 1, sizeof(*d->blocks));
	d->blocks[d->count] = (struct block){ .kind = kind };
	return &d->blocks[d->count++];
}

#define ADD_TEXT(d, kind, fmt)                   \
	do {                                     \
		va_list ap;                      \
		va_start(ap, fmt);               \
		add(d, kind)->text = xvasprintf(fmt, ap); \
		va_end(ap);                      \
	} while (0)

void doc_heading(struct doc *d, const char *fmt, ...)
{
	ADD_TEXT(d, BLOCK_HEADING, fmt);
}

void doc_paragraph(struct doc *d, const char *fmt, ...)
{
	ADD_TEXT(d, BLOCK_PARAGRAPH, fmt);
}

void doc_item(struct doc *d, const char *fmt, ...)
{
	ADD_TEXT(d, BLOCK_ITEM, fmt);
}

void doc_table(struct doc *d, struct table *t)
{
	add(d, BLOCK_TABLE)->table = t;
}

void doc_figure(struct doc *d, const char *file, const char *caption)
{
	struct block *b = add(d, BLOCK_FIGURE);

	b->file = xstrdup(file);
	b->text = xstrdup(caption);
}

static void render_markdown(const struct doc *d, FILE *fp)
{
	fprintf(fp, "# %s\n", d->title);
	for (size_t i = 0; i < d->count; i++) {
		const struct block *b = &d->blocks[i];
		bool list_goes_on = i > 0 && d->blocks[i - 1].kind == BLOCK_ITEM && b->kind == BLOCK_ITEM;

		if (!list_goes_on)
			fputc('\n', fp);
		switch (b->kind) {
		case BLOCK_HEADING:
			fprintf(fp, "## %s\n", b->text);
			break;
		case BLOCK_PARAGRAPH:
			fprintf(fp, "%s\n", b->text);
			break;
		case BLOCK_ITEM:
			fprintf(fp, "- %s\n", b->text);
			break;
		case BLOCK_TABLE:
			table_print_markdown(b->table, fp);
			break;
		case BLOCK_FIGURE:
			fprintf(fp, "![%s](%s)\n\n*%s*\n", b->text, b->file, b->text);
			break;
		}
	}
}

static void html_escaped(FILE *fp, const char *text)
{
	for (; *text; text++) {
		switch (*text) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*text, fp);
		}
	}
}

/* FILE as base64, for a data: URI; false when it cannot be read. */
static bool put_base64(FILE *fp, const char *path)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *in = fopen(path, "rb");
	unsigned char chunk[3];
	size_t n;

	if (!in)
		return false;
	while ((n = fread(chunk, 1, 3, in)) > 0) {
		unsigned v = (unsigned)chunk[0] << 16 | (n > 1 ? (unsigned)chunk[1] << 8 : 0) |
			     (n > 2 ? chunk[2] : 0);

		fputc(digits[v >> 18 & 63], fp);
		fputc(digits[v >> 12 & 63], fp);
		fputc(n > 1 ? digits[v >> 6 & 63] : '=', fp);
		fputc(n > 2 ? digits[v & 63] : '=', fp);
	}
	fclose(in);
	return true;
}

static void html_table(FILE *fp, const struct table *t)
{
	fputs("<table>\n<tr>", fp);
	for (size_t c = 0; c < table_columns(t); c++) {
		fputs("<th>", fp);
		html_escaped(fp, table_column(t, c)->title);
		fputs("</th>", fp);
	}
	fputs("</tr>\n", fp);
	for (size_t r = 0; r < table_rows(t); r++) {
		fputs("<tr>", fp);
		for (size_t c = 0; c < table_columns(t); c++) {
			fputs(table_column(t, c)->align == TABLE_RIGHT ? "<td class=\"num\">" : "<td>", fp);
			html_escaped(fp, table_get_human(t, r, c));
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static const char style[] =
	"body{font-family:sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}td.num{text-align:right}"
	"th{background:#f2f2f2}figure{margin:1.5em 0}img{max-width:100%;border:1px solid #eee}"
	"figcaption{font-size:.9em;color:#555}";

static void render_html(const struct doc *d, const char *dir, FILE *fp)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
	html_escaped(fp, d->title);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
	html_escaped(fp, d->title);
	fputs("</h1>\n", fp);
	for (size_t i = 0; i < d->count; i++) {
		const struct block *b = &d->blocks[i];
		bool first_item = b->kind == BLOCK_ITEM && (i == 0 || d->blocks[i - 1].kind != BLOCK_ITEM);
		bool last_item = b->kind == BLOCK_ITEM && (i + 1 == d->count || d->blocks[i + 1].kind != BLOCK_ITEM);
		char *path;

		switch (b->kind) {
		case BLOCK_HEADING:
			fputs("<h2>", fp);
			html_escaped(fp, b->text);
			fputs("</h2>\n", fp);
			break;
		case BLOCK_PARAGRAPH:
			fputs("<p>", fp);
			html_escaped(fp, b->text);
			fputs("</p>\n", fp);
			break;
		case BLOCK_ITEM:
			fputs(first_item ? "<ul>\n<li>" : "<li>", fp);
			html_escaped(fp, b->text);
			fputs(last_item ? "</li>\n</ul>\n" : "</li>\n", fp);
			break;
		case BLOCK_TABLE:
			html_table(fp, b->table);
			break;
		case BLOCK_FIGURE:
			path = xasprintf("%s/%s", dir, b->file);
			fputs("<figure>\n", fp);
			fprintf(fp, "<img alt=\"");
			html_escaped(fp, b->text);
			fprintf(fp, "\" src=\"data:image/%s;base64,", strstr(b->file, ".svg") ? "svg+xml" : "png");
			put_base64(fp, path);
			fputs("\">\n<figcaption>", fp);
			html_escaped(fp, b->text);
			fputs("</figcaption>\n</figure>\n", fp);
			free(path);
			break;
		}
	}
	fputs("</body>\n</html>\n", fp);
}

static int write_with(const char *path, void (*render)(const struct doc *, const char *, FILE *),
		      const struct doc *d, const char *dir, struct ml_error *err)
{
	struct atomic_file *f = atomic_file_open(path, err);

	if (!f)
		return -1;
	render(d, dir, atomic_file_stream(f));
	return atomic_file_commit(f, err);
}

static void markdown_renderer(const struct doc *d, const char *dir, FILE *fp)
{
	(void)dir;
	render_markdown(d, fp);
}

int doc_write_markdown(const struct doc *d, const char *path, struct ml_error *err)
{
	return write_with(path, markdown_renderer, d, NULL, err);
}

int doc_write_html(const struct doc *d, const char *dir, const char *path, struct ml_error *err)
{
	return write_with(path, render_html, d, dir, err);
}
