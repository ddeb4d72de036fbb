#include <config.h>

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

/* Opens the samples file beside PATH, with its key and value columns;
 * a missing file only means no samples. */
static int open_samples(const struct result_table *t, const char *path, struct samples *s,
			struct ml_error *err)
{
	const char *slash = strrchr(path, '/');
	char *sp = slash ? xasprintf("%.*s/%s", (int)(slash - path), path, t->samples)
			 : xstrdup(t->samples);
	size_t nkeys;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = csv_read_optional(sp, &s->file, err);
	free(sp);
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

static void judge(struct comparison *c, const struct result_table *t, const char *point, double b,
		  double n, const double *bs, size_t nb, const double *ns, size_t nn)
{
	double change = b != 0 ? (n - b) / fabs(b) * 100 : 0;
	bool worse = t->higher_is_better ? n < b : n > b, sampled = nb && nn;
	double p = sampled ? stats_mann_whitney_p(bs, nb, ns, nn) : NAN;
	/* With few repetitions the test cannot reach ALPHA at all (3 against
	 * 3: p >= 0.1); samples that do not overlap then count as apart. */
	bool apart = sampled && (p < c->options.alpha ||
				 (n > b ? all_below(bs, nb, ns, nn) : all_below(ns, nn, bs, nb)));
	/* -1 worse, 1 better, 0 within noise. */
	int outcome = fabs(change) >= c->options.threshold_pct && (apart || !sampled) ? (worse ? -1 : 1) : 0;
	const char *verdict = outcome == 0 ? "within noise"
			      : outcome < 0 ? (sampled ? "slower" : "slower (no samples)")
					    : (sampled ? "faster" : "faster (no samples)");
	char base[32], new[32], pct[32], ptext[32] = "";

	c->slower += outcome < 0;
	c->faster += outcome > 0;
	c->within_noise += outcome == 0;
	snprintf(base, sizeof(base), "%.6g", b);
	snprintf(new, sizeof(new), "%.6g", n);
	snprintf(pct, sizeof(pct), "%+.1f", change);
	if (sampled)
		snprintf(ptext, sizeof(ptext), "%.3g", p);
	add_point(c, t, point, base, new, pct, ptext, verdict);
}

static int compare_measured(struct comparison *c, const struct result_table *t,
			    struct csv_file *bf, const int *bc, struct csv_file *nf, const int *nc,
			    size_t nkeys, struct ml_error *err)
{
	int bv = csv_column(bf, t->value), nv = csv_column(nf, t->value), rc = 0;
	struct samples bs, ns;

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
		size_t nb, nn;
		char *point;

		if (m < 0)
			continue;
		n = csv_number(nf, (size_t)m, (size_t)nv);
		if (isnan(b) || isnan(n))
			continue;
		point = point_name(t, bf, r, bc, nkeys);
		bsamples = point_samples(&bs, bf, r, bc, nkeys, &nb);
		nsamples = point_samples(&ns, nf, (size_t)m, nc, nkeys, &nn);
		judge(c, t, point, b, n, bsamples, nb, nsamples, nn);
		free(bsamples);
		free(nsamples);
		free(point);
	}
	csv_free(bs.file);
	csv_free(ns.file);
	return rc;
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

int compare_files(struct comparison *c, const struct result_table *t, const char *base,
		  const char *new, struct ml_error *err)
{
	struct csv_file *bf = csv_read(base, err), *nf = bf ? csv_read(new, err) : NULL;
	int bc[RESULT_MAX_KEYS], nc[RESULT_MAX_KEYS], rc = -1;
	size_t nkeys;

	if (!bf || !nf || key_columns(t, bf, bc, &nkeys, err) < 0 ||
	    key_columns(t, nf, nc, &nkeys, err) < 0)
		goto out;
	rc = 0;
	if (t->value)
		rc = compare_measured(c, t, bf, bc, nf, nc, nkeys, err);
	else
		compare_exact(c, t, bf, bc, nf, nc, nkeys);
	if (rc == 0) {
		add_unmatched(c, t, bf, bc, nf, nc, nkeys, true);
		add_unmatched(c, t, nf, nc, bf, bc, nkeys, false);
	}
out:
	csv_free(bf);
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
