/* Topology input: an hwloc XML export (mesilab topo -i) when the input
 * starts with '<', else a synthetic description (mesilab topo -s); then
 * every question the benchmarks ask of it, and a list of PUs to restrict
 * it to (what the rest of the input names). */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "topo.h"

static void ask_everything(struct topo *t, const char *restrict_to)
{
	struct ml_error err;
	unsigned pus[64], pair[2];
	struct topo_relation rel;
	char name[32];

	for (size_t i = 0; i < topo_cache_levels(t); i++)
		for (unsigned k = 0; k < topo_cache_level(t, i)->instances; k++)
			free(topo_cache_instance(t, i, k, NULL, NULL));
	topo_cores(t);
	topo_packages(t);
	topo_numa_nodes(t);
	topo_usable_cores(t);
	if (restrict_to)
		topo_restrict_usable(t, restrict_to, &err);
	topo_place(t, TOPO_PLACE_SCATTER, 64, pus);
	topo_place(t, TOPO_PLACE_COMPACT, 64, pus);
	topo_pair_sharing_nothing(t, pair);
	if (topo_pair_smt(t, pair) == 0) {
		topo_relation(t, pair[0], pair[1], &rel);
		topo_relation_name(&rel, name, sizeof(name));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_input_string(data, size), *second = strchr(text, '\n');
	struct ml_error err;
	struct topo *t;

	if (size && data[0] == '<') {
		char path[64];
		int fd = fuzz_input_file(data, size, path, sizeof(path));

		t = topo_load(TOPO_XML, path, &err);
		close(fd);
		second = NULL;
	} else {
		if (second)
			*second++ = '\0';
		t = topo_load(TOPO_SYNTHETIC, text, &err);
	}
	/* The questions the benchmarks ask, on machines they can run on (Linux
	 * counts at most 8192 CPUs); a synthetic machine of a million PUs is
	 * only described. */
	if (t && topo_pus(t) <= 8192)
		ask_everything(t, second);
	topo_free(t);
	free(text);
	return 0;
}
