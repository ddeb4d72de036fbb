#include <config.h>

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv_read.h"
#include "stats.h"
#include "xalloc.h"

static const struct table_column columns[CMP_NCOLUMNS] = {
	[CMP_BENCHMARK] = { "benchmark", "benchmark", TABLE_LEFT },
	[CMP_POINT] = { "point", "point", TABLE_LEFT },
	[CMP_BASE] = { "base", "base", TABLE_RIGHT },
	[CMP_NEW] = { "new", "new", TABLE_RIGHT },
	[CMP_CHANGE] = { "change_pct", "change", TABLE_RIGHT },
	[CMP_P] = { "p_value", "p", TABLE_RIGHT },
	[CMP_VERDICT] = { "verdict", "verdict", TABLE_LEFT },
	[CMP_EXPECTED] = { "expected", "expected", TABLE_RIGHT },
	[CMP_CONTROL] = { "control", "control", TABLE_LEFT },
	[CMP_HISTORY] = { "history_runs", "runs", TABLE_RIGHT },
};

void comparison_init(struct comparison *c, const struct compare_options *o)
{
	memset(c, 0, sizeof(*c));
	c->options = *o;
	c->points = table_new(columns, CMP_NCOLUMNS);
}

void comparison_free(struct comparison *c)
{
	table_free(c->points);
}

/* The key columns of T in F, or -1 with ERR. */
static int key_columns(const struct result_table *t, const struct csv_file *f, int *cols,
		       size_t *nkeys, struct ml_error *err)
{
	size_t n = 0;

	for (; t->keys[n]; n++)
		if ((cols[n] = csv_column(f, t->keys[n])) < 0) {
			ml_error_set(err, "%s: no column '%s'", csv_path(f), t->keys[n]);
			return -1;
		}
	*nkeys = n;
	return 0;
}

/* "k1=v1 k2=v2": the point a row is. */
static char *point_name(const struct result_table *t, const struct csv_file *f, size_t row,
			const int *cols, size_t nkeys)
{
	size_t len = 1;
	char *s;

	for (size_t k = 0; k < nkeys; k++)
		len += strlen(t->keys[k]) + strlen(csv_cell(f, row, (size_t)cols[k])) + 2;
	s = xcalloc(len, 1);
	for (size_t k = 0; k < nkeys; k++)
		snprintf(s + strlen(s), len - strlen(s), "%s%s=%s", k ? " " : "", t->keys[k],
			 csv_cell(f, row, (size_t)cols[k]));
	return s;
}

static bool same_point(const struct csv_file *a, size_t ra, const int *ca, const struct csv_file *b,
		       size_t rb, const int *cb, size_t nkeys)
{
	for (size_t k = 0; k < nkeys; k++)
		if (strcmp(csv_cell(a, ra, (size_t)ca[k]), csv_cell(b, rb, (size_t)cb[k])) != 0)
			return false;
	return true;
}

/* The row of F for the point ROW of G is, or -1. */
static long find_row(const struct csv_file *f, const int *cf, const struct csv_file *g, size_t row,
		     const int *cg, size_t nkeys)
{
	for (size_t r = 0; r < csv_rows(f); r++)
		if (same_point(f, r, cf, g, row, cg, nkeys))
			return (long)r;
	return -1;
}

static void add_point(struct comparison *c, const struct result_table *t, const char *point,
		      const char *base, const char *new, const char *change, const char *p,
		      const char *verdict)
{
	table_add_row(c->points);
	table_set(c->points, CMP_EXPECTED, "", NULL);
	table_set(c->points, CMP_CONTROL, "", NULL);
	table_set(c->points, CMP_HISTORY, "", NULL);
	table_set(c->points, CMP_BENCHMARK, t->benchmark, NULL);
	table_set(c->points, CMP_POINT, point, NULL);
	table_set(c->points, CMP_BASE, base, NULL);
	table_set(c->points, CMP_NEW, new, NULL);
	table_set(c->points, CMP_CHANGE, change, NULL);
	table_set(c->points, CMP_P, p, NULL);
	table_set(c->points, CMP_VERDICT, verdict, NULL);
}

