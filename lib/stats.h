/* Robust statistics over the repetitions of one measurement. */
#ifndef MESILAB_STATS_H
#define MESILAB_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct stats {
	size_t n;
	double min, max;
	double median;
	double mad;    /* median absolute deviation from the median, unscaled */
	double mean;
	double stddev; /* sample standard deviation (n - 1) */
	double cv;     /* stddev / mean; 0 when the mean is 0 */
	double p5, p95;
};

/* Fills OUT from N samples (N may be 0: everything is then NaN). */
void stats_compute(const double *samples, size_t n, struct stats *out);

/* Wide (p5 to p95 over a fifth of the median) or drifting repetitions:
 * the point is flagged rather than averaged away. */
bool stats_unstable(const struct stats *st);

/* Quantile Q in [0, 1] of SORTED samples, linearly interpolated. */
double stats_quantile_sorted(const double *sorted, size_t n, double q);

/* The two-sided p-value of the Mann-Whitney U test that samples A and B
 * come from one distribution (no assumption of normality): exact for small
 * samples without ties, else the normal approximation with the tie and
 * continuity corrections. 1 when either sample is empty. */
double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/* The quantile P (0.5 < P < 1) of Student's t distribution with DF
 * degrees of freedom (exact for 1 and 2, a Cornish-Fisher expansion of
 * the normal quantile beyond: within 0.5% from 3 on). */
double stats_t_quantile(double p, unsigned df);

/* Whether X lies outside the two-sided prediction interval at level
 * 1 - ALPHA for one more draw from the distribution that gave the N
 * SAMPLES (N >= 2), taken as normal: mean +- t(1 - ALPHA/2, df) * sd *
 * sqrt(1 + 1/N). A handful of samples says little about their spread
 * (with three, the interval is nine standard deviations wide at ALPHA
 * 0.01); PRIOR_VAR, worth PRIOR_DF samples' degrees of freedom (0: none),
 * is what other, similar measurements say about it: the variance used is
 * ((N - 1) var + PRIOR_DF PRIOR_VAR) / (N - 1 + PRIOR_DF), with df
 * N - 1 + PRIOR_DF (a moderated t, as used where thousands of quantities
 * are each measured a few times), unless the samples' own variance is
 * over twice PRIOR_VAR: a markedly noisier quantity keeps its own, with
 * N - 1 df. */
bool stats_outside_prediction(const double *samples, size_t n, double x, double alpha, double prior_var,
			      double prior_df);

#endif
