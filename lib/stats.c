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

struct ranked {
	double value;
	int group; /* 0: A, 1: B */
};

static int compare_ranked(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->value, b = ((const struct ranked *)y)->value;

	return (a > b) - (a < b);
}

/* P(U <= u) for samples of M and N without ties: the rank sums of every
 * choice of M ranks among M + N, counted by dynamic programming. */
static double exact_u_cdf(size_t m, size_t n, double u)
{
	size_t total = m + n, max_sum = total * (total + 1) / 2;
	double *ways = xcalloc((m + 1) * (max_sum + 1), sizeof(*ways)), below = 0, all = 0;

	ways[0] = 1; /* no rank chosen, sum 0 */
	for (size_t rank = 1; rank <= total; rank++)
		for (size_t c = rank < m ? rank : m; c >= 1; c--)
			for (size_t sum = max_sum; sum >= rank; sum--)
				ways[c * (max_sum + 1) + sum] += ways[(c - 1) * (max_sum + 1) + sum - rank];
	for (size_t sum = 0; sum <= max_sum; sum++) {
		double w = ways[m * (max_sum + 1) + sum], us = (double)sum - (double)(m * (m + 1) / 2);

		all += w;
		if (us <= u + 1e-9)
			below += w;
	}
	free(ways);
	return below / all;
}

#define EXACT_MAX_SAMPLES 40

double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb;
	struct ranked *r;
	double rank_sum_a = 0, ties = 0, u, mean, var, z, p;
	bool tied = false;

	if (na == 0 || nb == 0)
		return 1;
	r = xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), compare_ranked);
	/* Tied values share the mean of their ranks. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double t, rank;

		while (j + 1 < n && r[j + 1].value == r[i].value)
			j++;
		t = (double)(j - i + 1);
		rank = (double)(i + j) / 2 + 1;
		for (size_t k = i; k <= j; k++)
			if (r[k].group == 0)
				rank_sum_a += rank;
		if (t > 1) {
			tied = true;
			ties += t * t * t - t;
		}
		i = j + 1;
	}
	free(r);
	u = rank_sum_a - (double)na * (double)(na + 1) / 2;
	mean = (double)na * (double)nb / 2;
	if (!tied && n <= EXACT_MAX_SAMPLES) {
		double low = exact_u_cdf(na, nb, u), high = 1 - exact_u_cdf(na, nb, u - 1);

		p = 2 * (low < high ? low : high);
		return p > 1 ? 1 : p;
	}
	var = (double)na * (double)nb / 12 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mean) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	p = erfc(z / sqrt(2));
	return p > 1 ? 1 : p;
}

/* The standard normal quantile (Acklam's rational approximation, relative
 * error under 1.2e-9). */
static double normal_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
				    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
				    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
				    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
				    3.754408661907416e+00 };
	double q, r;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	if (p > 1 - 0.02425)
		return -normal_quantile(1 - p);
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double stats_t_quantile(double p, unsigned df)
{
	const double pi = 3.14159265358979323846;
	double z, z2, v;

	if (df == 1)
		return tan(pi * (p - 0.5));
	if (df == 2)
		return (2 * p - 1) / sqrt(2 * p * (1 - p));
	z = normal_quantile(p);
	z2 = z * z;
	v = df;
	return z + z * (z2 + 1) / (4 * v) + z * ((5 * z2 + 16) * z2 + 3) / (96 * v * v) +
	       z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * v * v * v) +
	       z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / (92160 * v * v * v * v);
}

bool stats_outside_prediction(const double *samples, size_t n, double x, double alpha, double prior_var,
			      double prior_df)
{
	struct stats st;
	double df, var;

	if (n < 2)
		return false;
	stats_compute(samples, n, &st);
	var = st.stddev * st.stddev;
	df = (double)(n - 1);
	/* The prior lends confidence only where it does not contradict the
	 * samples: a quantity markedly noisier than the typical one (over
	 * twice its variance: more than a few samples' variance wanders by
	 * chance) keeps its own spread and degrees of freedom. */
	if (var <= 2 * prior_var) {
		var = (df * var + prior_df * prior_var) / (df + prior_df);
		df += prior_df;
	}
	return fabs(x - st.mean) > stats_t_quantile(1 - alpha / 2, (unsigned)(df + 0.5)) * sqrt(var) *
					   sqrt(1 + 1.0 / (double)n);
}
