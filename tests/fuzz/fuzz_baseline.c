/* 'mesilab baseline' on directories made from the input: a baseline of
 * three runs listed (each run's meta.json read as 'baseline list' reads
 * it), a run added to it keeping two, and the baseline listed again. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "json_read.h"
#include "xalloc.h"

static void list(const char *dir)
{
	struct ml_error err;
	char **runs;
	size_t n;

	if (!baseline_is(dir) || baseline_runs(dir, &runs, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/meta.json", runs[i]);
		struct json_value *meta = json_parse_file(path, runs[i], &err);

		json_lookup_string(meta, "start_time");
		json_lookup_string(meta, "host.hostname");
		json_lookup_string(meta, "git_revision");
		json_value_free(meta);
		free(path);
	}
	baseline_runs_free(runs, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_baseline"), data, size);
	char *dir = xasprintf("%s/bl", tree), *run = xasprintf("%s/run", tree);
	struct ml_error err;
	size_t kept;

	list(dir);
	if (baseline_add(dir, run, 2, &kept, &err) == 0)
		list(dir);
	free(dir);
	free(run);
	return 0;
}