/* The points of F that are in no row of G. */
static void add_unmatched(struct comparison *c, const struct result_table *t,
			  const struct csv_file *f, const int *cf, const struct csv_file *g,
			  const int *cg, size_t nkeys, bool f_is_base)
{
	for (size_t r = 0; r < csv_rows(f); r++) {
		char *point;

		if (find_row(g, cg, f, r, cf, nkeys) >= 0)
			continue;
		point = point_name(t, f, r, cf, nkeys);
		add_point(c, t, point, f_is_base ? "yes" : "", f_is_base ? "" : "yes", "", "",
			  f_is_base ? "only in base" : "only in new");
		c->unmatched++;
		free(point);
	}
}

/* A point's repetitions: the samples rows with its keys. */
struct samples {
	struct csv_file *file;
	int cols[RESULT_MAX_KEYS], value;
};

static double *point_samples(const struct samples *s, const struct csv_file *f, size_t row,
			     const int *cf, size_t nkeys, size_t *n)
{
	double *v = NULL;

	*n = 0;
	if (!s->file)
		return NULL;
	v = xcalloc(csv_rows(s->file) + 1, sizeof(*v));
	for (size_t r = 0; r < csv_rows(s->file); r++)
		if (same_point(s->file, r, s->cols, f, row, cf, nkeys)) {
			double x = csv_number(s->file, r, (size_t)s->value);

			if (!isnan(x))
				v[(*n)++] = x;
		}
	return v;
}

/* Every one of A below every one of B. */
static bool all_below(const double *a, size_t na, const double *b, size_t nb)
{
	double max_a = -INFINITY, min_b = INFINITY;

	for (size_t i = 0; i < na; i++)
		max_a = a[i] > max_a ? a[i] : max_a;
	for (size_t i = 0; i < nb; i++)
		min_b = b[i] < min_b ? b[i] : min_b;
	return na && nb && max_a < min_b;
}

/* The directory PATH is in: "." for a bare name. */
static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xasprintf("%.*s", (int)(slash - path), path) : xstrdup(".");
}

/* Reads PATH; FOUND: it was looked for in a run directory, which it must
 * not lead out of (a file the user named may be a link anywhere). */
static struct csv_file *read_result(const char *path, bool found, struct ml_error *err)
{
	char *dir = found ? directory_of(path) : NULL;
	struct csv_file *f = csv_read(path, dir, err);

	free(dir);
	return f;
}

/* Opens the samples file beside PATH, with its key and value columns;
 * a missing file only means no samples. */
static int open_samples(const struct result_table *t, const char *path, struct samples *s,
			struct ml_error *err)
{
	char *dir = directory_of(path), *sp = xasprintf("%s/%s", dir, t->samples);
	size_t nkeys;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = csv_read_optional(sp, dir, &s->file, err);
	free(sp);
	free(dir);
	if (rc < 0 || (s->file && key_columns(t, s->file, s->cols, &nkeys, err) < 0))
		return -1;
	if (!s->file)
		return 0;
	if ((s->value = csv_column(s->file, t->value)) < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(s->file), t->value);
		return -1;
	}
	return 0;
}

/* What a point's base value becomes under the machine's shift: a time
 * FACTOR longer for a time, as much smaller for a rate. */
static double expected_value(const struct result_table *t, double base, double factor)
{
	return t->higher_is_better ? base / factor : base * factor;
}

/* -1 worse, 1 better, 0 within noise; what a change of B to N is when the
 * samples are APART (or there are none) and it exceeds the threshold. */
static int outcome_of(const struct comparison *c, const struct result_table *t, double b, double n, bool apart)
{
	double change = b != 0 ? (n - b) / fabs(b) * 100 : 0;
	bool worse = t->higher_is_better ? n < b : n > b;

	return fabs(change) >= c->options.threshold_pct && apart ? (worse ? -1 : 1) : 0;
}

/* What the controls predict for a point: its base value's time scaled by
 * a factor from LO to HI (a CPU quota stretches a timing by anything up
 * to the share it takes, depending on how long each repetition lasts). */
struct expectation {
	double lo, hi;
	double drift; /* the control's wander within the runs, a factor */
	const char *control;
};

/* Whether the controls changed what a point is expected to be. */
static bool adjusted(const struct expectation *e)
{
	return e->lo != 1 || e->hi != 1;
}

/* The factor the controls measured: the end of the range that is not
 * "no change". */
static double predicted(const struct expectation *e)
{
	return e->hi != 1 ? e->hi : e->lo;
}

/* Records a judged point: OUTCOME against the controls' expectation,
 * RAW_OUTCOME against the base value itself. */
