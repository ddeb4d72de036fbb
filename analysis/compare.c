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
	[CMP_DETECTABLE] = { "detectable_pct", "detects", TABLE_RIGHT },
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
	free(c->judged);
	free(c->models);
}

/* A run's file of a result table and where the table's key columns are
 * in it: what names each of its points. */
struct keyed_file {
	struct csv_file *file;
	int keys[RESULT_MAX_KEYS];
};

/* The result table under comparison: the comparison its points go into,
 * the table, and how many key columns name a point (as many in each of
 * its files); a simulator's table: what differs between the simulated
 * machines of its runs, NULL when nothing does. */
struct table_comparison {
	struct comparison *comparison;
	const struct result_table *table;
	size_t nkeys;
	const char *models;
};

/* The base runs' files of a table: N of them, the newest last. */
struct base_runs {
	struct keyed_file *runs;
	size_t n;
};

/* The key columns of T in F's file, into F, or -1 with ERR. */
static int key_columns(const struct result_table *t, struct keyed_file *f, size_t *nkeys, struct ml_error *err)
{
	size_t n = 0;

	for (; t->keys[n]; n++)
		if ((f->keys[n] = csv_column(f->file, t->keys[n])) < 0) {
			ml_error_set(err, "%s: no column '%s'", csv_path(f->file), t->keys[n]);
			return -1;
		}
	*nkeys = n;
	return 0;
}

/* "k1=v1 k2=v2": the point a row is. */
static char *point_name(const struct table_comparison *tc, const struct keyed_file *f, size_t row)
{
	const struct result_table *t = tc->table;
	size_t len = 1;
	char *s;

	for (size_t k = 0; k < tc->nkeys; k++)
		len += strlen(t->keys[k]) + strlen(csv_cell(f->file, row, (size_t)f->keys[k])) + 2;
	s = xcalloc(len, 1);
	for (size_t k = 0; k < tc->nkeys; k++)
		snprintf(s + strlen(s), len - strlen(s), "%s%s=%s", k ? " " : "", t->keys[k],
			 csv_cell(f->file, row, (size_t)f->keys[k]));
	return s;
}

static bool same_point(const struct table_comparison *tc, const struct keyed_file *a, size_t ra,
		       const struct keyed_file *b, size_t rb)
{
	for (size_t k = 0; k < tc->nkeys; k++)
		if (strcmp(csv_cell(a->file, ra, (size_t)a->keys[k]), csv_cell(b->file, rb, (size_t)b->keys[k])) != 0)
			return false;
	return true;
}

/* The row of F for the point ROW of G is, or -1. */
static long find_row(const struct table_comparison *tc, const struct keyed_file *f, const struct keyed_file *g,
		     size_t row)
{
	for (size_t r = 0; r < csv_rows(f->file); r++)
		if (same_point(tc, f, r, g, row))
			return (long)r;
	return -1;
}

/* A row of the points; its p-value and the cells of a measured point wait
 * for record and comparison_finish. */
static void add_point(const struct table_comparison *tc, const char *point, const char *base, const char *new,
		      const char *change, const char *verdict)
{
	struct table *points = tc->comparison->points;

	table_add_row(points);
	table_set(points, CMP_EXPECTED, "", NULL);
	table_set(points, CMP_CONTROL, "", NULL);
	table_set(points, CMP_HISTORY, "", NULL);
	table_set(points, CMP_DETECTABLE, "", NULL);
	table_set(points, CMP_BENCHMARK, tc->table->benchmark, NULL);
	table_set(points, CMP_POINT, point, NULL);
	table_set(points, CMP_BASE, base, NULL);
	table_set(points, CMP_NEW, new, NULL);
	table_set(points, CMP_CHANGE, change, NULL);
	table_set(points, CMP_P, "", NULL);
	table_set(points, CMP_VERDICT, verdict, NULL);
}

/* The points of F that are in no row of G. */
static void add_unmatched(const struct table_comparison *tc, const struct keyed_file *f, const struct keyed_file *g,
			  bool f_is_base)
{
	for (size_t r = 0; r < csv_rows(f->file); r++) {
		char *point;

		if (find_row(tc, g, f, r) >= 0)
			continue;
		point = point_name(tc, f, r);
		add_point(tc, point, f_is_base ? "yes" : "", f_is_base ? "" : "yes", "",
			  f_is_base ? "only in base" : "only in new");
		tc->comparison->unmatched++;
		free(point);
	}
}

/* A point's repetitions: the samples rows with its keys. */
struct samples {
	struct keyed_file keyed; /* file NULL: none */
	int value;
};

