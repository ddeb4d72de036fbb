#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "interrupt.h"
#include "path.h"
#include "replay.h"
#include "report.h"
#include "sweep.h"
#include "sweep_dir.h"
#include "table.h"
#include "trace_reader.h"
#include "units.h"
#include "xalloc.h"

#define MAX_LATENCY 1000000

/* "32K:8:64", "none". */
static void format_geometry(const struct cache_geometry *g, char *buf, size_t len)
{
	static const char units[] = { 'G', 'M', 'K' };
	uint64_t size = g->size;

	if (!size) {
		snprintf(buf, len, "none");
		return;
	}
	for (size_t u = 0; u < sizeof(units); u++) {
		uint64_t scale = 1ull << (30 - 10 * u);

		if (size % scale == 0) {
			snprintf(buf, len, "%llu%c:%u:%u", (unsigned long long)(size / scale), units[u], g->ways, g->line);
			return;
		}
	}
	snprintf(buf, len, "%llu:%u:%u", (unsigned long long)size, g->ways, g->line);
}

static int apply_geometry(struct cache_geometry *g, const char *value, bool optional, struct ml_error *err)
{
	if (optional && strcmp(value, "none") == 0) {
		*g = (struct cache_geometry){ 0 };
		return 0;
	}
	return cache_geometry_parse(value, g, err);
}

#define GEOMETRY(field, optional)                                                                  \
	static int apply_##field(struct sim_config *cfg, const char *value, struct ml_error *err) \
	{                                                                                          \
		return apply_geometry(&cfg->field, value, optional, err);                          \
	}                                                                                          \
	static void format_##field(const struct sim_config *cfg, char *buf, size_t len)            \
	{                                                                                          \
		format_geometry(&cfg->field, buf, len);                                            \
	}
GEOMETRY(l1, false)
GEOMETRY(l1i, true)
GEOMETRY(l2, true)
GEOMETRY(llc, true)
#undef GEOMETRY

static int parse_bounded(const char *value, uint64_t max, const char *what, uint64_t *out, struct ml_error *err)
{
	if (units_parse_u64(value, out) < 0 || *out > max) {
		ml_error_set(err, "invalid %s '%s' (0 to %llu)", what, value, (unsigned long long)max);
		return -1;
	}
	return 0;
}

static int apply_cores(struct sim_config *cfg, const char *value, struct ml_error *err)
{
	uint64_t v;

	if (parse_bounded(value, SIM_MAX_CORES, "number of cores", &v, err) < 0)
		return -1;
	if (v == 0) {
		ml_error_set(err, "invalid number of cores '0' (1 to %d)", SIM_MAX_CORES);
		return -1;
	}
	cfg->cores = (unsigned)v;
	return 0;
}

static void format_cores(const struct sim_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%u", cfg->cores);
}

/* A setting that is one of a few names: its index into NAMES. */
static int apply_choice(const char *value, const char *const *names, size_t n, const char *what, int *out,
			struct ml_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	ml_error_set(err, "unknown %s '%s'", what, value);
	return -1;
}

static int apply_replacement(struct sim_config *cfg, const char *value, struct ml_error *err)
{
	int p;

	if (apply_choice(value, replacement_names, REPL_NPOLICIES, "replacement", &p, err) < 0)
		return -1;
	cfg->policy = (enum replacement)p;
	return 0;
}

static void format_replacement(const struct sim_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%s", replacement_names[cfg->policy]);
}

static const char *const straddle_names[] = { "once", "split" };

static int apply_order(struct sim_config *cfg, const char *value, struct ml_error *err)
{
	int o;

	if (apply_choice(value, sim_order_names, SIM_NORDERS, "order", &o, err) < 0)
		return -1;
	cfg->order = (enum sim_order)o;
	return 0;
}

static void format_order(const struct sim_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%s", sim_order_names[cfg->order]);
}

static int apply_straddle(struct sim_config *cfg, const char *value, struct ml_error *err)
{
	int o;

	if (apply_choice(value, straddle_names, 2, "straddle rule", &o, err) < 0)
		return -1;
	cfg->split_straddles = o == 1;
	return 0;
}

static void format_straddle(const struct sim_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%s", straddle_names[cfg->split_straddles]);
}

#define LATENCY(field, what)                                                                       \
	static int apply_latency_##field(struct sim_config *cfg, const char *value,              \
					 struct ml_error *err)                                     \
	{                                                                                          \
		uint64_t v;                                                                        \
                                                                                                   \
		if (parse_bounded(value, MAX_LATENCY, what, &v, err) < 0)                          \
			return -1;                                                                 \
		cfg->latency.field = (unsigned)v;                                                  \
		return 0;                                                                          \
	}                                                                                          \
	static void format_latency_##field(const struct sim_config *cfg, char *buf, size_t len)    \
	{                                                                                          \
		snprintf(buf, len, "%u", cfg->latency.field);                                      \
	}
