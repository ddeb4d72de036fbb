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

/* Whether SAMPLES (N of them, all positive) fall in two groups apart: a
 * point at the edge of a cache, whose repetitions land either in it or
 * beyond it. Sorted on a log scale, the widest gap between neighbours
 * splits them in two; they are bimodal when that gap is at least 20% (a
 * jump as large as a change worth gating) and at least three times as wide
 * as either group's own range. From five samples on, a group of one is an
 * outlier (an interrupt), which the median already ignores: each group
 * must then hold two. Fewer than three samples are never bimodal. */
bool stats_bimodal(const double *samples, size_t n);

/* Yuen's two-sample t for the difference of the trimmed means of B and A:
 * TRIM (0 to under 0.5) of each sample dropped at either end (a whole
 * number of samples, rounded down: none of three at 0.2, one of five to
 * nine), the standard error from the winsorized variances, Welch's
 * degrees of freedom; with TRIM 0, Welch's test. A repetition an
 * interrupt slowed does not decide it. At least two samples must remain
 * of each. */
struct stats_two_sample {
	double diff, se, df;
};
void stats_yuen(const double *a, size_t na, const double *b, size_t nb, double trim, struct stats_two_sample *out);

/* One sample's part of it: the trimmed mean of the N samples X, its
 * standard error and degrees of freedom (what remains of the samples,
 * less one). */
struct stats_estimate {
	double value, se, df;
};
void stats_trimmed_mean(const double *x, size_t n, double trim, struct stats_estimate *out);

/* P(T > T) for Student's t with DF (> 0, not necessarily whole) degrees
 * of freedom, from the regularized incomplete beta function (to about
 * 1e-12). */
double stats_t_upper(double t, double df);

/* The t beyond which Student's t with DF degrees of freedom lies with
 * probability P (0 < P < 0.5): stats_t_upper's inverse. */
double stats_t_critical(double p, double df);

/* Holm's step-down adjustment of the M p-values P, into ADJUSTED: a
 * hypothesis is rejected at family-wise level ALPHA when its adjusted
 * p-value is at most ALPHA (the smallest p times M, the next times M - 1,
 * ..., never below an earlier one). Controls the chance of any false
 * rejection at ALPHA, whatever the dependence between the tests. */
void stats_holm(const double *p, size_t m, double *adjusted);

/* What N SAMPLES (N >= 2), taken as normal, predict of one more draw from
 * their distribution: their mean, and the standard error of a new value
 * against it, sd * sqrt(1 + 1/N), with its degrees of freedom (a new value
 * X lies (X - mean) / se standard errors out, on Student's t). A handful
 * of samples says little about their spread (with three, a 99% interval
 * is nine standard deviations wide); PRIOR_VAR, worth PRIOR_DF samples'
 * degrees of freedom (0: none), is what other, similar measurements say
 * about it: the variance used is ((N - 1) var + PRIOR_DF PRIOR_VAR) /
 * (N - 1 + PRIOR_DF), with df N - 1 + PRIOR_DF (a moderated t, as used
 * where thousands of quantities are each measured a few times), unless
 * the samples' own variance is beyond what chance makes of PRIOR_VAR one
 * time in a hundred (3.3 times it with five samples, 2.4 with ten): a
 * markedly noisier quantity keeps its own, with N - 1 df. Returns -1 with
 * fewer than two samples. */
struct stats_prediction {
	double mean, se, df;
};
int stats_predict(const double *samples, size_t n, double prior_var, double prior_df, struct stats_prediction *out);

#endif
