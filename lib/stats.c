#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_quantile_sorted(const double *sorted, size_t n, double q)
{
	double pos, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	if (lo + 1 >= n)
		return sorted[n - 1];
	frac = pos - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

void stats_compute(const double *samples, size_t n, struct stats *out)
{
	double *sorted, sum = 0, squares = 0;

	out->n = n;
	if (n == 0) {
		out->min = out->max = out->median = out->mad = NAN;
		out->mean = out->stddev = out->cv = out->p5 = out->p95 = NAN;
		return;
	}
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, samples, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare_doubles);
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->median = stats_quantile_sorted(sorted, n, 0.5);
	out->p5 = stats_quantile_sorted(sorted, n, 0.05);
	out->p95 = stats_quantile_sorted(sorted, n, 0.95);

	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		squares += (samples[i] - out->mean) * (samples[i] - out->mean);
	out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0;
	out->cv = out->mean != 0 ? out->stddev / fabs(out->mean) : 0;

	/* Reuse the buffer for the absolute deviations. */
	for (size_t i = 0; i < n; i++)
		sorted[i] = fabs(samples[i] - out->median);
	qsort(sorted, n, sizeof(*sorted), compare_doubles);
	out->mad = stats_quantile_sorted(sorted, n, 0.5);
	free(sorted);
}

bool stats_unstable(const struct stats *st)
{
	return st->median > 0 && (st->p95 - st->p5) / st->median > 0.2;
}

bool stats_bimodal(const double *samples, size_t n)
{
	double *x, gap = 0, spread;
	size_t k = 0, minority;
	bool bimodal;

	if (n < 3)
		return false;
	x = xmalloc(n * sizeof(*x));
	for (size_t i = 0; i < n; i++) {
		if (!(samples[i] > 0)) {
			free(x);
			return false;
		}
		x[i] = log(samples[i]);
	}
	qsort(x, n, sizeof(*x), compare_doubles);
	for (size_t i = 0; i + 1 < n; i++)
		if (x[i + 1] - x[i] > gap) {
			gap = x[i + 1] - x[i];
			k = i;
		}
	minority = k + 1 < n - k - 1 ? k + 1 : n - k - 1;
	spread = fmax(x[k] - x[0], x[n - 1] - x[k + 1]);
	bimodal = gap >= log(1.2) && gap >= 3 * spread && (n < 5 || minority >= 2);
	free(x);
	return bimodal;
}

static void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double sum = 0, squares = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		squares += (x[i] - *mean) * (x[i] - *mean);
	*var = n > 1 ? squares / (double)(n - 1) : 0;
}

void stats_trimmed_mean(const double *x, size_t n, double trim, struct stats_estimate *out)
{
	double *sorted = xmalloc(n * sizeof(*sorted)), var, unused;
	size_t g = (size_t)(trim * (double)n), h = n - 2 * g;

	memcpy(sorted, x, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare_doubles);
	mean_var(sorted + g, h, &out->value, &unused);
	/* Winsorized: each trimmed sample replaced by the nearest kept one. */
	for (size_t i = 0; i < g; i++) {
		sorted[i] = sorted[g];
		sorted[n - 1 - i] = sorted[n - 1 - g];
	}
	mean_var(sorted, n, &unused, &var);
	out->se = sqrt((double)(n - 1) * var / ((double)h * (double)(h - 1)));
	out->df = (double)(h - 1);
	free(sorted);
}

void stats_yuen(const double *a, size_t na, const double *b, size_t nb, double trim, struct stats_two_sample *out)
{
	struct stats_estimate ta, tb;
	double qa, qb;

	stats_trimmed_mean(a, na, trim, &ta);
	stats_trimmed_mean(b, nb, trim, &tb);
	qa = ta.se * ta.se;
	qb = tb.se * tb.se;
	out->diff = tb.value - ta.value;
	out->se = sqrt(qa + qb);
	/* Samples without spread: as many degrees of freedom as pooling gives. */
	out->df = qa + qb > 0 ? (qa + qb) * (qa + qb) / (qa * qa / ta.df + qb * qb / tb.df) : ta.df + tb.df;
}

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz), which converges fast for X < (A + 1) / (A + B + 2). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2)), delta;

		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return h;
}

/* I_x(a, b). */
static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double stats_t_upper(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return t > 0 ? 0 : 1;
	tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
	return t >= 0 ? tail : 1 - tail;
}

double stats_t_critical(double p, double df)
{
	double lo = 0, hi = 1;

	while (stats_t_upper(hi, df) > p && hi < 1e12)
		hi *= 2;
	/* Halving the interval down to the last bits of a double. */
	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (stats_t_upper(mid, df) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

struct indexed_p {
	double p;
	size_t i;
};

static int by_p(const void *x, const void *y)
{
	const struct indexed_p *a = x, *b = y;

	return (a->p > b->p) - (a->p < b->p);
}

void stats_holm(const double *p, size_t m, double *adjusted)
{
	struct indexed_p *order = xcalloc(m + 1, sizeof(*order));
	double running = 0;

	for (size_t i = 0; i < m; i++)
		order[i] = (struct indexed_p){ isnan(p[i]) ? 1 : p[i], i };
	qsort(order, m, sizeof(*order), by_p);
	for (size_t k = 0; k < m; k++) {
		double a = order[k].p * (double)(m - k);

		running = a > running ? a : running;
		adjusted[order[k].i] = running > 1 ? 1 : running;
	}
	free(order);
}

int stats_predict(const double *samples, size_t n, double prior_var, double prior_df, struct stats_prediction *out)
{
	double var, df;

	if (n < 2)
		return -1;
	mean_var(samples, n, &out->mean, &var);
	df = (double)(n - 1);
	/* The prior lends confidence only where it does not contradict the
	 * samples: a quantity markedly noisier than the typical one (beyond
	 * what df degrees of freedom give by chance one time in a hundred:
	 * the 99th percentile of chi-square over df, Wilson and Hilferty's
	 * cube of a normal, z 2.326) keeps its own spread and degrees of
	 * freedom. */
	if (var <= prior_var * pow(1 - 2 / (9 * df) + 2.326 * sqrt(2 / (9 * df)), 3)) {
		var = (df * var + prior_df * prior_var) / (df + prior_df);
		df += prior_df;
	}
	out->se = sqrt(var) * sqrt(1 + 1.0 / (double)n);
	out->df = df;
	return 0;
}