/* The repetitions of the point ROW of F: how many, into *N. */
static double *point_samples(const struct table_comparison *tc, const struct samples *s, const struct keyed_file *f,
			     size_t row, size_t *n)
{
	const struct csv_file *sf = s->keyed.file;
	double *v = NULL;

	*n = 0;
	if (!sf)
		return NULL;
	v = xcalloc(csv_rows(sf) + 1, sizeof(*v));
	for (size_t r = 0; r < csv_rows(sf); r++)
		if (same_point(tc, &s->keyed, r, f, row)) {
			double x = csv_number(sf, r, (size_t)s->value);

			if (!isnan(x))
				v[(*n)++] = x;
		}
	return v;
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
	rc = csv_read_optional(sp, dir, &s->keyed.file, err);
	free(sp);
	free(dir);
	if (rc < 0 || (s->keyed.file && key_columns(t, &s->keyed, &nkeys, err) < 0))
		return -1;
	if (!s->keyed.file)
		return 0;
	if ((s->value = csv_column(s->keyed.file, t->value)) < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(s->keyed.file), t->value);
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

/* The logarithm of a value in time terms: above 0 is slower. */
static double log_time(const struct result_table *t, double v)
{
	return t->higher_is_better ? -log(v) : log(v);
}

/* Whether the controls' range is worth saying beside a point. */
static bool adjusted(const struct shift_expectation *e)
{
	return e->moved && (e->lo != 1 || e->hi != 1);
}

/* The factor the controls measured: the end of the range that is not
 * "no change". */
static double predicted(const struct shift_expectation *e)
{
	return e->hi != 1 ? e->hi : e->lo;
}

/* What the controls need of a point: its working set per thread (its
 * size_bytes key, or 0) and its threads (its threads key, or 1).
 * Streaming (non-temporal) stores go to memory whatever the buffer: such a
 * point is the memory's. */
struct point_shape {
	double size;
	unsigned threads;
};

static struct point_shape point_shape(const struct table_comparison *tc, const struct keyed_file *f, size_t row)
{
	const struct result_table *t = tc->table;
	struct point_shape shape = { 0, 1 };
	bool streaming = false;

	for (size_t k = 0; k < tc->nkeys; k++) {
		size_t col = (size_t)f->keys[k];
		const char *cell = csv_cell(f->file, row, col);

		if (strcmp(t->keys[k], "size_bytes") == 0)
			shape.size = csv_number(f->file, row, col);
		else if (strcmp(t->keys[k], "threads") == 0 && csv_number(f->file, row, col) > 1)
			shape.threads = (unsigned)fmin(csv_number(f->file, row, col), UINT_MAX); /* more: as many */
		else if (strcmp(t->keys[k], "op") == 0)
			streaming = strcmp(cell, "stream") == 0;
	}
	if (streaming)
		shape.size = INFINITY;
	return shape;
}

/* The measured tables whose values no control predicts: a figure of the
 * model's error is a ratio of two figures of the same run (the simulated
 * one computed from the run's own measures), which a faster clock or
 * memory moves alike; nothing is expected of it, and a change in it is
 * the model's or the benchmark's, never the machine's. */
static const char *const unshifted_tables[] = { "model-error.csv" };

static bool shifts_with_machine(const struct result_table *t)
{
	for (size_t i = 0; i < sizeof(unshifted_tables) / sizeof(unshifted_tables[0]); i++)
		if (strcmp(unshifted_tables[i], t->file) == 0)
			return false;
	return true;
}

static struct shift_expectation expect(const struct table_comparison *tc, struct point_shape shape)
{
	const struct machine_shift *shift = tc->comparison->shift;
	struct shift_expectation e = { 1, 1, 0, false, "" };

	if (shift && shifts_with_machine(tc->table))
		machine_shift_expect(shift, tc->table->benchmark, shape.size, shape.threads, &e);
	return e;
}

/* A point's value in one run and its repetitions there (NULL, 0: none). */
struct run_point {
	double value;
	const double *reps;
	size_t nreps;
};

/* A measured point under judgement: its name, what the controls expect
 * of it, and what the new run measured. */
struct point_under_judgement {
	const char *name;
	struct shift_expectation expectation;
	struct run_point new;
};

/* Records the measured point P, its verdict left to comparison_finish:
 * base B (what the controls expect is B under their shift), judged
 * against HISTORY runs (0: one base run). */
static struct judged_point *record(const struct table_comparison *tc, const struct point_under_judgement *p, double b,
				   size_t history)
{
	struct comparison *c = tc->comparison;
	const struct result_table *t = tc->table;
	const struct shift_expectation *e = &p->expectation;
	double n = p->new.value, expected = expected_value(t, b, predicted(e));
	char base[32], new[32], pct[32], runs[24] = "";
	struct judged_point *j;

	snprintf(base, sizeof(base), "%.6g", b);
	snprintf(new, sizeof(new), "%.6g", n);
	snprintf(pct, sizeof(pct), "%+.1f", b != 0 ? (n - b) / fabs(b) * 100 : 0);
	if (history)
		snprintf(runs, sizeof(runs), "%zu", history);
	add_point(tc, p->name, base, new, pct, "");
	table_set(c->points, CMP_HISTORY, runs, NULL);
	c->judged = xrealloc(c->judged, c->njudged + 1, sizeof(*c->judged));
	j = &c->judged[c->njudged++];
	memset(j, 0, sizeof(*j));
	if (e->lo != 1 || e->hi != 1)
		snprintf(j->expected, sizeof(j->expected), "%.6g", expected);
	j->control = e->control;
	j->table = t;
	j->lo = log(e->lo);
	j->hi = log(e->hi);
	if (adjusted(e)) {
		table_set(c->points, CMP_EXPECTED, j->expected, NULL);
		table_set(c->points, CMP_CONTROL, e->control, NULL);
	}
	j->row = table_rows(c->points) - 1;
	j->margin = log1p(c->options.threshold_pct / 100);
	c->history_points += history > 0;
	return j;
}

/* What Yuen's test drops of each run's repetitions at either end: one of
 * five to nine, so that a repetition an interrupt slowed decides nothing;
 * two or more apart make a point bimodal instead. */
#define TRIM 0.2

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* How far the log ratio D lies beyond the range LO to HI: 0 within it. */
static double residual(double d, double lo, double hi)
{
	return d > hi ? d - hi : d < lo ? d - lo : 0;
}

/* Whether J's new repetitions all lie beyond the base's, scaled to the
 * far end of the range LO to HI, on the side of DIRECTION. */
static bool apart(const struct judged_point *j, double lo, double hi, int direction)
{
	if (!j->overlap_known)
		return true;
	return direction > 0 ? j->new_low > j->base_high + hi : j->new_high < j->base_low + lo;
}

/* The p-value of J's change lying beyond the range LO to HI (log factors)
 * by more than its margin: Student's t of the distance past the margin,
 * one side, the side it lies on. A valid p-value for "the change is
 * within the margin" (at a change of exactly the margin it errs at its
 * level). A change whose repetitions overlap the base's gets 1: a machine
 * with modes (a thread's PU shared or not, a cache's share taken or not)
 * puts a repetition in the other mode now and then before a whole run
 * lands there, which no test on a handful of repetitions models; a steady
 * point's repetitions spread a few percent, and cost a change of 25%
 * nothing. *DIRECTION: which side, 0 within the range. */
static double beyond_p(const struct judged_point *j, double lo, double hi, int *direction)
{
	double r = residual(j->d, lo, hi);

	*direction = r > 0 ? 1 : r < 0 ? -1 : 0;
	if (fabs(r) <= j->margin || !apart(j, lo, hi, *direction))
		return 1;
	return j->se > 0 ? stats_t_upper((fabs(r) - j->margin) / j->se, j->df) : 0;
}

/* The lowest and highest of N log values X that Yuen's test keeps, into
 * *LOW and *HIGH, or as far as they already are. */
static void kept_range(const double *x, size_t n, double *low, double *high)
{
	double *sorted = xcalloc(n + 1, sizeof(*sorted));
	size_t g = (size_t)(TRIM * (double)n);

	memcpy(sorted, x, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_value);
	*low = fmin(*low, sorted[g]);
	*high = fmax(*high, sorted[n - 1 - g]);
	free(sorted);
}

/* The logarithms of N values, in time terms. */
static double *log_times(const struct result_table *t, const double *v, size_t n)
{
	double *logs = xcalloc(n + 1, sizeof(*logs));

	for (size_t i = 0; i < n; i++)
		logs[i] = log_time(t, v[i]);
	return logs;
}

/* Fewer repetitions than this in either run: no test. */
#define MIN_REPETITIONS 2

/* Whether every one of N values is positive (a logarithm's). */
static bool all_positive(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(v[i] > 0))
			return false;
	return true;
}

