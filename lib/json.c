#include <config.h>

#include <inttypes.h>
#include <math.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *fp)
{
	w->fp = fp;
	w->depth = 0;
	w->has_items[0] = false;
}

void json_write_escaped(FILE *fp, const char *text)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

/* Separator, newline, indentation and "key": before every value. */
static void begin_value(struct json_writer *w, const char *key)
{
	if (w->depth > 0) {
		fputs(w->has_items[w->depth] ? ",\n" : "\n", w->fp);
		w->has_items[w->depth] = true;
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->fp);
	}
	if (key) {
		json_write_escaped(w->fp, key);
		fputs(": ", w->fp);
	}
}

static void open_container(struct json_writer *w, const char *key, char bracket)
{
	begin_value(w, key);
	fputc(bracket, w->fp);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
}

static void close_container(struct json_writer *w, char bracket)
{
	bool had_items = w->has_items[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had_items) {
		fputc('\n', w->fp);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->fp);
	}
	fputc(bracket, w->fp);
}

void json_object_begin(struct json_writer *w, const char *key)
{
	open_container(w, key, '{');
}

void json_object_end(struct json_writer *w)
{
	close_container(w, '}');
}

void json_array_begin(struct json_writer *w, const char *key)
{
	open_container(w, key, '[');
}

void json_array_end(struct json_writer *w)
{
	close_container(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	begin_value(w, key);
	if (value)
		json_write_escaped(w->fp, value);
	else
		fputs("null", w->fp);
}

void json_int(struct json_writer *w, const char *key, int64_t value)
{
	begin_value(w, key);
	fprintf(w->fp, "%" PRId64, value);
}

void json_double(struct json_writer *w, const char *key, double value)
{
	begin_value(w, key);
	if (isfinite(value))
		fprintf(w->fp, "%.12g", value);
	else
		fputs("null", w->fp);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	begin_value(w, key);
	fputs(value ? "true" : "false", w->fp);
}

void json_null(struct json_writer *w, const char *key)
{
	begin_value(w, key);
	fputs("null", w->fp);
}

void json_finish(struct json_writer *w)
{
	fputc('\n', w->fp);
}