static void record(struct comparison *c, const struct result_table *t, const char *point, double b, double n,
		   double expected, const struct expectation *e, int outcome, int raw_outcome, bool sampled,
		   const char *ptext, size_t history)
{
	const char *verdict = outcome < 0 ? (sampled ? "slower" : "slower (no samples)")
			      : outcome > 0 ? (sampled ? "faster" : "faster (no samples)")
			      : raw_outcome < 0 ? "machine-slower" : raw_outcome > 0 ? "machine-faster" : "within noise";
	char base[32], new[32], pct[32], exp_text[32] = "", runs[24] = "";

	c->slower += outcome < 0;
	c->faster += outcome > 0;
	c->machine += outcome == 0 && raw_outcome != 0;
	c->within_noise += outcome == 0 && raw_outcome == 0;
	snprintf(base, sizeof(base), "%.6g", b);
	snprintf(new, sizeof(new), "%.6g", n);
	snprintf(pct, sizeof(pct), "%+.1f", b != 0 ? (n - b) / fabs(b) * 100 : 0);
	if (adjusted(e))
		snprintf(exp_text, sizeof(exp_text), "%.6g", expected);
	if (history)
		snprintf(runs, sizeof(runs), "%zu", history);
	add_point(c, t, point, base, new, pct, ptext, verdict);
	table_set(c->points, CMP_EXPECTED, exp_text, NULL);
	table_set(c->points, CMP_CONTROL, adjusted(e) ? e->control : "", NULL);
	table_set(c->points, CMP_HISTORY, runs, NULL);
}

/* What the controls need of a point: its working set per thread (its
 * size_bytes key, or 0) and its threads (its threads key, or 1).
 * Streaming (non-temporal) stores go to memory whatever the buffer: such a
 * point is the memory's. */
struct point_shape {
	double size;
	unsigned threads;
};

static struct point_shape point_shape(const struct result_table *t, const struct csv_file *f, size_t row,
				      const int *cf, size_t nkeys)
{
	struct point_shape shape = { 0, 1 };
	bool streaming = false;

	for (size_t k = 0; k < nkeys; k++) {
		const char *cell = csv_cell(f, row, (size_t)cf[k]);

		if (strcmp(t->keys[k], "size_bytes") == 0)
			shape.size = csv_number(f, row, (size_t)cf[k]);
		else if (strcmp(t->keys[k], "threads") == 0 && csv_number(f, row, (size_t)cf[k]) > 1)
			shape.threads = (unsigned)fmin(csv_number(f, row, (size_t)cf[k]), UINT_MAX); /* more: as many */
		else if (strcmp(t->keys[k], "op") == 0)
			streaming = strcmp(cell, "stream") == 0;
	}
	if (streaming)
		shape.size = INFINITY;
	return shape;
}

static struct expectation expect(const struct comparison *c, const struct result_table *t, struct point_shape shape)
{
	struct expectation e = { 1, 1, 1, "" };

	if (c->shift)
		machine_shift_expect(c->shift, t->benchmark, shape.size, shape.threads, &e.lo, &e.hi, &e.drift,
				     &e.control);
	return e;
}

/* The outcome of one base run's value B (its samples BS) against the new
 * N (samples NS), the base scaled by FACTOR; its p-value in *P. */
static int pairwise_outcome(const struct comparison *c, const struct result_table *t, double b, double n,
			    double factor, const double *bs, size_t nb, const double *ns, size_t nn, double *p)
{
	double *scaled = xcalloc(nb + 1, sizeof(*scaled)), base = expected_value(t, b, factor);
	bool sampled = nb && nn, apart;
	int outcome;

	for (size_t i = 0; i < nb; i++)
		scaled[i] = expected_value(t, bs[i], factor);
	*p = sampled ? stats_mann_whitney_p(scaled, nb, ns, nn) : NAN;
	/* With few repetitions the test cannot reach ALPHA at all (3 against
	 * 3: p >= 0.1); samples that do not overlap then count as apart. */
	apart = !sampled || *p < c->options.alpha ||
		(n > base ? all_below(scaled, nb, ns, nn) : all_below(ns, nn, scaled, nb));
	outcome = outcome_of(c, t, base, n, apart);
	free(scaled);
	return outcome;
}

/* Slower or faster than everything the controls allow: outside the
 * whole range, on one side. */
static int beyond_range(int at_lo, int at_hi)
{
	return at_lo == at_hi ? at_lo : 0;
}

