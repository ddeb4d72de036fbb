/* A small streaming JSON writer: pretty-printed, commas handled for you. */
#ifndef MESILAB_JSON_H
#define MESILAB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *fp;
	int depth;
	bool has_items[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *fp);
/* KEY is the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(struct json_writer *w, const char *key);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w, const char *key);
void json_array_end(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value);
void json_int(struct json_writer *w, const char *key, int64_t value);
/* Non-finite numbers are written as null, since JSON has no NaN. */
void json_double(struct json_writer *w, const char *key, double value);
void json_bool(struct json_writer *w, const char *key, bool value);
void json_null(struct json_writer *w, const char *key);
/* Finishes the document with a newline. */
void json_finish(struct json_writer *w);

void json_write_escaped(FILE *fp, const char *text);

#endif
