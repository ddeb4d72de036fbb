/* Option values: checked against their rows, typed, bounded, and a usage
 * error naming the option when bad. */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "options.h"
#include "units.h"

void cli_usage_error(const struct cli_args *args, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ml_progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'mesilab %s%s%s --help')\n", args->parent ? args->parent : "", args->parent ? " " : "",
		args->name);
	exit(ML_EXIT_USAGE);
}

/* "a, b or c" (LAST " or ") or "a, b, c" (LAST ", "). */
static void join_choices(const struct cli_option *o, const char *last, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < o->nchoices; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i == 0 ? "" : i + 1 == o->nchoices ? last : ", ",
			 o->choices[i]);
}

static int choice_index(const struct cli_option *o, const char *name, size_t len)
{
	for (size_t k = 0; k < o->nchoices; k++)
		if (strlen(o->choices[k]) == len && strncmp(o->choices[k], name, len) == 0)
			return (int)k;
	return -1;
}

/* A field of SIZE bytes (see CLI_FIELD) set to V: unsigned or uint64_t. */
static void store_uint(void *field, size_t size, uint64_t v)
{
	uint64_t wide = v;
	unsigned narrow = (unsigned)v;

	if (size == sizeof(wide))
		memcpy(field, &wide, size);
	else if (size == sizeof(narrow))
		memcpy(field, &narrow, size);
}

static uint64_t upper(const struct cli_option *o)
{
	return o->max ? o->max : UINT64_MAX;
}

static int parse_list(const struct cli_option *o, const char *text, struct cli_list *out, struct ml_error *err)
{
	bool sizes = o->type == CLI_SIZES;

	out->n = 0;
	while (*text) {
		size_t len = strcspn(text, ",");
		char word[32];
		uint64_t v;

		snprintf(word, sizeof(word), "%.*s", (int)len, text);
		if (len >= sizeof(word) || (sizes ? units_parse_size(word, &v) : units_parse_u64(word, &v)) < 0 ||
		    v < o->min) {
			ml_error_set(err, "invalid value '%.*s' in --%s: expected %s of at least %" PRIu64, (int)len, text,
				     o->name, sizes ? "sizes such as 4K or 1M" : "integers", o->min);
			return -1;
		}
		if (out->n == CLI_LIST_MAX) {
			ml_error_set(err, "too many values in --%s (at most %d)", o->name, CLI_LIST_MAX);
			return -1;
		}
		out->v[out->n++] = v;
		text += len + (text[len] == ',');
	}
	return 0;
}

static int parse_choices(const struct cli_option *o, const char *text, bool *chosen, struct ml_error *err)
{
	for (size_t k = 0; k < o->nchoices; k++)
		chosen[k] = false;
	while (*text) {
		size_t len = strcspn(text, ",");
		int k = choice_index(o, text, len);

		if (k < 0) {
			char expected[256];

			join_choices(o, ", ", expected, sizeof(expected));
			ml_error_set(err, "unknown '%.*s' in --%s (expected %s)", (int)len, text, o->name, expected);
			return -1;
		}
		chosen[k] = true;
		text += len + (text[len] == ',');
	}
	return 0;
}

/* TEXT parsed by O's row into FIELD (SIZE bytes), or only checked when
 * FIELD is NULL. */
static int parse_value(const struct cli_option *o, const char *text, void *field, size_t size,
		       struct ml_error *err)
{
	uint64_t u;
	double d;
	char *end, expected[256];
	int k;