/* A point against one base run: the change beyond the threshold, and the
 * repetitions told apart, once the base is scaled as the controls say and
 * as far again as the controls wandered within the runs: a machine whose
 * L1 chase took 20% longer at one moment of a run than at another can
 * move any point by that much between runs, though each point's
 * repetitions, taken within seconds, agree. Moved only as far as the
 * controls' change explains, a point is the machine's ("machine-slower");
 * within their wander, noise. */
static void judge(struct comparison *c, const struct result_table *t, const char *point, double b, double n,
		  const struct expectation *e, const double *bs, size_t nb, const double *ns, size_t nn)
{
	double p, p_lo, p_hi, unused;
	int raw = pairwise_outcome(c, t, b, n, 1, bs, nb, ns, nn, &p);
	int shifted = beyond_range(pairwise_outcome(c, t, b, n, e->lo, bs, nb, ns, nn, &p_lo),
				   pairwise_outcome(c, t, b, n, e->hi, bs, nb, ns, nn, &p_hi));
	int outcome = beyond_range(pairwise_outcome(c, t, b, n, e->lo / e->drift, bs, nb, ns, nn, &unused),
				   pairwise_outcome(c, t, b, n, e->hi * e->drift, bs, nb, ns, nn, &unused));
	char ptext[32] = "";

	if (nb && nn)
		snprintf(ptext, sizeof(ptext), "%.3g", e->hi != 1 ? p_hi : e->lo != 1 ? p_lo : p);
	record(c, t, point, b, n, expected_value(t, b, predicted(e)), e, outcome, shifted == 0 && adjusted(e) ? raw : 0,
	       nb && nn, ptext, 0);
}

/* How much the spread of every point of a table, over the history, tells
 * about one point's: worth as many degrees of freedom as four more runs
 * of it. Points differ in noise, so no more. */
#define HISTORY_PRIOR_DF 4.0

/* The outcome of the new value N against a point's HISTORY (NH values),
 * scaled by FACTOR: outside the prediction interval of their logarithms
 * (runs vary by factors, not by amounts), the variance moderated by
 * PRIOR_VAR (the table's typical one), and beyond the threshold from
 * their median (in *MEDIAN). */
static int history_outcome(const struct comparison *c, const struct result_table *t, const double *history,
			   size_t nh, double n, double factor, double prior_var, double *median)
{
	double *logs = xcalloc(nh, sizeof(*logs));
	struct stats st;
	int outcome;

	for (size_t i = 0; i < nh; i++)
		logs[i] = log(expected_value(t, history[i], factor));
	stats_compute(logs, nh, &st);
	*median = exp(st.median);
	outcome = outcome_of(c, t, *median, n,
			     stats_outside_prediction(logs, nh, log(n), c->options.history_alpha, prior_var,
						      HISTORY_PRIOR_DF));
	free(logs);
	return outcome;
}

static void judge_history(struct comparison *c, const struct result_table *t, const char *point,
			  const double *history, size_t nh, double n, const struct expectation *e, double prior_var)
{
	double median, at_lo, at_hi;
	int raw = history_outcome(c, t, history, nh, n, 1, prior_var, &median);
	int outcome = beyond_range(history_outcome(c, t, history, nh, n, e->lo, prior_var, &at_lo),
				   history_outcome(c, t, history, nh, n, e->hi, prior_var, &at_hi));
	double expected = e->hi != 1 ? at_hi : at_lo;

	record(c, t, point, median, n, expected, e, outcome, raw, true, "", nh);
}

static int compare_measured(struct comparison *c, const struct result_table *t, struct csv_file *bf,
			    const int *bc, struct csv_file *nf, const int *nc, size_t nkeys, struct ml_error *err)
{
	int bv = csv_column(bf, t->value), nv = csv_column(nf, t->value), rc = 0;
	struct samples bs = { 0 }, ns = { 0 }; /* NS is not opened when BS fails */

	if (bv < 0 || nv < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(bv < 0 ? bf : nf), t->value);
		return -1;
	}
	if (open_samples(t, csv_path(bf), &bs, err) < 0 || open_samples(t, csv_path(nf), &ns, err) < 0)
		rc = -1;
	for (size_t r = 0; rc == 0 && r < csv_rows(bf); r++) {
		long m = find_row(nf, nc, bf, r, bc, nkeys);
		double b = csv_number(bf, r, (size_t)bv), n;
		double *bsamples, *nsamples;
		struct expectation e;
		size_t nb, nn;
		char *point;

		if (m < 0)
			continue;
		n = csv_number(nf, (size_t)m, (size_t)nv);
		if (isnan(b) || isnan(n))
			continue;
		point = point_name(t, bf, r, bc, nkeys);
		e = expect(c, t, point_shape(t, bf, r, bc, nkeys));
		bsamples = point_samples(&bs, bf, r, bc, nkeys, &nb);
		nsamples = point_samples(&ns, nf, (size_t)m, nc, nkeys, &nn);
		judge(c, t, point, b, n, &e, bsamples, nb, nsamples, nn);
		free(bsamples);
		free(nsamples);
		free(point);
	}
	csv_free(bs.file);
	csv_free(ns.file);
	return rc;
}

