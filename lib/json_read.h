/* Reading JSON (the run metadata, meta.json) into a tree. */
#ifndef MESILAB_JSON_READ_H
#define MESILAB_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool boolean;
	double number;
	char *string;
	size_t count;              /* array items or object members */
	struct json_value **items;
	char **keys;               /* objects: the members' names */
};

/* NULL with ERR ("PATH: byte N: what") when PATH cannot be read or is not
 * one JSON value. PATH must be a regular file of at most 16 MiB; WITHIN
 * not NULL: the directory it must not lead out of (input_file.h). */
struct json_value *json_parse_file(const char *path, const char *within, struct ml_error *err);
struct json_value *json_parse(const char *text, size_t len, const char *name, struct ml_error *err);
void json_value_free(struct json_value *v);

/* The value at a dotted path of object members ("host.kernel"), or NULL. */
const struct json_value *json_lookup(const struct json_value *v, const char *path);
/* The string at PATH, or NULL when there is none (or it is not a string). */
const char *json_lookup_string(const struct json_value *v, const char *path);

#endif
