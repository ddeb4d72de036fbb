/* A report as a list of blocks (headings, paragraphs, lists, tables,
 * figures), written once and rendered both as Markdown and as a
 * self-contained HTML page (figures embedded, no network needed). */
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

/* Both write atomically. The HTML page embeds each figure the directory
 * DIR holds (as a data: URI); a missing one becomes its caption alone. */
int doc_write_markdown(const struct doc *d, const char *path, struct ml_error *err);
int doc_write_html(const struct doc *d, const char *dir, const char *path, struct ml_error *err);

#endif
