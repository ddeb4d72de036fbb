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
