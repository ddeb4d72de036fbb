#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"
#include "xalloc.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* What a backslash inside double quotes escapes; before anything else it
 * is itself (POSIX, 2.2.3). */
static bool escapable_in_double_quotes(char c)
{
	return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n';
}

/* Gives up the split, ERR said. */
static char **refuse(char **words, char *word)
{
	free(word);
	words_free(words);
	return NULL;
}

char **words_split(const char *text, size_t *count, struct ml_error *err)
{
	/* No word is longer than TEXT; a word and the blank after it take two
	 * bytes at least, the NULL at the end one more slot. */
	size_t len = strlen(text), n = 0;
	char **words = xcalloc(len / 2 + 2, sizeof(*words));
	const char *p = text;

	for (;;) {
		char *word, *w;
		bool quoted = false; /* '' is a word, empty */

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		word = w = xmalloc(len + 1);
		while (*p && !is_blank(*p)) {
			const char *open = p;

			if (*p == '\\') {
				if (!p[1]) {
					ml_error_set(err, "a backslash at the end (byte %zu) escapes nothing", len);
					return refuse(words, word);
				}
				if (p[1] != '\n') /* a backslash and a line break join two lines */
					*w++ = p[1];
				p += 2;
				continue;
			}
			if (*p != '\'' && *p != '"') {
				*w++ = *p++;
				continue;
			}
			for (p++; *p && *p != *open; p++) {
				/* inside double quotes, a backslash escapes only these */
				if (*open == '"' && *p == '\\' && escapable_in_double_quotes(p[1]) && *++p == '\n')
					continue;
				*w++ = *p;
			}
			if (!*p) {
				ml_error_set(err, "the quote %c at byte %zu is not closed", *open, (size_t)(open - text) + 1);
				return refuse(words, word);
			}
			p++;
			quoted = true;
		}
		*w = '\0';
		if (w == word && !quoted) { /* nothing but joined lines */
			free(word);
			continue;
		}
		words[n++] = word;
	}
	*count = n;
	return words;
}

void words_free(char **words)
{
	if (!words)
		return;
	for (char **w = words; *w; w++)
		free(*w);
	free(words);
}