/* The values of the new run's point ROW over the NBASE base runs BF: how
 * many there are (only positive ones) in HISTORY. */
static size_t point_history(const struct result_table *t, struct csv_file **bf, int **bc, size_t nbase,
			    const struct csv_file *nf, const int *nc, size_t nkeys, size_t row, double *history)
{
	size_t nh = 0;

	for (size_t b = 0; b < nbase; b++) {
		int bv = csv_column(bf[b], t->value);
		long m = find_row(bf[b], bc[b], nf, row, nc, nkeys);
		double v = m < 0 || bv < 0 ? NAN : csv_number(bf[b], (size_t)m, (size_t)bv);

		if (v > 0)
			history[nh++] = v;
	}
	return nh;
}

/* The variance of the logarithm of VALUES. */
static double log_variance(const double *values, size_t n)
{
	double *logs = xcalloc(n, sizeof(*logs));
	struct stats st;

	for (size_t i = 0; i < n; i++)
		logs[i] = log(values[i]);
	stats_compute(logs, n, &st);
	free(logs);
	return st.stddev * st.stddev;
}

/* Each point of the new run against its values in the NBASE base runs
 * BF (those that have it: at least three). */
static int compare_history(struct comparison *c, const struct result_table *t, struct csv_file **bf, int **bc,
			   size_t nbase, struct csv_file *nf, const int *nc, size_t nkeys, struct ml_error *err)
{
	int nv = csv_column(nf, t->value);
	double *history = xcalloc(nbase, sizeof(*history)), *variances, prior;
	size_t nvar = 0;
	struct stats st;

	if (nv < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(nf), t->value);
		free(history);
		return -1;
	}
	/* The table's typical run-to-run variance: the median of its points'. */
	variances = xcalloc(csv_rows(nf) + 1, sizeof(*variances));
	for (size_t r = 0; r < csv_rows(nf); r++) {
		size_t nh = point_history(t, bf, bc, nbase, nf, nc, nkeys, r, history);

		if (nh >= 3)
			variances[nvar++] = log_variance(history, nh);
	}
	stats_compute(variances, nvar, &st);
	prior = nvar ? st.median : 0;
	free(variances);
	for (size_t r = 0; r < csv_rows(nf); r++) {
		double n = csv_number(nf, r, (size_t)nv);
		size_t nh = point_history(t, bf, bc, nbase, nf, nc, nkeys, r, history);
		struct expectation e;
		char *point;

		if (nh < 3 || !(n > 0))
			continue;
		point = point_name(t, nf, r, nc, nkeys);
		e = expect(c, t, point_shape(t, nf, r, nc, nkeys));
		judge_history(c, t, point, history, nh, n, &e, prior);
		free(point);
	}
	free(history);
	return 0;
}

/* A deterministic table: every other column of every shared point must
 * be equal; each cell that is not is one "differs" point. */
static void compare_exact(struct comparison *c, const struct result_table *t, struct csv_file *bf,
			  const int *bc, struct csv_file *nf, const int *nc, size_t nkeys)
{
	for (size_t r = 0; r < csv_rows(bf); r++) {
		long m = find_row(nf, nc, bf, r, bc, nkeys);
		char *point;
		bool differs = false;

		if (m < 0)
			continue;
		point = point_name(t, bf, r, bc, nkeys);
		for (size_t col = 0; col < csv_columns(bf); col++) {
			const char *name = csv_header(bf, col), *b = csv_cell(bf, r, col);
			int ncol = csv_column(nf, name);
			const char *n = ncol < 0 ? "" : csv_cell(nf, (size_t)m, (size_t)ncol);
			char *what;
			char pct[32] = "";

			if (strcmp(b, n) == 0)
				continue;
			if (atof(b) != 0 && ncol >= 0)
				snprintf(pct, sizeof(pct), "%+.1f", (atof(n) - atof(b)) / fabs(atof(b)) * 100);
			what = xasprintf("%s: %s", point, name);
			add_point(c, t, what, b, n, pct, "", "differs");
			c->differs++;
			differs = true;
			free(what);
		}
		if (!differs) {
			add_point(c, t, point, "", "", "", "", "same");
			c->same++;
		}
		free(point);
	}
}

