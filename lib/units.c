#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

int units_parse_u64(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long value;

	if (!text || !isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = value;
	return 0;
}

static const struct {
	const char *suffix;
	unsigned shift;
} size_suffixes[] = {
	{ "", 0 },   { "B", 0 },    { "K", 10 },   { "KiB", 10 },
	{ "M", 20 }, { "MiB", 20 }, { "G", 30 },   { "GiB", 30 },
};

int units_parse_size(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long value;

	if (!text || !isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; i < sizeof(size_suffixes) / sizeof(size_suffixes[0]); i++) {
		unsigned shift = size_suffixes[i].shift;

		if (strcasecmp(end, size_suffixes[i].suffix) != 0)
			continue;
		if (shift && value > (UINT64_MAX >> shift))
			return -1;
		*out = (uint64_t)value << shift;
		return 0;
	}
	return -1;
}

void units_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned unit = 0;
	uint64_t scale = 1;

	while (unit + 1 < sizeof(names) / sizeof(names[0]) && bytes >= scale * 1024)
		unit++, scale *= 1024;
	if (bytes % scale == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)(bytes / scale), names[unit]);
	else
		snprintf(buf, len, "%.3g %s", (double)bytes / (double)scale, names[unit]);
}
