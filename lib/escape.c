#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "escape.h"
#include "xalloc.h"

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void escape_gnuplot_string(FILE *fp, const char *text)
{
	fputc('\'', fp);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\'')
			fputs("''", fp);
		else
			fputc(is_control(*p) ? ' ' : *p, fp);
	}
	fputc('\'', fp);
}

void escape_gnuplot_datum(FILE *fp, const char *text)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		fputc(*p == '"' ? '\'' : is_control(*p) ? ' ' : *p, fp);
	fputc('"', fp);
}

void escape_shell_word(FILE *fp, const char *text)
{
	fputc('\'', fp);
	for (; *text; text++) {
		if (*text == '\'')
			fputs("'\\''", fp);
		else
			fputc(*text, fp);
	}
	fputc('\'', fp);
}

/* Runs WRITE into a new string. */
static char *to_string(void (*write)(FILE *, const char *), const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	write(mem, text);
	if (fclose(mem) != 0)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	return buf;
}

char *escape_shell_word_new(const char *text)
{
	return to_string(escape_shell_word, text);
}

/* Whether TEXT starts a Markdown block of its own: a heading, a list item
 * ("-", "+", "*", "1." or "1)"), a quote, a setext underline. Returns how
 * many bytes precede the character to escape, or -1. */
static long block_marker(const char *text)
{
	size_t digits = strspn(text, "0123456789");

	if (digits > 0 && digits <= 9 && (text[digits] == '.' || text[digits] == ')'))
		return (long)digits;
	return strchr("#-+=>", text[0]) && text[0] ? 0 : -1;
}

void escape_markdown(FILE *fp, const char *text)
{
	long marker = block_marker(text);

	/* Leading blanks would make an indented code block. */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		size_t at = (size_t)(p - (const unsigned char *)text);

		if (is_control(*p))
			fputc(' ', fp);
		else if ((marker >= 0 && at == (size_t)marker) || strchr("\\`*_{}[]<>&|~$!", *p))
			fprintf(fp, "\\%c", *p);
		else if (*p == ' ' && at == 0)
			fputs("&#32;", fp);
		else
			fputc(*p, fp);
	}
}

void escape_markdown_url(FILE *fp, const char *url)
{
	fputc('<', fp);
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			fputc(*p, fp);
		else
			fprintf(fp, "%%%02X", *p);
	}
	fputc('>', fp);
}

void escape_html(FILE *fp, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			if (!is_control(*p) || *p == '\t' || *p == '\n')
				fputc(*p, fp);
		}
	}
}

static void escape_terminal_line(FILE *fp, const char *text)
{
	escape_terminal(fp, text, false);
}

char *escape_terminal_new(const char *text)
{
	return to_string(escape_terminal_line, text);
}