/* A point against one base run: Yuen's t on the logarithms of the two
 * runs' repetitions (runs vary by factors, not by amounts), the change
 * taken beyond the range the controls measured around the point's own
 * stage, and the uncertainty of that range (how far the control moved
 * across the stage) added to the repetitions' own. A point whose
 * repetitions fall in two groups in either run is at the edge of a cache
 * (or of a neighbour's share of one): it is edge-sensitive, not judged. */
static struct judged_point *judge(const struct table_comparison *tc, const struct point_under_judgement *p,
				  const struct run_point *base)
{
	const struct result_table *t = tc->table;
	const double *bs = base->reps, *ns = p->new.reps;
	size_t nb = base->nreps, nn = p->new.nreps;
	struct judged_point *j = record(tc, p, base->value, 0);
	double *lb, *ln;
	struct stats_two_sample w;

	if (!all_positive(bs, nb) || !all_positive(ns, nn) || nb < MIN_REPETITIONS || nn < MIN_REPETITIONS) {
		j->state = POINT_UNTESTED;
		return j;
	}
	if (stats_bimodal(bs, nb) || stats_bimodal(ns, nn)) {
		j->state = POINT_EDGE;
		return j;
	}
	lb = log_times(t, bs, nb);
	ln = log_times(t, ns, nn);
	stats_yuen(lb, nb, ln, nn, TRIM, &w);
	j->base_low = j->new_low = INFINITY;
	j->base_high = j->new_high = -INFINITY;
	kept_range(lb, nb, &j->base_low, &j->base_high);
	kept_range(ln, nn, &j->new_low, &j->new_high);
	j->overlap_known = true;
	j->pairwise = true;
	j->d = w.diff;
	j->own_var = w.se * w.se;
	j->se = sqrt(j->own_var + p->expectation.wander * p->expectation.wander);
	j->df = w.df;
	free(lb);
	free(ln);
	return j;
}

/* The tables whose points say whether each meets a target of its own
 * ("yes" or "no"), and the column that says it: the model's error, whose
 * figures have repetitions only where their measure had them. */
static const struct {
	const char *file, *column;
} targets[] = {
	{ "model-error.csv", "met" },
};

static const char *target_column(const struct result_table *t)
{
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].file, t->file) == 0)
			return targets[i].column;
	return NULL;
}

/* The untested point J, B in the row BR of BASE and N in the row NR of
 * NEW, of a table with a target: past the target in the new run where the
 * base met it, by a change beyond the threshold, it is a regression the
 * target makes plain without a test (the other way, an improvement). A
 * change within the threshold, or one on the same side of the target,
 * stays untested: near its target a figure crosses it with the noise of
 * its measure, and beyond it that noise is all a change may be. */
static void judge_target(const struct table_comparison *tc, const struct keyed_file *base, size_t br,
			 const struct keyed_file *new, size_t nr, double b, double n, struct judged_point *j)
{
	const char *column = target_column(tc->table), *was, *is;
	int bc = column ? csv_column(base->file, column) : -1, nc = column ? csv_column(new->file, column) : -1;
	double d;

	if (bc < 0 || nc < 0 || !(b > 0) || !(n > 0))
		return;
	was = csv_cell(base->file, br, (size_t)bc);
	is = csv_cell(new->file, nr, (size_t)nc);
	d = log_time(tc->table, n) - log_time(tc->table, b);
	if (strcmp(was, "yes") == 0 && strcmp(is, "no") == 0 && d > j->margin)
		j->direction = 1;
	else if (strcmp(was, "no") == 0 && strcmp(is, "yes") == 0 && d < -j->margin)
		j->direction = -1;
	else
		return;
	j->d = d;
	j->state = POINT_TARGET;
}

/* Fewer points of a table than this say too little of their scatter:
 * a point's peers are itself and this many others. */
#define SCATTER_MIN_POINTS 8

struct ranked {
	double spread;
	size_t index;
};