	switch (o->type) {
	case CLI_TEXT:
		if (field && !o->arg)
			memcpy(field, &(bool){ true }, sizeof(bool));
		else if (field)
			memcpy(field, &text, sizeof(text));
		return 0;
	case CLI_UINT:
		if (units_parse_u64(text, &u) < 0 || u < o->min || u > upper(o)) {
			ml_error_set(err, "invalid --%s '%s' (expected an integer from %" PRIu64 " to %" PRIu64 ")", o->name,
				     text, o->min, upper(o));
			return -1;
		}
		break;
	case CLI_SIZE:
		if (units_parse_size(text, &u) < 0) {
			ml_error_set(err, "invalid --%s '%s' (expected a size such as 4096, 32K, 1MiB or 2G)", o->name, text);
			return -1;
		}
		if (u < o->min || u > upper(o)) {
			char min[32], max[32];

			units_format_size(o->min, min, sizeof(min));
			units_format_size(upper(o), max, sizeof(max));
			ml_error_set(err, "invalid --%s '%s' (expected a size from %s to %s)", o->name, text, min, max);
			return -1;
		}
		break;
	case CLI_NUMBER:
		d = strtod(text, &end);
		if (end == text || *end || !(d >= o->low && d <= o->high)) {
			ml_error_set(err, "invalid --%s '%s' (expected a number from %g to %g)", o->name, text, o->low,
				     o->high);
			return -1;
		}
		if (field)
			memcpy(field, &d, sizeof(d));
		return 0;
	case CLI_CHOICE:
		k = choice_index(o, text, strlen(text));
		if (k < 0) {
			join_choices(o, " or ", expected, sizeof(expected));
			ml_error_set(err, "unknown --%s '%s' (expected %s)", o->name, text, expected);
			return -1;
		}
		if (field)
			memcpy(field, &k, sizeof(k));
		return 0;
	case CLI_CHOICES: {
		bool chosen[64];

		if (o->nchoices > sizeof(chosen) / sizeof(chosen[0]) || parse_choices(o, text, chosen, err) < 0)
			return -1;
		if (field)
			memcpy(field, chosen, o->nchoices * sizeof(bool));
		return 0;
	}
	case CLI_UINTS:
	case CLI_SIZES: {
		struct cli_list list;

		if (parse_list(o, text, &list, err) < 0)
			return -1;
		if (field)
			memcpy(field, &list, sizeof(list));
		return 0;
	}
	}
	if (field)
		store_uint(field, size, u);
	return 0;
}

int cli_option_check(const struct cli_option *o, const char *text, struct ml_error *err)
{
	return parse_value(o, text, NULL, 0, err);
}

const char *cli_option_default(const struct cli_option *o, enum cli_profile profile)
{
	if (profile == CLI_PROFILE_QUICK && o->quick)
		return o->quick;
	if (profile == CLI_PROFILE_FULL && o->full)
		return o->full;
	return o->def;
}

/* A choices field without a value: every name chosen. */
static void choose_all(const struct cli_option *o, void *field)
{
	for (size_t k = 0; k < o->nchoices; k++)
		memcpy((bool *)field + k, &(bool){ true }, sizeof(bool));
}

/* O's FIELD from TEXT, or every name chosen for a choices option without one. */
static int fill_one(const struct cli_option *o, const char *text, void *field, struct ml_error *err)
{
	if (!text && o->type == CLI_CHOICES)
		choose_all(o, field);
	else if (text && parse_value(o, text, field, o->size, err) < 0)
		return -1;
	return 0;
}

int cli_fill(const struct cli_option *options, size_t n, const char *const *values, enum cli_profile profile,
	     void *config, struct ml_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct cli_option *o = &options[i];
		const char *text = values && values[i] ? values[i] : cli_option_default(o, profile);

		if (o->size && fill_one(o, text, (unsigned char *)config + o->offset, err) < 0)
			return -1;
	}
	return 0;
}