LATENCY(hit, "L1 hit latency")
LATENCY(l2, "L2 hit latency")
LATENCY(llc, "LLC latency")
LATENCY(memory, "memory latency")
LATENCY(c2c, "cache-to-cache latency")
LATENCY(bus, "bus latency")
#undef LATENCY

/* Cores first: plan_write() resolves its default from each trace. */
const struct sweep_setting sweep_settings[] = {
	{ "cores", apply_cores, format_cores },
	{ "l1", apply_l1, format_l1 },
	{ "l1i", apply_l1i, format_l1i },
	{ "l2", apply_l2, format_l2 },
	{ "llc", apply_llc, format_llc },
	{ "replacement", apply_replacement, format_replacement },
	{ "order", apply_order, format_order },
	{ "straddle", apply_straddle, format_straddle },
	{ "hit", apply_latency_hit, format_latency_hit },
	{ "l2_hit", apply_latency_l2, format_latency_l2 },
	{ "llc_hit", apply_latency_llc, format_latency_llc },
	{ "memory", apply_latency_memory, format_latency_memory },
	{ "c2c", apply_latency_c2c, format_latency_c2c },
	{ "bus", apply_latency_bus, format_latency_bus },
};

const size_t sweep_nsettings = sizeof(sweep_settings) / sizeof(sweep_settings[0]);

/* plan.csv's columns: the id and the trace, the settings, then what every
 * configuration shares. */
#define PLAN_COLUMNS (SWEEP_PLAN_SETTINGS + sweep_nsettings + SWEEP_PLAN_TAIL)

static const char *plan_column_name(size_t c)
{
	static const char *const fixed[] = { "configuration", "trace" };

	if (c < SWEEP_PLAN_SETTINGS)
		return fixed[c];
	if (c < SWEEP_PLAN_SETTINGS + sweep_nsettings)
		return sweep_settings[c - SWEEP_PLAN_SETTINGS].name;
	return c == PLAN_COLUMNS - 2 ? "protocols" : "causes";
}

/* A comma-separated list, split in place into a NULL-terminated array. */
static char **split_list(char *text, size_t *n)
{
	char **items = xcalloc(strlen(text) + 2, sizeof(*items));

	*n = 0;
	for (char *p = text, *comma; p; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		items[(*n)++] = p;
	}
	return items;
}

/* The odometer over the lists: false when every combination was seen. */
static bool next_combination(size_t *at, const size_t *counts, size_t n)
{
	for (size_t k = n; k-- > 0;) {
		if (++at[k] < counts[k])
			return true;
		at[k] = 0;
	}
	return false;
}

/* The threads of TRACE and the order it asks for (the header is all that
 * is read of a binary one). */
static int trace_threads(const char *trace, unsigned *threads, enum sim_order *order, struct ml_error *err)
{
	struct trace_reader *r = trace_reader_open(trace, err);

	if (!r)
		return -1;
	*threads = trace_reader_header(r)->threads;
	*order = sim_order_of_trace(trace_reader_header(r));
	trace_reader_close(r);
	return 0;
}

/* What every row of one trace shares: the trace (its absolute path), its
 * threads and the order it asks for, the protocols ('+' between them) and
 * whether the misses' causes are asked for. */
struct plan_trace {
	const char *trace;
	unsigned threads;
	enum sim_order order;
	const char *protocols;
	bool causes;
};

/* One configuration's row: its settings applied in order onto the
 * simulator's defaults (the cores and the order: the trace's own),
 * checked, then written back as text (so that "32768:8:64" and
 * "32K:8:64" are the same configuration). */
static int plan_row(struct table *t, size_t id, const struct plan_trace *shared, char *const *values,
		    struct ml_error *err)
{
	const char *trace = shared->trace;
	unsigned threads = shared->threads;
	struct sim_config cfg;
	char text[64];

	sim_config_defaults(&cfg);
	cfg.cores = threads;
	cfg.order = shared->order;
	for (size_t k = 0; k < sweep_nsettings; k++)
		if (values[k] && sweep_settings[k].apply(&cfg, values[k], err) < 0)
			return -1;
	if (sim_config_check(&cfg, err) < 0)
		return 1;
	if (threads > cfg.cores) {
		ml_error_set(err, "%s has %u threads, more than %u cores", trace, threads, cfg.cores);
		return 1;
	}
	table_add_row(t);
	table_setf(t, SWEEP_PLAN_ID, "c%05zu", id);
	table_set(t, SWEEP_PLAN_TRACE, trace, NULL);
	for (size_t k = 0; k < sweep_nsettings; k++) {
		sweep_settings[k].format(&cfg, text, sizeof(text));
		table_set(t, SWEEP_PLAN_SETTINGS + k, text, NULL);
	}
	table_set(t, PLAN_COLUMNS - 2, shared->protocols, NULL); /* with '+' between them: no comma in a cell */
	table_set(t, PLAN_COLUMNS - 1, shared->causes ? "yes" : "no", NULL);
	return 0;
}