static int by_spread(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->spread != y->spread)
		return (x->spread > y->spread) - (x->spread < y->spread);
	return (x->index > y->index) - (x->index < y->index);
}

/* N points in the order of their own spread SPREAD (their repetitions'
 * variance; ties in their own order): their indices, into ORDER. */
static void order_by_spread(const double *spread, size_t n, size_t *order)
{
	struct ranked *r = xcalloc(n + 1, sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ spread[i], i };
	qsort(r, n, sizeof(*r), by_spread);
	for (size_t i = 0; i < n; i++)
		order[i] = r[i].index;
	free(r);
}

/* The points like the one at position POS of a table's N in the order of
 * their spread: what other runs did at points like it says what they may
 * do at it. Points differ most in how steady they are (a point inside a
 * cache repeats within 1%, one at a cache's edge jumps by factors between
 * runs): the point and the SCATTER_MIN_POINTS others nearest it in that
 * order (all N, when fewer), as centred on it as the ends allow. Returns
 * how many, from position *FIRST. */
static size_t peers_of(size_t n, size_t pos, size_t *first)
{
	size_t want = n < SCATTER_MIN_POINTS + 1 ? n : SCATTER_MIN_POINTS + 1;

	*first = pos > want / 2 ? pos - want / 2 : 0;
	*first = *first + want > n ? n - want : *first;
	return want;
}

/* How much the spread over the history of the points like one (see
 * peers_of) tells about its own: worth as many degrees of freedom as four
 * more runs of it. Even alike points differ in noise, so no more. */
#define HISTORY_PRIOR_DF 4.0

/* What the history runs' repetitions of a point say: the mean squared
 * standard error of a run's value from its repetitions alone, and the
 * lowest and highest repetition Yuen's test keeps of any run (log, time
 * terms); RUNS: how many runs had repetitions (0: nothing is known). */
struct repetitions {
	double var, lowest, highest;
	size_t runs;
};

/* What the history says of a point: its values over the base runs (only
 * positive ones), the run-to-run variance of the points like it, and what
 * the runs' repetitions of it say. */
struct point_past {
	const double *values;
	size_t n;
	double prior_var;
	const struct repetitions *reps;
};

/* The new value of P against its history PAST: the logarithms of the
 * history's values (runs vary by factors, not by amounts) predict the new
 * one, their variance moderated by the prior (that of points like it) and
 * at least what the runs' repetitions alone would give it. The change is
 * taken beyond the range the controls measured around the stage, and
 * beyond every repetition of the history (see beyond_p). The new run's
 * own repetitions add what they scatter beyond the history's runs: a
 * history of steady runs says nothing of a new one whose repetitions
 * scatter (a machine that starved it); so does how far the controls
 * moved across the new run's stage. A point whose new repetitions fall in
 * two groups is edge-sensitive. */
static void judge_history(const struct table_comparison *tc, const struct point_under_judgement *p,
			  const struct point_past *past)
{
	const struct result_table *t = tc->table;
	const double *history = past->values, *ns = p->new.reps;
	size_t nh = past->n, nn = p->new.nreps;
	const struct repetitions *r = past->reps;
	const struct shift_expectation *e = &p->expectation;
	double *logs = log_times(t, history, nh), median;
	struct stats_prediction pr;
	struct judged_point *j;
	struct stats st;

	stats_compute(history, nh, &st);
	median = st.median;
	j = record(tc, p, median, nh);
	if (stats_bimodal(ns, nn))
		j->state = POINT_EDGE;
	else if (stats_predict(logs, nh, past->prior_var, HISTORY_PRIOR_DF, &pr) < 0)
		j->state = POINT_UNTESTED;
	else {
		double *ln = log_times(t, ns, nn), extra = 0;
		double q = fmax(pr.se * pr.se, r->var * (1 + 1.0 / (double)nh));
		struct stats_estimate own = { 0, 0, 1 };

		if (nn >= MIN_REPETITIONS && all_positive(ns, nn)) {
			stats_trimmed_mean(ln, nn, TRIM, &own);
			extra = fmax(0, own.se * own.se - r->var);
			j->new_low = INFINITY;
			j->new_high = -INFINITY;
			kept_range(ln, nn, &j->new_low, &j->new_high);
			j->base_low = r->lowest;
			j->base_high = r->highest;
			j->overlap_known = r->highest >= r->lowest;
		}
		free(ln);
		/* Welch-Satterthwaite: the two variances' degrees of freedom
		 * (the machine's wander around the stage taken as known). */
		j->se = sqrt(q + extra + e->wander * e->wander);
		j->df = j->se > 0 ? pow(j->se, 4) / (q * q / pr.df + extra * extra / own.df) : pr.df;

		j->d = log_time(t, p->new.value) - pr.mean;
	}
	free(logs);
}

/* Each point of the new run NEW against its value in the one base run
 * BASE. */
static int compare_measured(const struct table_comparison *tc, const struct keyed_file *base,
			    const struct keyed_file *new, struct ml_error *err)
{
	const struct result_table *t = tc->table;
	const struct csv_file *bf = base->file, *nf = new->file;
	int bv = csv_column(bf, t->value), nv = csv_column(nf, t->value), rc = 0;
	struct samples bs = { 0 }, ns = { 0 }; /* NS is not opened when BS fails */

	if (bv < 0 || nv < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(bv < 0 ? bf : nf), t->value);
		return -1;
	}
	if (open_samples(t, csv_path(bf), &bs, err) < 0 || open_samples(t, csv_path(nf), &ns, err) < 0)
		rc = -1;
	for (size_t r = 0; rc == 0 && r < csv_rows(bf); r++) {
		long m = find_row(tc, new, base, r);
		double b = csv_number(bf, r, (size_t)bv), n;
		double *bsamples, *nsamples;
		struct shift_expectation e;
		struct judged_point *j;
		size_t nb, nn;
		char *point;

		if (m < 0)
			continue;
		n = csv_number(nf, (size_t)m, (size_t)nv);
		if (isnan(b) || isnan(n))
			continue;
		point = point_name(tc, base, r);
		e = expect(tc, point_shape(tc, base, r));
		bsamples = point_samples(tc, &bs, base, r, &nb);
		nsamples = point_samples(tc, &ns, new, (size_t)m, &nn);
		j = judge(tc, &(struct point_under_judgement){ point, e, { n, nsamples, nn } },
			  &(struct run_point){ b, bsamples, nb });
		if (j->state == POINT_UNTESTED)
			judge_target(tc, base, r, new, (size_t)m, b, n, j);
		free(bsamples);
		free(nsamples);
		free(point);
	}
	csv_free(bs.keyed.file);
	csv_free(ns.keyed.file);
	return rc;
}

