/* The native benchmarks and what they share. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include "bench.h"
#include "progress.h"
#include "xalloc.h"

/* Private caches are the L1s and L2s: a hypervisor may describe its L3 as
 * each vCPU's own (the whole L3 per vCPU), and counting it would let sets
 * far beyond any core's cache take turns. */
#define PRIVATE_DEPTH_MAX 2
/* When hwloc knows no private cache: an L1's size or so. */
#define TURNS_FALLBACK (64u << 10)

uint64_t bench_turns_limit(const struct topo *t)
{
	uint64_t private_cache = topo_largest_private_cache(t, PRIVATE_DEPTH_MAX);

	return private_cache ? private_cache / 2 : TURNS_FALLBACK;
}

enum { K_BENCH, K_EVENT, K_VALUE, NKCOLUMNS };

static const struct table_column counter_columns[NKCOLUMNS] = {
	[K_BENCH] = { "benchmark", "benchmark", TABLE_LEFT },
	[K_EVENT] = { "event", "event", TABLE_LEFT },
	[K_VALUE] = { "value", "count", TABLE_RIGHT },
};

struct table *bench_counters_table(void)
{
	return table_new(counter_columns, NKCOLUMNS);
}

void *bench_configure(const struct benchmark *b, enum cli_profile profile, const char *const *values)
{
	void *config = xcalloc(1, b->config_size ? b->config_size : 1);
	struct ml_error err;

	/* The rows' defaults are checked by their test: a bad one is a bug. */
	if (cli_fill(b->options, b->noptions, values, profile, config, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "internal: benchmark %s: %s", b->name, err.msg);
	return config;
}

void bench_progress(const struct bench_context *ctx, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	progress_update("%s: %s", ctx->name, text);
	free(text);
}

/* Measures B with CONFIG, prints and saves its result. */
static int measure(const struct benchmark *b, struct bench_context *ctx, const void *config, struct ml_error *err)
{
	struct bench_result r;
	int rc;

	bench_result_init(&r, ctx->clock);
	rc = b->measure(ctx, config, &r, err);
	progress_done();
	rc = bench_emit(&r, ctx->out, ctx->csv, ctx->run, rc, err);
	bench_result_free(&r);
	return rc;
}

int bench_run(const struct benchmark *b, struct bench_context *ctx, const void *config, struct counters *c,
	      struct table *counts, struct ml_error *err)
{
	int rc;

	counters_start(c);
	rc = measure(b, ctx, config, err);
	counters_stop(c);
	for (size_t i = 0; c->available && rc == 0 && i < c->nevents; i++) {
		table_add_row(counts);
		table_set(counts, K_BENCH, b->name, NULL);
		table_set(counts, K_EVENT, c->names[i], NULL);
		table_setf(counts, K_VALUE, "%lld", c->values[i]);
	}
	return rc;
}

int bench_counters_save(struct rundir *run, const struct counters *c, const struct table *counts,
			struct ml_error *err)
{
	if (!c->available) {
		rundir_unavailable(run, "counters", c->why);
		return 0;
	}
	if (c->why[0])
		rundir_unavailable(run, "some counters", c->why);
	if (table_rows(counts) == 0)
		return 0;
	return rundir_save_table(run, "counters.csv", counts, err);
}

/* The one table of native benchmarks. */
const struct benchmark *const benchmarks[] = {
	&bench_latency,
	&bench_bandwidth,
	&bench_falseshare,
	&bench_c2c,
	&bench_contention,
	&bench_states,
	&bench_storage,
	&bench_timeshare,
	NULL,
};
