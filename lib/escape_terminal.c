#include <config.h>

#include "escape_terminal.h"

/* The length of the valid UTF-8 sequence at P (1 to 4), its code point
 * in *CP; 0 when P does not start one. */
static size_t utf8_sequence(const unsigned char *p, unsigned long *cp)
{
	size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

	*cp = len == 1 ? *p : len == 2 ? *p & 0x1fu : len == 3 ? *p & 0x0fu : *p & 0x07u;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3fu);
	}
	return len;
}

void escape_terminal(FILE *fp, const char *text, bool keep_lines)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		unsigned long cp;
		size_t len = utf8_sequence(p, &cp);

		if (keep_lines && (*p == '\n' || *p == '\t')) {
			fputc(*p++, fp);
		} else if (len == 0) {
			/* Not UTF-8: a terminal in another encoding may read a
			 * byte of 0x80 to 0x9f as a control. */
			fputc('?', fp);
			p++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			fputc('?', fp);
			p += len;
		} else {
			fwrite(p, 1, len, fp);
			p += len;
		}
	}
}
