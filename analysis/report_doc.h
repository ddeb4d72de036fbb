/* A report as a list of blocks (headings, paragraphs, lists, tables,
 * figures), written once and rendered both as Markdown and as a
 * self-contained HTML page (figures embedded, no network needed). Every
 * text is plain text, never markup: it holds host names, command lines
 * and cells from a run directory, and each page escapes it. */
#ifndef MESILAB_REPORT_DOC_H
#define MESILAB_REPORT_DOC_H

#include "compiler.h"
#include "error.h"
#include "table.h"

struct doc;

struct doc *doc_new(const char *title);
void doc_free(struct doc *d);

void doc_heading(struct doc *d, const char *fmt, ...) ML_PRINTF(2, 3);
void doc_paragraph(struct doc *d, const char *fmt, ...) ML_PRINTF(2, 3);
/* A bullet; consecutive bullets form one list. */
void doc_item(struct doc *d, const char *fmt, ...) ML_PRINTF(2, 3);
/* The document takes T over. */
void doc_table(struct doc *d, struct table *t);
/* FILE relative to the report's directory (figures/latency.png). */
void doc_figure(struct doc *d, const char *file, const char *caption);

/* Writes the Markdown page MD_PATH and the HTML page HTML_PATH, each
 * atomically and a regular file, replacing a link, FIFO or device by its
 * name (atomic_file_unlink_special: DIR is not the writer's own); neither
 * when a signal asks to stop while they are made. The
 * texts are plain text, escaped for each language (no markup of theirs is
 * ever read as such). The HTML page embeds each figure that is a regular
 * file inside the directory DIR, of a figure's size (as a data: URI); any
 * other (missing, a link out of DIR, a FIFO, too large) is linked by its
 * name with its caption and a note. */
int doc_write(const struct doc *d, const char *dir, const char *md_path, const char *html_path, struct ml_error *err);

#endif
