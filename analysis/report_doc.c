#include <config.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "escape.h"
#include "input_file.h"
#include "interrupt.h"
#include "report_doc.h"
#include "xalloc.h"

/* The most a figure embedded in the HTML page may have. The figures of a
 * run are tens to hundreds of KiB (lstopo's drawing of a large machine a
 * few MiB); past 16 MiB, a third more once in base64, the page is no
 * longer one a browser opens at once or a mail carries, and the file is
 * no figure of ours. */
#define FIGURE_MAX_BYTES ((uint64_t)16 << 20)

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

/* How each block of text is written: Markdown's prefix, HTML's tags (a
 * list's <ul> around its items aside). The texts are plain text, never
 * markup: each is escaped for the language it is written in. */
static const struct {
	const char *markdown, *html_open, *html_close;
} text_blocks[] = {
	[BLOCK_HEADING] = { "## ", "<h2>", "</h2>\n" },
	[BLOCK_PARAGRAPH] = { "", "<p>", "</p>\n" },
	[BLOCK_ITEM] = { "- ", "<li>", "</li>\n" },
};

/* -1 when a signal asked to stop. */
static int render_markdown(const struct doc *d, FILE *fp)
{
	fputs("# ", fp);
	escape_markdown(fp, d->title);
	fputc('\n', fp);
	for (size_t i = 0; i < d->count; i++) {
		const struct block *b = &d->blocks[i];
		bool list_goes_on = i > 0 && d->blocks[i - 1].kind == BLOCK_ITEM && b->kind == BLOCK_ITEM;

		if (interrupt_requested())
			return -1;
		if (!list_goes_on)
			fputc('\n', fp);
		if (b->kind == BLOCK_TABLE) {
			table_print_markdown(b->table, fp);
		} else if (b->kind == BLOCK_FIGURE) {
			fputs("![", fp);
			escape_markdown(fp, b->text);
			fputs("](", fp);
			escape_markdown_url(fp, b->file);
			fputs(")\n\n*", fp);
			escape_markdown(fp, b->text);
			fputs("*\n", fp);
		} else {
			fputs(text_blocks[b->kind].markdown, fp);
			escape_markdown(fp, b->text);
			fputc('\n', fp);
		}
	}
	return 0;
}

/* LEN bytes of DATA in base64; -1 when a signal asked to stop. */
static int put_base64(FILE *fp, const unsigned char *data, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t at = 0; at < len; at += 3) {
		size_t n = len - at < 3 ? len - at : 3;
		unsigned v = (unsigned)data[at] << 16 | (n > 1 ? (unsigned)data[at + 1] << 8 : 0) |
			     (n > 2 ? data[at + 2] : 0);

		if (at % (3 << 16) == 0 && interrupt_requested())
			return -1;
		fputc(digits[v >> 18 & 63], fp);
		fputc(digits[v >> 12 & 63], fp);
		fputc(n > 1 ? digits[v >> 6 & 63] : '=', fp);
		fputc(n > 2 ? digits[v & 63] : '=', fp);
	}
	return 0;
}

/* A figure, embedded as a data: URI only when it is a regular file inside
 * DIR of at most FIGURE_MAX_BYTES (input_open): a symbolic link to a key
 * or to /dev/zero, a FIFO, a figures directory that leads out of DIR are
 * no figures. Any other is linked by its name, with its caption and a
 * note. -1 when a signal asked to stop. */
static int html_figure(FILE *fp, const char *dir, const struct block *b)
{
	char *path = xasprintf("%s/%s", dir, b->file);
	struct ml_error err;
	size_t len = 0;
	unsigned char *data = (unsigned char *)input_read_all(path, dir, FIGURE_MAX_BYTES, &len, &err);
	int rc = 0;

	free(path);
	if (!data && interrupt_requested())
		return -1;
	fputs("<figure>\n", fp);
	if (data) {
		fputs("<img alt=\"", fp);
		escape_html(fp, b->text);
		fprintf(fp, "\" src=\"data:image/%s;base64,", strstr(b->file, ".svg") ? "svg+xml" : "png");
		rc = put_base64(fp, data, len);
		fputs("\">\n", fp);
	} else {
		fputs("<p><a href=\"", fp);
		escape_html(fp, b->file);
		fputs("\">", fp);
		escape_html(fp, b->file);
		fprintf(fp, "</a> (not embedded: the page embeds a regular file of its own directory, of at most %u MiB)</p>\n",
			(unsigned)(FIGURE_MAX_BYTES >> 20));
	}
	fputs("<figcaption>", fp);
	escape_html(fp, b->text);
	fputs("</figcaption>\n</figure>\n", fp);
	free(data);
	return rc;
}

static void html_table(FILE *fp, const struct table *t)
{
	fputs("<table>\n<tr>", fp);
	for (size_t c = 0; c < table_columns(t); c++) {
		fputs("<th>", fp);
		escape_html(fp, table_column(t, c)->title);
		fputs("</th>", fp);
	}
	fputs("</tr>\n", fp);
	for (size_t r = 0; r < table_rows(t); r++) {
		fputs("<tr>", fp);
		for (size_t c = 0; c < table_columns(t); c++) {
			fputs(table_column(t, c)->align == TABLE_RIGHT ? "<td class=\"num\">" : "<td>", fp);
			escape_html(fp, table_get_human(t, r, c));
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

/* -1 when a signal asked to stop. */
static int render_html(const struct doc *d, const char *dir, FILE *fp)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
	escape_html(fp, d->title);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
	escape_html(fp, d->title);
	fputs("</h1>\n", fp);
	for (size_t i = 0; i < d->count; i++) {
		const struct block *b = &d->blocks[i];
		bool first_item = b->kind == BLOCK_ITEM && (i == 0 || d->blocks[i - 1].kind != BLOCK_ITEM);
		bool last_item = b->kind == BLOCK_ITEM && (i + 1 == d->count || d->blocks[i + 1].kind != BLOCK_ITEM);

		if (interrupt_requested())
			return -1;
		if (b->kind == BLOCK_TABLE) {
			html_table(fp, b->table);
		} else if (b->kind == BLOCK_FIGURE) {
			if (html_figure(fp, dir, b) < 0)
				return -1;
		} else {
			fputs(first_item ? "<ul>\n" : "", fp);
			fputs(text_blocks[b->kind].html_open, fp);
			escape_html(fp, b->text);
			fputs(text_blocks[b->kind].html_close, fp);
			fputs(last_item ? "</ul>\n" : "", fp);
		}
	}
	fputs("</body>\n</html>\n", fp);
	return 0;
}

int doc_write(const struct doc *d, const char *dir, const char *md_path, const char *html_path, struct ml_error *err)
{
	struct atomic_file *md, *html;

	if (atomic_file_unlink_special(md_path, err) < 0 || atomic_file_unlink_special(html_path, err) < 0 ||
	    !(md = atomic_file_open(md_path, err)))
		return -1;
	if (!(html = atomic_file_open(html_path, err))) {
		atomic_file_abort(md);
		return -1;
	}
	/* A signal stops the rendering (a figure being encoded included):
	 * neither file is then written, as neither would be whole. */
	if (render_markdown(d, atomic_file_stream(md)) < 0 || render_html(d, dir, atomic_file_stream(html)) < 0) {
		atomic_file_abort(md);
		atomic_file_abort(html);
		interrupt_check(err);
		return -1;
	}
	if (atomic_file_commit(md, err) < 0) {
		atomic_file_abort(html);
		return -1;
	}
	return atomic_file_commit(html, err);
}
