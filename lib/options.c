/* Option values: typed, bounded, and a usage error naming the option when
 * bad. */
#include <config.h>

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

double cli_double_option(const struct cli_args *args, size_t option, double min, double max,
			 double fallback)
{
	const char *text = args->values[option];
	char *end;
	double value;

	if (!text)
		return fallback;
	value = strtod(text, &end);
	if (end == text || *end || !(value >= min && value <= max))
		cli_usage_error(args, "invalid --%s '%s' (expected a number from %g to %g)",
				args->options[option].name, text, min, max);
	return value;
}

size_t cli_list_option(const struct cli_args *args, size_t option, bool sizes, uint64_t min, uint64_t *out,
		       size_t cap)
{
	const char *list = args->values[option];
	size_t n = 0;

	while (list && *list) {
		size_t len = strcspn(list, ",");
		char word[32];
		uint64_t v;

		snprintf(word, sizeof(word), "%.*s", (int)len, list);
		if (len >= sizeof(word) || (sizes ? units_parse_size(word, &v) : units_parse_u64(word, &v)) < 0 ||
		    v < min)
			cli_usage_error(args, "invalid value '%.*s' in --%s: expected %s of at least %llu", (int)len, list,
					args->options[option].name, sizes ? "sizes such as 4K or 1M" : "integers",
					(unsigned long long)min);
		if (n == cap)
			cli_usage_error(args, "too many values in --%s (at most %zu)", args->options[option].name, cap);
		out[n++] = v;
		list += len + (list[len] == ',');
	}
	return n;
}

size_t cli_choice_option(const struct cli_args *args, size_t option, const char *const *names,
			 size_t n, bool *chosen)
{
	const char *list = args->values[option];
	size_t count = 0;

	for (size_t k = 0; k < n; k++)
		chosen[k] = list == NULL;
	if (!list)
		return n;
	while (*list) {
		size_t len = strcspn(list, ","), k;

		for (k = 0; k < n; k++)
			if (strlen(names[k]) == len && strncmp(names[k], list, len) == 0)
				break;
		if (k == n) {
			char expected[256] = "";

			for (size_t i = 0; i < n; i++)
				snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
					 "%s%s", i ? ", " : "", names[i]);
			cli_usage_error(args, "unknown '%.*s' in --%s (expected %s)", (int)len, list,
					args->options[option].name, expected);
		}
		count += !chosen[k];
		chosen[k] = true;
		list += len + (list[len] == ',');
	}
	return count;
}
