#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run_meta.h"

const char *run_meta_setting(const struct json_value *meta, const char *name)
{
	const struct json_value *list = json_lookup(meta, "settings");

	for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->count; i++) {
		const char *n = json_lookup_string(list->items[i], "name");

		if (n && strcmp(n, name) == 0)
			return json_lookup_string(list->items[i], "value");
	}
	return NULL;
}

double run_meta_setting_number(const struct json_value *meta, const char *name)
{
	const char *v = run_meta_setting(meta, name);
	char *end;
	double d;

	if (!v)
		return NAN;
	d = strtod(v, &end);
	return end != v && !*end ? d : NAN;
}