/* FIELD of O as it would be typed, appended to BUF. */
static void append_value(const struct cli_option *o, const void *field, char *buf, size_t len)
{
	size_t at = strlen(buf);
	uint64_t u = 0;
	unsigned narrow;
	const char *text;
	struct cli_list list;
	double d;
	int k;

	switch (o->type) {
	case CLI_TEXT:
		/* A flag (no ARG) is a bool, said by its name alone: its field is
		 * not a pointer, and may end the struct. */
		if (!o->arg)
			return;
		memcpy(&text, field, sizeof(text));
		snprintf(buf + at, len - at, "%s", text ? text : "");
		return;
	case CLI_UINT:
	case CLI_SIZE:
		if (o->size == sizeof(narrow)) {
			memcpy(&narrow, field, sizeof(narrow));
			u = narrow;
		} else {
			memcpy(&u, field, sizeof(u));
		}
		snprintf(buf + at, len - at, "%" PRIu64, u);
		return;
	case CLI_NUMBER:
		memcpy(&d, field, sizeof(d));
		snprintf(buf + at, len - at, "%g", d);
		return;
	case CLI_CHOICE:
		memcpy(&k, field, sizeof(k));
		snprintf(buf + at, len - at, "%s", k >= 0 && (size_t)k < o->nchoices ? o->choices[k] : "?");
		return;
	case CLI_CHOICES:
		for (size_t c = 0; c < o->nchoices; c++)
			if (((const bool *)field)[c])
				snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", strlen(buf) > at ? "," : "", o->choices[c]);
		return;
	case CLI_UINTS:
	case CLI_SIZES:
		memcpy(&list, field, sizeof(list));
		for (size_t v = 0; v < list.n; v++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%" PRIu64, v ? "," : "", list.v[v]);
		return;
	}
}

/* Whether FIELD of O holds what DEFAULT (a field of the same row) holds. */
static bool same_value(const struct cli_option *o, const void *field, const void *fallback)
{
	const char *a, *b;

	if (o->type == CLI_TEXT && o->arg) {
		memcpy(&a, field, sizeof(a));
		memcpy(&b, fallback, sizeof(b));
		return a == b || (a && b && strcmp(a, b) == 0);
	}
	if (o->type == CLI_UINTS || o->type == CLI_SIZES) {
		struct cli_list x, y;

		memcpy(&x, field, sizeof(x));
		memcpy(&y, fallback, sizeof(y));
		return x.n == y.n && memcmp(x.v, y.v, x.n * sizeof(x.v[0])) == 0;
	}
	return memcmp(field, fallback, o->size) == 0;
}

void cli_describe(const struct cli_option *options, size_t n, enum cli_profile profile, const void *config,
		  char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct cli_option *o = &options[i];
		const void *field = (const unsigned char *)config + o->offset;
		unsigned char fallback[sizeof(struct cli_list)] = { 0 };
		struct ml_error err;

		if (!o->size || o->size > sizeof(fallback) ||
		    fill_one(o, cli_option_default(o, profile), fallback, &err) < 0 || same_value(o, field, fallback))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), " --%s%s", o->name, o->arg ? " " : "");
		append_value(o, field, buf, len);
	}
}

bool cli_given(const struct cli_args *args, size_t option)
{
	return args->values[option] != NULL;
}

const char *cli_text(const struct cli_args *args, size_t option)
{
	return args->values[option] ? args->values[option]
				    : cli_option_default(&args->options[option],
							 args->quick ? CLI_PROFILE_QUICK : CLI_PROFILE_DEFAULT);
}

/* The value of OPTION parsed into FIELD (SIZE bytes); false when it has
 * none. Values given were checked when parsed and defaults by the rows'
 * test: a failure here is a bad row, said as a usage error all the same. */
static bool read_value(const struct cli_args *args, size_t option, void *field, size_t size)
{
	const char *text = cli_text(args, option);
	struct ml_error err;

	if (!text)
		return false;
	if (parse_value(&args->options[option], text, field, size, &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	return true;
}

uint64_t cli_uint(const struct cli_args *args, size_t option)
{
	uint64_t v = 0;

	read_value(args, option, &v, sizeof(v));
	return v;
}

double cli_number(const struct cli_args *args, size_t option)
{
	double v = 0;

	read_value(args, option, &v, sizeof(v));
	return v;
}

int cli_choice(const struct cli_args *args, size_t option)
{
	int k = -1;

	read_value(args, option, &k, sizeof(k));
	return k;
}

size_t cli_choices(const struct cli_args *args, size_t option, bool *chosen)
{
	const struct cli_option *o = &args->options[option];
	size_t count = 0;

	if (!read_value(args, option, chosen, o->nchoices * sizeof(bool)))
		choose_all(o, chosen);
	for (size_t k = 0; k < o->nchoices; k++)
		count += chosen[k];
	return count;
}

uint64_t cli_uint_option(const struct cli_args *args, size_t option, uint64_t min, uint64_t max,
			 uint64_t fallback)
{
	const char *text = args->values[option];
	uint64_t value;

	if (!text)
		return fallback;
	if (units_parse_u64(text, &value) < 0 || value < min || value > max)
		cli_usage_error(args, "invalid --%s '%s' (expected an integer from %llu to %llu)",
				args->options[option].name, text, (unsigned long long)min,
				(unsigned long long)max);
	return value;
}

uint64_t cli_size_option(const struct cli_args *args, size_t option, uint64_t fallback)
{
	const char *text = args->values[option];
	uint64_t value;

	if (!text)
		return fallback;
	if (units_parse_size(text, &value) < 0)
		cli_usage_error(args, "invalid --%s '%s' (expected a size such as 4096, 32K, 1MiB or 2G)",
				args->options[option].name, text);
	return value;
}
