#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_file.h"
#include "json_read.h"
#include "xalloc.h"

struct parser {
	const char *text, *end, *p, *name;
	struct ml_error *err;
	int failed;
};

#define JSON_MAX_NESTING 64

static void fail(struct parser *ps, const char *what)
{
	if (!ps->failed)
		ml_error_set(ps->err, "%s: byte %zu: %s", ps->name, (size_t)(ps->p - ps->text), what);
	ps->failed = 1;
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json_value *new_value(enum json_type type)
{
	struct json_value *v = xcalloc(1, sizeof(*v));

	v->type = type;
	return v;
}

/* Appends the UTF-8 form of code point CP. */
static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static char *parse_string(struct parser *ps)
{
	/* The decoded text is never longer than the quoted one. */
	char *out = xmalloc((size_t)(ps->end - ps->p) + 1);
	size_t n = 0;

	ps->p++; /* the opening quote */
	while (ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;

		if ((unsigned char)c < 0x20) {
			ps->p--;
			fail(ps, "a control character in a string");
			break;
		}
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = *ps->p++;
		switch (c) {
		case '"': case '\\': case '/': out[n++] = c; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u': {
			unsigned cp = 0;

			for (int i = 0; i < 4; i++, ps->p++) {
				char h = ps->p < ps->end ? *ps->p : 0;

				if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
					fail(ps, "a \\u escape needs four hex digits");
					free(out);
					return NULL;
				}
				cp = cp * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
			}
			n += put_utf8(out + n, cp);
			break;
		}
		default:
			ps->p--;
			fail(ps, "an unknown escape in a string");
			free(out);
			return NULL;
		}
	}
	if (ps->failed || ps->p >= ps->end) {
		fail(ps, "a string is not closed");
		free(out);
		return NULL;
	}
	ps->p++;
	out[n] = '\0';
	return out;
}

static struct json_value *parse_value(struct parser *ps, int depth);

static void add_item(struct json_value *v, struct json_value *item, char *key)
{
	v->items = xrealloc(v->items, v->count + 1, sizeof(*v->items));
	v->items[v->count] = item;
	if (v->type == JSON_OBJECT) {
		v->keys = xrealloc(v->keys, v->count + 1, sizeof(*v->keys));
		v->keys[v->count] = key;
	}
	v->count++;
}

static struct json_value *parse_container(struct parser *ps, int depth, enum json_type type)
{
	struct json_value *v = new_value(type);
	char close = type == JSON_ARRAY ? ']' : '}';

	ps->p++;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct json_value *item;

		skip_space(ps);
		if (type == JSON_OBJECT) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a member name in quotes");
				break;
			}
			if (!(key = parse_string(ps)))
				break;
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				fail(ps, "expected ':' after a member name");
				break;
			}
			ps->p++;
		}
		item = parse_value(ps, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		add_item(v, item, key);
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return v;
		}
		fail(ps, type == JSON_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'");
		break;
	}
	json_value_free(v);
	return NULL;
}

static int literal(struct parser *ps, const char *word)
{
	size_t len = strlen(word);

	if ((size_t)(ps->end - ps->p) < len || strncmp(ps->p, word, len) != 0)
		return 0;
	ps->p += len;
	return 1;
}

static struct json_value *parse_value(struct parser *ps, int depth)
{
	struct json_value *v;

	skip_space(ps);
	if (depth > JSON_MAX_NESTING) {
		fail(ps, "nested too deeply");
		return NULL;
	}
	if (ps->p >= ps->end) {
		fail(ps, "unexpected end of the text");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, depth, JSON_OBJECT);
	case '[':
		return parse_container(ps, depth, JSON_ARRAY);
	case '"': {
		char *s = parse_string(ps);

		if (!s)
			return NULL;
		v = new_value(JSON_STRING);
		v->string = s;
		return v;
	}
	default:
		break;
	}
	if (literal(ps, "null"))
		return new_value(JSON_NULL);
	for (int truth = 0; truth < 2; truth++)
		if (literal(ps, truth ? "true" : "false")) {
			v = new_value(JSON_BOOL);
			v->boolean = truth;
			return v;
		}
	if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
		char buf[64], *endp;
		size_t n = 0;

		while (ps->p + n < ps->end && n < sizeof(buf) - 1 && strchr("+-.eE0123456789", ps->p[n]))
			n++;
		memcpy(buf, ps->p, n);
		buf[n] = '\0';
		v = new_value(JSON_NUMBER);
		v->number = strtod(buf, &endp);
		if (*endp) {
			free(v);
			fail(ps, "a malformed number");
			return NULL;
		}
		ps->p += n;
		return v;
	}
	fail(ps, "expected a value");
	return NULL;
}

struct json_value *json_parse(const char *text, size_t len, const char *name, struct ml_error *err)
{
	struct parser ps = { text, text + len, text, name, err, 0 };
	struct json_value *v = parse_value(&ps, 0);

	if (!v)
		return NULL;
	skip_space(&ps);
	if (ps.p != ps.end) {
		fail(&ps, "text after the value");
		json_value_free(v);
		return NULL;
	}
	return v;
}

#define JSON_MAX_BYTES (16u << 20)

struct json_value *json_parse_file(const char *path, const char *within, struct ml_error *err)
{
	size_t n;
	char *buf = input_read_all(path, within, JSON_MAX_BYTES, &n, err);
	struct json_value *v;

	if (!buf)
		return NULL;
	v = json_parse(buf, n, path, err);
	free(buf);
	return v;
}

void json_value_free(struct json_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->count; i++) {
		json_value_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
	free(v);
}

const struct json_value *json_lookup(const struct json_value *v, const char *path)
{
	while (v && *path) {
		size_t len = strcspn(path, ".");
		const struct json_value *found = NULL;

		if (v->type != JSON_OBJECT)
			return NULL;
		for (size_t i = 0; i < v->count && !found; i++)
			if (strlen(v->keys[i]) == len && strncmp(v->keys[i], path, len) == 0)
				found = v->items[i];
		v = found;
		path += len + (path[len] == '.');
	}
	return v;
}

const char *json_lookup_string(const struct json_value *v, const char *path)
{
	const struct json_value *s = json_lookup(v, path);

	return s && s->type == JSON_STRING ? s->string : NULL;
}
