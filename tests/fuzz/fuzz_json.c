/* The JSON reader behind compare and report (meta.json), and the lookups
 * they make. */
#include <config.h>

#include "fuzz_input.h"
#include "json_read.h"

static const char *const paths[] = {
	"status", "topology.pus", "topology.cpu_model", "clock.core_ghz", "host.hostname",
	"settings", "unavailable", "conditions", "topology.caches", "a.b.c.d",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_error err;
	struct json_value *v = json_parse((const char *)data, size, "fuzz", &err);

	if (v) {
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			json_lookup(v, paths[i]);
			json_lookup_string(v, paths[i]);
		}
		json_value_free(v);
	}
	return 0;
}
