/* 'mesilab compare' on run directories made from the input: a base run
 * and a baseline of three (each in turn) against a new run, as
 * cmd_compare.c does it: the metadata's machines and ends, the controls'
 * shift, every result table compared, the points printed in each format. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "compare.h"
#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "json_read.h"
#include "path.h"
#include "run_end.h"
#include "xalloc.h"

static FILE *sink(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		exit(3);
	}
	return null;
}

static struct json_value *load_meta(const char *run)
{
	char *path = xasprintf("%s/meta.json", run);
	struct ml_error err;
	struct json_value *meta = json_parse_file(path, run, &err);

	free(path);
	return meta;
}

static void machines(const struct json_value *base, const struct json_value *new)
{
	char buf[1024];

	json_lookup(base, "clock.core_ghz");
	json_lookup(new, "clock.core_ghz");
	compare_virtualization(base, new, buf, sizeof(buf));
	compare_machines(base, new, buf, sizeof(buf));
	run_end_complete(base, buf, sizeof(buf));
	run_end_complete(new, buf, sizeof(buf));
}

/* The base runs (a run, or a baseline's: its newest alone when it has
 * fewer than three) against NEW. */
static void compare(char **runs, size_t n, const char *new)
{
	struct compare_options o = { 5, 0.05, 0.01 };
	struct json_value *base_meta = load_meta(runs[n - 1]), *new_meta = load_meta(new);
	struct machine_shift shift;
	struct comparison c;
	struct ml_error err;
	char said[1024];
	const char *const *base = (const char *const *)runs + (n < 3 ? n - 1 : 0);
	size_t nbase = n < 3 ? 1 : n;

	if (base_meta && new_meta)
		machines(base_meta, new_meta);
	comparison_init(&c, &o);
	if (machine_shift_measure(&shift, base, nbase, new, o.threshold_pct, &err) < 0)
		goto out;
	c.shift = &shift;
	machine_shift_describe(&shift, said, sizeof(said));
	for (size_t i = 0; i < nresult_tables; i++) {
		const struct result_table *t = &result_tables[i];
		char **bp = xcalloc(nbase, sizeof(*bp)), *np = xasprintf("%s/%s", new, t->file);
		size_t have = 0, failed = 0;

		for (size_t r = 0; r < nbase; r++) {
			char *path = xasprintf("%s/%s", base[r], t->file);

			if (path_exists(path))
				bp[have++] = path;
			else
				free(path);
		}
		if (have && path_exists(np))
			failed = compare_files(&c, t, (const char *const *)bp, have, np, true, &err) < 0;
		for (size_t r = 0; r < have; r++)
			free(bp[r]);
		free(bp);
		free(np);
		if (failed)
			goto out;
	}
	comparison_finish(&c);
	table_print_csv(c.points, sink());
	table_print_human(c.points, sink());
	table_print_markdown(c.points, sink());
out:
	comparison_free(&c);
	json_value_free(base_meta);
	json_value_free(new_meta);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_compare"), data, size);
	char *base = xasprintf("%s/base", tree), *hist = xasprintf("%s/hist", tree), *new = xasprintf("%s/new", tree);
	struct ml_error err;
	char **runs;
	size_t n;

	if (!baseline_is(base))
		compare(&base, 1, new);
	if (baseline_is(hist) && baseline_runs(hist, &runs, &n, &err) == 0) {
		if (n)
			compare(runs, n, new);
		baseline_runs_free(runs, n);
	}
	free(base);
	free(hist);
	free(new);
	return 0;
}