/* The values of the point ROW of the new run NEW over the base runs
 * BASE: how many there are (only positive ones) in HISTORY. */
static size_t point_history(const struct table_comparison *tc, const struct base_runs *base,
			    const struct keyed_file *new, size_t row, double *history)
{
	size_t nh = 0;

	for (size_t b = 0; b < base->n; b++) {
		const struct keyed_file *run = &base->runs[b];
		int bv = csv_column(run->file, tc->table->value);
		long m = find_row(tc, run, new, row);
		double v = m < 0 || bv < 0 ? NAN : csv_number(run->file, (size_t)m, (size_t)bv);

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

/* The repetitions of the point ROW of the new run NEW in the NBASE runs'
 * samples BS (those with two or more): the mean squared standard error of
 * their trimmed means (Yuen's), and the lowest and highest each keeps
 * (none: lowest above highest). */
static struct repetitions history_repetitions(const struct table_comparison *tc, const struct samples *bs,
					      size_t nbase, const struct keyed_file *new, size_t row)
{
	struct repetitions r = { 0, INFINITY, -INFINITY, 0 };

	for (size_t b = 0; b < nbase; b++) {
		size_t n;
		double *v = point_samples(tc, &bs[b], new, row, &n);

		if (n >= MIN_REPETITIONS && all_positive(v, n)) {
			double *logs = log_times(tc->table, v, n);
			struct stats_estimate e;

			stats_trimmed_mean(logs, n, TRIM, &e);
			r.var += e.se * e.se;
			r.runs++;
			kept_range(logs, n, &r.lowest, &r.highest);
			free(logs);
		}
		free(v);
	}
	r.var = r.runs ? r.var / (double)r.runs : 0;
	return r;
}

/* The typical run-to-run variance of the points like each of a table's
 * N, into PRIOR: the median of VARIANCES (NaN: not known) over its peers
 * by the spread of the history's repetitions REPS (see peers_of); a point
 * whose repetitions are not known is like any: the whole table's. */
static void priors_of(const double *variances, const struct repetitions *reps, size_t n, double *prior)
{
	double *spread = xcalloc(n + 1, sizeof(*spread)), *v = xcalloc(n + 1, sizeof(*v)), all;
	size_t *member = xcalloc(n + 1, sizeof(*member)), *order = xcalloc(n + 1, sizeof(*order)), m = 0, known = 0;
	struct stats st;

	for (size_t r = 0; r < n; r++)
		if (!isnan(variances[r]))
			v[m++] = variances[r];
	stats_compute(v, m, &st);
	all = m ? st.median : 0;
	for (size_t r = 0; r < n; r++) {
		prior[r] = all;
		if (!isnan(variances[r]) && reps[r].runs > 0) {
			member[known] = r;
			spread[known++] = reps[r].var;
		}
	}
	order_by_spread(spread, known, order);
	for (size_t pos = 0; pos < known; pos++) {
		size_t first, np = peers_of(known, pos, &first);

		for (size_t p = 0; p < np; p++)
			v[p] = variances[member[order[first + p]]];
		stats_compute(v, np, &st);
		prior[member[order[pos]]] = st.median;
	}
	free(spread);
	free(v);
	free(member);
	free(order);
}

/* Each point of the new run NEW against its values in the base runs
 * BASE (those that have it: at least three). */
static int compare_history(const struct table_comparison *tc, const struct base_runs *base,
			   const struct keyed_file *new, struct ml_error *err)
{
	const struct result_table *t = tc->table;
	const struct csv_file *nf = new->file;
	size_t nbase = base->n;
	int nv = csv_column(nf, t->value), rc = 0;
	double *history = xcalloc(nbase, sizeof(*history)), *variances = NULL, *priors = NULL;
	struct samples ns = { 0 }, *bs = xcalloc(nbase, sizeof(*bs));
	struct repetitions *reps = NULL;
	size_t opened = 0;

	if (nv < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(nf), t->value);
		rc = -1;
	}
	if (rc == 0 && open_samples(t, csv_path(nf), &ns, err) < 0)
		rc = -1;
	for (; rc == 0 && opened < nbase; opened++)
		if (open_samples(t, csv_path(base->runs[opened].file), &bs[opened], err) < 0)
			rc = -1;
	if (rc < 0)
		goto out;
	/* Each point's run-to-run variance and repetitions, for its peers. */
	variances = xcalloc(csv_rows(nf) + 1, sizeof(*variances));
	reps = xcalloc(csv_rows(nf) + 1, sizeof(*reps));
	for (size_t r = 0; r < csv_rows(nf); r++) {
		size_t nh = point_history(tc, base, new, r, history);

		variances[r] = nh >= 3 ? log_variance(history, nh) : NAN;
		reps[r] = history_repetitions(tc, bs, nbase, new, r);
	}
	priors = xcalloc(csv_rows(nf) + 1, sizeof(*priors));
	priors_of(variances, reps, csv_rows(nf), priors);
	for (size_t r = 0; r < csv_rows(nf); r++) {
		double n = csv_number(nf, r, (size_t)nv), *nsamples;
		size_t nh = point_history(tc, base, new, r, history), nn;
		struct shift_expectation e;
		char *point;

		if (nh < 3 || !(n > 0))
			continue;
		point = point_name(tc, new, r);
		e = expect(tc, point_shape(tc, new, r));
		nsamples = point_samples(tc, &ns, new, r, &nn);
		judge_history(tc, &(struct point_under_judgement){ point, e, { n, nsamples, nn } },
			      &(struct point_past){ history, nh, priors[r], &reps[r] });
		free(nsamples);
		free(point);
	}
out:
	/* A samples file that failed to open holds nothing. */
	for (size_t b = 0; b < opened; b++)
		csv_free(bs[b].keyed.file);
	free(bs);
	free(variances);
	free(priors);
	free(reps);
	csv_free(ns.keyed.file);
	free(history);
	return rc;
}

/* The columns of a simulator's table that name, not measure: the run
 * 'sim --machine' read its machine from, as it was given (the machine
 * itself is compared as a whole: sim-machine.csv). */
static const char *const label_columns[] = { "machine" };

static bool label_column(const char *name)
{
	for (size_t i = 0; i < sizeof(label_columns) / sizeof(label_columns[0]); i++)
		if (strcmp(label_columns[i], name) == 0)
			return true;
	return false;
}

/* A deterministic table: every other column of every shared point but its
 * labels must be equal; each cell that is not is one "differs" point. */
static void compare_exact(const struct table_comparison *tc, const struct keyed_file *base,
			  const struct keyed_file *new)
{
	struct comparison *c = tc->comparison;
	const struct csv_file *bf = base->file, *nf = new->file;

	for (size_t r = 0; r < csv_rows(bf); r++) {
		long m = find_row(tc, new, base, r);
		char *point;
		bool differs = false;

		if (m < 0)
			continue;
		point = point_name(tc, base, r);
		for (size_t col = 0; col < csv_columns(bf); col++) {
			const char *name = csv_header(bf, col), *b = csv_cell(bf, r, col);
			int ncol = csv_column(nf, name);
			const char *n = ncol < 0 ? "" : csv_cell(nf, (size_t)m, (size_t)ncol);
			char *what;
			char pct[32] = "";

			if (strcmp(b, n) == 0 || label_column(name))
				continue;
			if (atof(b) != 0 && ncol >= 0)
				snprintf(pct, sizeof(pct), "%+.1f", (atof(n) - atof(b)) / fabs(atof(b)) * 100);
			what = xasprintf("%s: %s", point, name);
			if (tc->models) {
				add_point(tc, what, b, n, pct, "model differs");
				table_set(c->points, CMP_CONTROL, tc->models, NULL);
				c->model_differs++;
			} else {
				add_point(tc, what, b, n, pct, "differs");
				c->differs++;
			}
			differs = true;
			free(what);
		}
		if (!differs) {
			add_point(tc, point, "", "", "", "same");
			c->same++;
		}
		free(point);
	}
}

/* The parts a model has at most: a sim-machine.csv holds a dozen. */
#define MODEL_MAX_PARTS 256
/* The parts that differ said at most; the rest counted. */
#define MODEL_PARTS_SAID 8

/* A run's simulated machine: the sim-machine.csv beside one of its result
 * files, and its columns part and value (its from and source say where a
 * value came from, in words, which is no part of the machine). FILE
 * NULL: there is none, the simulator's defaults. */
struct sim_model {
	struct csv_file *file;
	int part, value;
};

/* The model beside the result file RESULT into M; 0, or -1 with ERR. */
static int read_model(const char *result, struct sim_model *m, struct ml_error *err)
{
	char *dir = directory_of(result), *path = xasprintf("%s/sim-machine.csv", dir);
	int rc = csv_read_optional(path, dir, &m->file, err);

	free(path);
	free(dir);
	if (rc < 0 || !m->file)
		return rc;
	m->part = csv_column(m->file, "part");
	m->value = csv_column(m->file, "value");
	if (m->part < 0 || m->value < 0) {
		ml_error_set(err, "%s: no column '%s'", csv_path(m->file), m->part < 0 ? "part" : "value");
		return -1;
	}
	if (csv_rows(m->file) > MODEL_MAX_PARTS) {
		ml_error_set(err, "%s: %zu parts, more than a model has (%d)", csv_path(m->file), csv_rows(m->file),
			     MODEL_MAX_PARTS);
		return -1;
	}
	return 0;
}

/* The row of PART in M (its first), or -1. */
static long model_row(const struct sim_model *m, const char *part)
{
	for (size_t r = 0; r < csv_rows(m->file); r++)
		if (strcmp(csv_cell(m->file, r, (size_t)m->part), part) == 0)
			return (long)r;
	return -1;
}

/* The parts of A that B has not, or with another value, said into S as
 * "part a -> b" (B's part absent: "none"); FLIP: A is the new run's,
 * said the other way round, and only its parts B lacks (those both have
 * were said from B). *N: how many parts differ, counted on. */
static void model_parts_differ(const struct sim_model *a, const struct sim_model *b, bool flip, char **s, size_t *n)
{
	for (size_t r = 0; r < csv_rows(a->file); r++) {
		const char *part = csv_cell(a->file, r, (size_t)a->part), *va = csv_cell(a->file, r, (size_t)a->value);
		long o = model_row(b, part);
		const char *vb = o < 0 ? "none" : csv_cell(b->file, (size_t)o, (size_t)b->value);
		char *more;

		if (model_row(a, part) != (long)r || (o >= 0 && (flip || strcmp(va, vb) == 0)))
			continue; /* said at its first row, or the same */
		if ((*n)++ >= MODEL_PARTS_SAID)
			continue;
		more = xasprintf("%s%s%s %s -> %s", *s, **s ? "; " : "", part, flip ? vb : va, flip ? va : vb);
		free(*s);
		*s = more;
	}
}

/* What differs between the simulated machines of the result files BASE
 * and NEW (the sim-machine.csv beside each): NULL when nothing does or
 * neither has one (the simulator's defaults both), else said in words
 * ("l2 1048576:16:64 -> 2097152:16:64; c2c 64 -> 71"); -1 in *RC with ERR
 * when a model cannot be read. */
static char *models_differ(const char *base, const char *new, int *rc, struct ml_error *err)
{
	struct sim_model a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	char *said = NULL;

	*rc = read_model(base, &a, err) < 0 || read_model(new, &b, err) < 0 ? -1 : 0;
	if (*rc == 0 && (a.file || b.file)) {
		if (!a.file || !b.file) {
			said = xasprintf("only the %s run has a sim-machine.csv: the other's simulation does not say "
					 "its machine", a.file ? "base" : "new");
		} else {
			size_t n = 0;

			said = xstrdup("");
			model_parts_differ(&a, &b, false, &said, &n);
			model_parts_differ(&b, &a, true, &said, &n);
			if (n > MODEL_PARTS_SAID) {
				char *more = xasprintf("%s; %zu parts more", said, n - MODEL_PARTS_SAID);

				free(said);
				said = more;
			} else if (n == 0) {
				free(said);
				said = NULL;
			}
		}
	}
	csv_free(a.file);
	csv_free(b.file);
	return said;
}

int compare_files(struct comparison *c, const struct result_table *t, const char *const *base, size_t nbase,
		  const char *new, bool found, struct ml_error *err)
{
	struct table_comparison tc = { c, t, 0, NULL };
	char *models = NULL;
	struct base_runs base_files = { xcalloc(nbase, sizeof(*base_files.runs)), nbase };
	struct keyed_file new_file = { NULL, { 0 } };
	int rc = -1;

	for (size_t b = 0; b < nbase; b++)
		if (!(base_files.runs[b].file = read_result(base[b], found, err)) ||
		    key_columns(t, &base_files.runs[b], &tc.nkeys, err) < 0)
			goto out;
	if (!(new_file.file = read_result(new, found, err)) || key_columns(t, &new_file, &tc.nkeys, err) < 0)
		goto out;
	/* A simulator's figures follow the machine simulated: compared with
	 * the base whose table they are compared with. */
	if (!t->value && (models = models_differ(base[0], new, &rc, err), rc < 0))
		goto out;
	if (models && !c->models)
		c->models = xstrdup(models);
	tc.models = models;
	rc = 0;
	if (t->value && nbase >= 3)
		rc = compare_history(&tc, &base_files, &new_file, err);
	else if (t->value)
		rc = compare_measured(&tc, &base_files.runs[0], &new_file, err);
	else
		compare_exact(&tc, &base_files.runs[0], &new_file);
	/* What one run has and the other has not: against the newest base. */
	if (rc == 0) {
		const struct keyed_file *newest = &base_files.runs[nbase - 1];

		add_unmatched(&tc, newest, &new_file, true);
		add_unmatched(&tc, &new_file, newest, false);
	}
out:
	/* The runs not read hold NULL. */
	for (size_t b = 0; b < nbase; b++)
		csv_free(base_files.runs[b].file);
	free(base_files.runs);
	csv_free(new_file.file);
	free(models);
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

/* A point that no test could call is "within noise" only when it could
 * have seen a change this many times the threshold. */
#define SEES_THRESHOLDS 2
/* "cannot see changes under 1000%" says it of any larger figure too. */
#define BLIND_MAX_PCT 1000.0

/* The cells comparison_finish gives a judged row. */
struct verdict_cells {
	char verdict[64], p[32], detectable[32];
	const char *expected, *control; /* NULL: as recorded */
};

/* The points again, with the cells of the judged rows set (a table's
 * cells are set on its last row only). */
static void set_verdicts(struct comparison *c, const struct verdict_cells *cells)
{
	struct table *t = table_new(columns, CMP_NCOLUMNS);

	for (size_t r = 0, j = 0; r < table_rows(c->points); r++) {
		bool judged = j < c->njudged && c->judged[j].row == r;

		table_add_row(t);
		for (size_t col = 0; col < CMP_NCOLUMNS; col++)
			table_set(t, col, table_get(c->points, r, col), NULL);
		if (judged) {
			table_set(t, CMP_VERDICT, cells[j].verdict, NULL);
			table_set(t, CMP_P, cells[j].p, NULL);
			table_set(t, CMP_DETECTABLE, cells[j].detectable, NULL);
			if (cells[j].expected) {
				table_set(t, CMP_EXPECTED, cells[j].expected, NULL);
				table_set(t, CMP_CONTROL, cells[j].control, NULL);
			}
			j++;
		}
	}
	table_free(c->points);
	c->points = t;
}

/* Against one base run: each point's standard error widened by how far
 * apart the two runs put the points like it (see peers_of) beyond what
 * their repetitions and the controls say: the variance of their residual
 * changes (robustly: 1.4826 times the median distance from their median
 * change, which a few points that really changed, or all of them by one
 * amount, do not move), less the median of their own squared standard
 * errors. Two runs land points apart by more than their repetitions show
 * (pages placed otherwise, a thread on another core), which a history
 * measures point by point and a pair of runs only shows across many
 * points at once. The points like it, not the whole table: points at a
 * cache's edge scatter between runs by factors, and would blind a steady
 * point of their table to any change. */
static void add_scatter(struct comparison *c)
{
	double *excess = xcalloc(c->njudged + 1, sizeof(*excess)), *from = xcalloc(c->njudged + 1, sizeof(*from));
	double *spread = xcalloc(c->njudged + 1, sizeof(*spread)), *r = xcalloc(c->njudged + 1, sizeof(*r));
	double *q = xcalloc(c->njudged + 1, sizeof(*q));
	size_t *member = xcalloc(c->njudged + 1, sizeof(*member)), *order = xcalloc(c->njudged + 1, sizeof(*order));
	bool *seen = xcalloc(c->njudged + 1, sizeof(*seen));

	/* Table by table, every point's before any is widened: a point's
	 * widening would change what its peers see. */
	for (size_t i = 0; i < c->njudged; i++) {
		const struct judged_point *j = &c->judged[i];
		size_t n = 0;

		if (j->state != POINT_TESTED || !j->pairwise || seen[i])
			continue;
		for (size_t k = i; k < c->njudged; k++) {
			const struct judged_point *o = &c->judged[k];

			if (o->state == POINT_TESTED && o->pairwise && o->table == j->table) {
				seen[k] = true;
				member[n] = k;
				spread[n++] = o->own_var;
			}
		}
		if (n < SCATTER_MIN_POINTS)
			continue;
		order_by_spread(spread, n, order);
		for (size_t pos = 0; pos < n; pos++) {
			size_t first, m = peers_of(n, pos, &first);
			struct stats st, sq;

			for (size_t p = 0; p < m; p++) {
				const struct judged_point *o = &c->judged[member[order[first + p]]];

				r[p] = residual(o->d, o->lo, o->hi);
				q[p] = o->se * o->se;
			}
			stats_compute(r, m, &st);
			stats_compute(q, m, &sq);
			excess[member[order[pos]]] = fmax(0, pow(1.4826 * st.mad, 2) - sq.median);
			from[member[order[pos]]] = (double)m;
		}
	}
	for (size_t i = 0; i < c->njudged; i++) {
		struct judged_point *j = &c->judged[i];
		double var = j->se * j->se + excess[i];

		if (j->state != POINT_TESTED || !j->pairwise)
			continue;
		/* Welch-Satterthwaite: the scatter, from several points, is
		 * known better than a point's own spread. What judge gave the
		 * point (its repetitions' spread and the controls' wander)
		 * keeps the repetitions' degrees of freedom, as it had without
		 * scatter: a little scatter must not make a point surer. */
		if (excess[i] > 0)
			j->df = var * var / (pow(j->se, 4) / j->df + excess[i] * excess[i] / (from[i] - 1));
		j->se = sqrt(var);
	}
	free(excess);
	free(from);
	free(spread);
	free(r);
	free(q);
	free(member);
	free(order);
	free(seen);
}

void comparison_finish(struct comparison *c)
{
	double *p = xcalloc(c->njudged + 1, sizeof(*p)), *adjusted = xcalloc(c->njudged + 1, sizeof(*adjusted));
	struct verdict_cells *cells = xcalloc(c->njudged + 1, sizeof(*cells));
	double alpha = c->history_points ? c->options.history_alpha : c->options.alpha;
	size_t m = 0;

	add_scatter(c);
	for (size_t i = 0; i < c->njudged; i++) {
		struct judged_point *j = &c->judged[i];

		if (j->state != POINT_TESTED)
			continue;
		j->p = beyond_p(j, j->lo, j->hi, &j->direction);
		j->raw_p = beyond_p(j, 0, 0, &j->raw_direction);
		p[m++] = j->p;
	}
	stats_holm(p, m, adjusted);
	c->tested = m;
	for (size_t i = 0, k = 0; i < c->njudged; i++) {
		const struct judged_point *j = &c->judged[i];
		struct verdict_cells *out = &cells[i];
		double detectable;

		if (j->state == POINT_EDGE) {
			snprintf(out->verdict, sizeof(out->verdict), "edge-sensitive");
			c->edge++;
			continue;
		}
		if (j->state == POINT_UNTESTED) {
			snprintf(out->verdict, sizeof(out->verdict), "too few repetitions");
			c->untested++;
			continue;
		}
		if (j->state == POINT_TARGET) {
			snprintf(out->verdict, sizeof(out->verdict), "%s",
				 j->direction > 0 ? "target missed" : "target met");
			c->target_missed += j->direction > 0;
			c->target_met += j->direction < 0;
			continue;
		}
		/* The smallest change a lone point could show and survive the
		 * rule: its own test at alpha / m, the first step of Holm's. */
		detectable = expm1(j->margin + (j->se > 0 ? stats_t_critical(alpha / (double)m, j->df) * j->se : 0)) * 100;
		if (adjusted[k] <= alpha && j->direction) {
			snprintf(out->verdict, sizeof(out->verdict), "%s", j->direction > 0 ? "slower" : "faster");
			c->slower += j->direction > 0;
			c->faster += j->direction < 0;
		} else if (j->raw_p * (double)m <= alpha && j->raw_direction) {
			snprintf(out->verdict, sizeof(out->verdict), "%s",
				 j->raw_direction > 0 ? "machine-slower" : "machine-faster");
			out->expected = j->expected;
			out->control = j->control;
			c->machine++;
		} else if (detectable <= SEES_THRESHOLDS * c->options.threshold_pct) {
			snprintf(out->verdict, sizeof(out->verdict), "within noise");
			c->within_noise++;
		} else {
			snprintf(out->verdict, sizeof(out->verdict), "cannot see changes under %.0f%%",
				 fmin(ceil(detectable), BLIND_MAX_PCT));
			c->blind++;
		}
		snprintf(out->p, sizeof(out->p), "%.3g", adjusted[k++]);
		snprintf(out->detectable, sizeof(out->detectable), "%.1f", detectable);
	}
	set_verdicts(c, cells);
	free(p);
	free(adjusted);
	free(cells);
}
