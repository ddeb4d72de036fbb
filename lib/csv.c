#include <config.h>

#include <string.h>

#include "csv.h"

void csv_write_field(FILE *fp, const char *text)
{
	if (!text[strcspn(text, ",\"\r\n")] && text[0] != ' ' &&
	    (!text[0] || text[strlen(text) - 1] != ' ')) {
		fputs(text, fp);
		return;
	}
	fputc('"', fp);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}