/* The plan already in DIR must be this one. */
static int same_plan(const char *path, const struct table *t, struct ml_error *err)
{
	struct csv_file *old = csv_read(path, NULL, err);
	int rc = 0;

	if (!old)
		return -1;
	if (csv_rows(old) != table_rows(t) || csv_columns(old) != table_columns(t))
		rc = -1;
	for (size_t r = 0; rc == 0 && r < table_rows(t); r++)
		for (size_t c = 0; rc == 0 && c < table_columns(t); c++)
			if (strcmp(csv_cell(old, r, c), table_get(t, r, c)) != 0)
				rc = -1;
	if (rc < 0)
		ml_error_set(err, "%s holds another sweep's plan: resume it with the options it was started with, or give a new -o DIR",
			     path);
	csv_free(old);
	return rc;
}

long sweep_plan_write(const char *dir, const struct sweep_request *request, struct sweep_refusals *refused,
		      struct ml_error *err)
{
	const char *const *lists = request->lists;
	char *const *traces = request->traces;
	char *why = refused->why;
	struct table_column *columns = xcalloc(PLAN_COLUMNS, sizeof(*columns));
	char **copies = xcalloc(sweep_nsettings, sizeof(*copies)), ***items = xcalloc(sweep_nsettings, sizeof(*items));
	size_t *counts = xcalloc(sweep_nsettings, sizeof(*counts)), *at = xcalloc(sweep_nsettings, sizeof(*at));
	char **values = xcalloc(sweep_nsettings, sizeof(*values));
	char *path = xasprintf("%s/plan.csv", dir);
	struct table *t;
	long rc = 0;
	size_t id = 0;

	char *joined = xstrdup(request->protocols);

	for (char *p = strchr(joined, ','); p; p = strchr(p, ','))
		*p = '+';
	for (size_t c = 0; c < PLAN_COLUMNS; c++)
		columns[c] = (struct table_column){ plan_column_name(c), plan_column_name(c), TABLE_LEFT };
	t = table_new(columns, PLAN_COLUMNS);
	for (size_t k = 0; k < sweep_nsettings; k++) {
		copies[k] = lists[k] ? xstrdup(lists[k]) : NULL;
		items[k] = copies[k] ? split_list(copies[k], &counts[k]) : NULL;
		counts[k] = copies[k] ? counts[k] : 1;
	}
	refused->count = 0;
	why[0] = '\0';
	for (int tr = 0; rc == 0 && tr < request->ntraces; tr++) {
		char *absolute = realpath(traces[tr], NULL);
		enum sim_order order = SIM_ORDER_TIMED;
		unsigned threads = 0;

		if (!absolute) {
			ml_error_set(err, "%s: %s", traces[tr], strerror(errno));
			rc = -1;
		} else if (trace_threads(absolute, &threads, &order, err) < 0) {
			rc = -1;
		}
		memset(at, 0, sweep_nsettings * sizeof(*at));
		do {
			int row;
			struct ml_error refusal;

			if (rc < 0)
				break;
			for (size_t k = 0; k < sweep_nsettings; k++)
				values[k] = items[k] ? items[k][at[k]] : NULL;
			row = plan_row(t, id, &(struct plan_trace){ absolute, threads, order, joined, request->causes },
				       values, &refusal);
			if (row < 0) {
				*err = refusal;
				rc = -1;
			} else if (row > 0) {
				if (!refused->count)
					snprintf(why, sizeof(refused->why), "%.*s", (int)sizeof(refused->why) - 1,
						 refusal.msg); /* cut to fit */
				refused->count++;
			} else {
				id++;
			}
		} while (next_combination(at, counts, sweep_nsettings));
		free(absolute);
	}
	if (rc == 0 && id == 0) {
		ml_error_set(err, "no configuration to run: %s", why[0] ? why : "the lists are empty");
		rc = -1;
	}
	if (rc == 0)
		rc = path_exists(path) ? same_plan(path, t, err) : table_save_csv(t, path, err);
	table_free(t);
	for (size_t k = 0; k < sweep_nsettings; k++) {
		free(copies[k]);
		free(items[k]);
	}
	free(copies);
	free(items);
	free(counts);
	free(at);
	free(values);
	free(columns);
	free(path);
	free(joined);
	return rc < 0 ? -1 : (long)id;
}

