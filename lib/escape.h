/* Text from a file, a CSV cell, a JSON string or a path, written into the
 * text of another language: one routine per language, so that no byte of
 * data is ever read as code there. Each writes to FP; the _new forms return
 * a string the caller frees. */
#ifndef MESILAB_ESCAPE_H
#define MESILAB_ESCAPE_H

#include <stdbool.h>
#include <stdio.h>

#include "escape_terminal.h"

/* A gnuplot string literal, quotes included: single quotes (inside them
 * gnuplot substitutes neither backquotes nor @macros), a quote doubled,
 * a line break or other control byte made a space (a command ends at a
 * line break; gnuplot has no way to write one inside single quotes). */
void escape_gnuplot_string(FILE *fp, const char *text);
/* A string field of a gnuplot data file, quotes included: gnuplot reads
 * it as data, never as code, but a double quote would end the field and a
 * line break the record, so both become other characters. */
void escape_gnuplot_datum(FILE *fp, const char *text);

/* One word for a POSIX shell: single quotes, a quote written '\''. Every
 * byte is kept, line breaks included. */
void escape_shell_word(FILE *fp, const char *text);
char *escape_shell_word_new(const char *text);

/* Plain text inside a Markdown block (a paragraph, a list item, a heading,
 * a table cell): every character that could start markup (emphasis, code,
 * links, raw HTML, entities, tables) is backslash-escaped, so does a
 * block marker at the start (#, -, +, =, >, "1."); line breaks and other
 * control bytes become spaces, so the text stays in its block. */
void escape_markdown(FILE *fp, const char *text);
/* A link target in Markdown: inside <...>, every byte but unreserved ones
 * percent-encoded. */
void escape_markdown_url(FILE *fp, const char *url);

/* Text or an attribute value in HTML: <, >, &, " and ' as entities,
 * control bytes but tab and line break dropped. */
void escape_html(FILE *fp, const char *text);

/* Text from a file, shown on a terminal: escape_terminal (in
 * escape_terminal.h), and as a new string, without line breaks. */
char *escape_terminal_new(const char *text);

#endif