int compare_files(struct comparison *c, const struct result_table *t, const char *const *base, size_t nbase,
		  const char *new, bool found, struct ml_error *err)
{
	struct csv_file **bf = xcalloc(nbase, sizeof(*bf)), *nf = NULL;
	int **bc = xcalloc(nbase, sizeof(*bc)), nc[RESULT_MAX_KEYS], rc = -1;
	size_t nkeys = 0, read = 0;

	for (; read < nbase; read++) {
		bc[read] = xcalloc(RESULT_MAX_KEYS, sizeof(**bc));
		if (!(bf[read] = read_result(base[read], found, err)) || key_columns(t, bf[read], bc[read], &nkeys, err) < 0) {
			read++;
			goto out;
		}
	}
	if (!(nf = read_result(new, found, err)) || key_columns(t, nf, nc, &nkeys, err) < 0)
		goto out;
	rc = 0;
	if (t->value && nbase >= 3)
		rc = compare_history(c, t, bf, bc, nbase, nf, nc, nkeys, err);
	else if (t->value)
		rc = compare_measured(c, t, bf[0], bc[0], nf, nc, nkeys, err);
	else
		compare_exact(c, t, bf[0], bc[0], nf, nc, nkeys);
	/* What one run has and the other has not: against the newest base. */
	if (rc == 0) {
		add_unmatched(c, t, bf[nbase - 1], bc[nbase - 1], nf, nc, nkeys, true);
		add_unmatched(c, t, nf, nc, bf[nbase - 1], bc[nbase - 1], nkeys, false);
	}
out:
	for (size_t b = 0; b < read; b++) {
		csv_free(bf[b]);
		free(bc[b]);
	}
	free(bf);
	free(bc);
	csv_free(nf);
	return rc;
}

int compare_machines(const struct json_value *base, const struct json_value *new, char *buf,
		     size_t len)
{
	static const struct {
		const char *what, *path;
	} fields[] = {
		{ "CPU", "topology.cpu_model" },
		{ "kernel", "host.kernel" },
		{ "architecture", "host.machine" },
		{ "compiler", "build.compiler" },
	};
	const struct json_value *pus_a = json_lookup(base, "topology.pus");
	const struct json_value *pus_b = json_lookup(new, "topology.pus");
	int differ = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *a = json_lookup_string(base, fields[i].path);
		const char *b = json_lookup_string(new, fields[i].path);

		if (!a || !b || strcmp(a, b) == 0)
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s '%s' vs '%s'", differ ? "; " : "",
			 fields[i].what, a, b);
		differ++;
	}
	if (pus_a && pus_b && pus_a->type == JSON_NUMBER && pus_b->type == JSON_NUMBER &&
	    pus_a->number != pus_b->number) {
		snprintf(buf + strlen(buf), len - strlen(buf), "%sPUs %.0f vs %.0f", differ ? "; " : "",
			 pus_a->number, pus_b->number);
		differ++;
	}
	return differ;
}

/* "a virtual machine (KVM)", "bare metal"; NULL when the run does not say. */
static const char *virtualization_of(const struct json_value *run, char *buf, size_t len)
{
	const struct json_value *vm = json_lookup(run, "host.virtualization.virtual_machine");
	const char *hypervisor = json_lookup_string(run, "host.virtualization.hypervisor");

	if (!vm || vm->type != JSON_BOOL)
		return NULL;
	if (!vm->boolean)
		snprintf(buf, len, "bare metal");
	else
		snprintf(buf, len, "a virtual machine (%s)", hypervisor && *hypervisor ? hypervisor : "hypervisor not named");
	return buf;
}

int compare_virtualization(const struct json_value *base, const struct json_value *new, char *buf, size_t len)
{
	char a[96], b[96];

	if (!virtualization_of(base, a, sizeof(a)) || !virtualization_of(new, b, sizeof(b)) || strcmp(a, b) == 0)
		return 0;
	snprintf(buf, len, "the base run was on %s, the new one on %s: a virtual machine's caches and clock are what its hypervisor gives, and other guests take time from it",
		 a, b);
	return 1;
}