/* The configuration's columns, then the summary's. */
static struct table *rows_table(const struct csv_file *plan, size_t row, const struct table *summary)
{
	size_t nplan = csv_columns(plan), n = nplan + table_columns(summary);
	struct table_column *columns = xcalloc(n, sizeof(*columns));
	struct table *t;

	for (size_t c = 0; c < nplan; c++)
		columns[c] = (struct table_column){ csv_header(plan, c), csv_header(plan, c), TABLE_LEFT };
	for (size_t c = 0; c < table_columns(summary); c++)
		columns[nplan + c] = *table_column(summary, c);
	t = table_new(columns, n);
	free(columns);
	for (size_t r = 0; r < table_rows(summary); r++) {
		table_add_row(t);
		for (size_t c = 0; c < nplan; c++)
			table_set(t, c, csv_cell(plan, row, c), NULL);
		for (size_t c = 0; c < table_columns(summary); c++)
			table_set(t, nplan + c, table_get(summary, r, c), NULL);
	}
	return t;
}

int sweep_run_config(const char *dir, const struct csv_file *plan, size_t row, struct ml_error *err)
{
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	struct sim_config cfg;
	struct trace_reader *r;
	struct table *summary, *rows;
	struct sim *s;
	char bad[64], *path, *rows_dir, *protocols;
	int n, rc;

	sim_config_defaults(&cfg);
	for (size_t k = 0; k < sweep_nsettings; k++)
		if (sweep_settings[k].apply(&cfg, csv_cell(plan, row, SWEEP_PLAN_SETTINGS + k), err) < 0)
			return -1;
	cfg.classify_causes = strcmp(csv_cell(plan, row, PLAN_COLUMNS - 1), "yes") == 0;
	protocols = xstrdup(csv_cell(plan, row, PLAN_COLUMNS - 2));
	for (char *p = strchr(protocols, '+'); p; p = strchr(p, '+'))
		*p = ',';
	n = protocol_parse_list(protocols, chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	free(protocols);
	if (n < 0) {
		ml_error_set(err, "plan.csv: unknown protocol '%s'", bad);
		return -1;
	}
	if (sim_config_check(&cfg, err) < 0)
		return -1;
	r = trace_reader_open(csv_cell(plan, row, SWEEP_PLAN_TRACE), err);
	if (!r)
		return -1;
	if (trace_reader_header(r)->threads > cfg.cores) {
		ml_error_set(err, "%s has %u threads, more than %u cores", trace_reader_name(r),
			     trace_reader_header(r)->threads, cfg.cores);
		trace_reader_close(r);
		return -1;
	}
	s = sim_new(&cfg, chosen, (unsigned)n);
	rc = sim_replay(s, r, err) == UINT64_MAX || interrupt_check(err) ? -1 : 0;
	trace_reader_close(r);
	rows_dir = xasprintf("%s/rows", dir);
	if (rc == 0 && mkdir(rows_dir, 0777) < 0 && errno != EEXIST) {
		ml_error_set(err, "%s: %s", rows_dir, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		summary = sim_summary_table(s);
		rows = rows_table(plan, row, summary);
		path = sweep_dir_rows_path(dir, sweep_dir_config_id(plan, row));
		rc = table_save_csv(rows, path, err);
		free(path);
		table_free(rows);
		table_free(summary);
	}
	free(rows_dir);
	sim_free(s);
	return rc;
}

struct pool_ctx {
	const char *dir;
	const struct csv_file *plan;
	const size_t *rows;
};

static size_t plan_row_of(const struct pool_ctx *ctx, size_t i)
{
	return ctx->rows ? ctx->rows[i] : i;
}

static bool config_finished(size_t i, void *arg)
{
	const struct pool_ctx *ctx = arg;

	return sweep_dir_config_done(ctx->dir, ctx->plan, plan_row_of(ctx, i));
}

static int config_run(size_t i, void *arg)
{
	const struct pool_ctx *ctx = arg;
	size_t row = plan_row_of(ctx, i);
	struct ml_error err;
	char what[256];

	if (sweep_run_config(ctx->dir, ctx->plan, row, &err) == 0)
		return 0;
	sweep_dir_describe(ctx->plan, row, what, sizeof(what));
	if (!interrupt_requested())
		fprintf(stderr, "mesilab sweep: configuration %s (%s): %s\n", sweep_dir_config_id(ctx->plan, row), what,
			err.msg);
	return -1;
}

int sweep_run_pool(const char *dir, const struct csv_file *plan, const size_t *rows, size_t n, unsigned jobs,
		   struct worker_pool_result *result, struct ml_error *err)
{
	struct pool_ctx ctx = { dir, plan, rows };
	struct worker_pool_tasks tasks = { n, config_finished, config_run, &ctx, "configurations" };

	return worker_pool_run(&tasks, jobs, result, err);
}
