#include <config.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

static void test_known_samples(void **state)
{
	const double x[] = { 4, 1, 100, 3, 2 };
	struct stats s;

	(void)state;
	stats_compute(x, 5, &s);
	assert_int_equal(s.n, 5);
	assert_float_equal(s.min, 1, 1e-12);
	assert_float_equal(s.max, 100, 1e-12);
	assert_float_equal(s.median, 3, 1e-12);
	/* deviations from 3: 1 2 97 0 1 -> median 1 */
	assert_float_equal(s.mad, 1, 1e-12);
	assert_float_equal(s.mean, 22, 1e-12);
	assert_float_equal(s.stddev, sqrt(7610.0 / 4), 1e-9);
	assert_float_equal(s.cv, sqrt(7610.0 / 4) / 22, 1e-9);
	assert_float_equal(s.p5, 1.2, 1e-9);
	assert_float_equal(s.p95, 80.8, 1e-9);
}

static void test_even_count_median(void **state)
{
	const double x[] = { 4, 1, 3, 2 };
	struct stats s;

	(void)state;
	stats_compute(x, 4, &s);
	assert_float_equal(s.median, 2.5, 1e-12);
	assert_float_equal(s.mad, 1, 1e-12);
}

static void test_single_sample(void **state)
{
	const double x[] = { 7.5 };
	struct stats s;

	(void)state;
	stats_compute(x, 1, &s);
	assert_float_equal(s.min, 7.5, 0);
	assert_float_equal(s.median, 7.5, 0);
	assert_float_equal(s.p95, 7.5, 0);
	assert_float_equal(s.stddev, 0, 0);
	assert_float_equal(s.cv, 0, 0);
	assert_float_equal(s.mad, 0, 0);
}

static void test_no_samples(void **state)
{
	struct stats s;

	(void)state;
	stats_compute(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.median));
	assert_true(isnan(s.mean));
	assert_true(isnan(s.mad));
}

static void test_input_not_reordered(void **state)
{
	double x[] = { 3, 1, 2 };
	struct stats s;

	(void)state;
	stats_compute(x, 3, &s);
	assert_float_equal(x[0], 3, 0);
	assert_float_equal(x[1], 1, 0);
	assert_float_equal(x[2], 2, 0);
}

static void test_outlier_barely_moves_median(void **state)
{
	double x[101];
	struct stats s;

	(void)state;
	for (int i = 0; i < 100; i++)
		x[i] = 10 + (i % 5) * 0.01;
	x[100] = 1e6;
	stats_compute(x, 101, &s);
	assert_true(s.median >= 10 && s.median <= 10.04);
	assert_true(s.mad <= 0.02);
	assert_true(s.mean > 1000); /* the mean is what robust statistics avoid */
}

static void test_quantiles(void **state)
{
	const double sorted[] = { 0, 10, 20, 30, 40 };

	(void)state;
	assert_float_equal(stats_quantile_sorted(sorted, 5, 0), 0, 0);
	assert_float_equal(stats_quantile_sorted(sorted, 5, 1), 40, 0);
	assert_float_equal(stats_quantile_sorted(sorted, 5, 0.5), 20, 0);
	assert_float_equal(stats_quantile_sorted(sorted, 5, 0.125), 5, 1e-12);
	assert_true(isnan(stats_quantile_sorted(sorted, 0, 0.5)));
}

/* Student's t tail against exact forms and the tables. */
static void test_t_upper(void **state)
{
	(void)state;
	assert_float_equal(stats_t_upper(0, 3), 0.5, 1e-12);
	/* One degree of freedom: Cauchy, P(T > 1) = 1/4. */
	assert_float_equal(stats_t_upper(1, 1), 0.25, 1e-12);
	/* Two: 1/2 - t / (2 sqrt(2 + t^2)). */
	assert_float_equal(stats_t_upper(2, 2), 0.5 - 2 / (2 * sqrt(6)), 1e-12);
	assert_float_equal(stats_t_upper(-2, 2), 0.5 + 2 / (2 * sqrt(6)), 1e-12);
	assert_float_equal(stats_t_upper(2.776445, 4), 0.025, 1e-6);
	assert_float_equal(stats_t_upper(1.959964, 1e9), 0.025, 1e-6);
	assert_float_equal(stats_t_upper(INFINITY, 4), 0, 0);
	assert_true(stats_t_upper(40, 12) < 1e-13);
}

/* Critical values against the tables, far into the tail too: a family of
 * 200 points at 0.05 asks for 0.00025 of each. */
static void test_t_critical(void **state)
{
	static const struct {
		double p, df, t;
	} table[] = {
		{ 0.025, 1, 12.706 }, { 0.025, 2, 4.303 },  { 0.025, 3, 3.182 },  { 0.025, 4, 2.776 },
		{ 0.025, 9, 2.262 },  { 0.025, 30, 2.042 }, { 0.005, 2, 9.925 },  { 0.005, 4, 4.604 },
		{ 0.1, 5, 1.476 },    { 0.001, 2, 22.327 }, { 0.0005, 4, 8.610 }, { 0.0005, 10, 4.587 },
		{ 0.0005, 30, 3.646 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		double t = stats_t_critical(table[i].p, table[i].df);

		if (fabs(t - table[i].t) > table[i].t * 0.0005)
			fail_msg("t critical p=%g df=%g: expected %g, got %g", table[i].p, table[i].df, table[i].t, t);
	}
	assert_float_equal(stats_t_upper(stats_t_critical(0.00025, 4.96), 4.96), 0.00025, 1e-9);
}

static void test_yuen(void **state)
{
	const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6, 7 }, flat[] = { 5, 5, 5 };
	const double c[] = { 10, 11, 12, 13, 14, 15, 100 }, d[] = { 11, 12, 13, 14, 15, 16, 17 };
	struct stats_two_sample w;
	struct stats_estimate one;

	(void)state;
	/* Untrimmed, Welch's: means 2 and 5.5, variances 1 and 5/3. */
	stats_yuen(a, 3, b, 4, 0, &w);
	assert_float_equal(w.diff, 3.5, 1e-12);
	assert_float_equal(w.se, sqrt(0.75), 1e-12);
	assert_float_equal(w.df, 0.5625 / (1.0 / 18 + 25.0 / 432), 1e-9);
	/* A fifth of three is no sample: still Welch's. */
	stats_yuen(a, 3, b, 4, 0.2, &w);
	assert_float_equal(w.se, sqrt(0.75), 1e-12);
	/* No spread at all: the pooled degrees of freedom. */
	stats_yuen(flat, 3, flat, 3, 0.2, &w);
	assert_float_equal(w.se, 0, 0);
	assert_float_equal(w.df, 4, 0);
	/* One of seven trimmed at each end: the outlier 100 is dropped from
	 * C's mean (13, of 11..15) and winsorized to 15 in its variance:
	 * 11 11 12 13 14 15 15, variance 3, as D's 12 12 13 14 15 16 16;
	 * each squared error 6 * 3 / (5 * 4), degrees of freedom 2 * 4. */
	stats_yuen(c, 7, d, 7, 0.2, &w);
	assert_float_equal(w.diff, 1, 1e-12);
	assert_float_equal(w.se, sqrt(1.8), 1e-12);
	assert_float_equal(w.df, 8, 1e-9);
	stats_trimmed_mean(c, 7, 0.2, &one);
	assert_float_equal(one.value, 13, 1e-12);
	assert_float_equal(one.se, sqrt(0.9), 1e-12);
	assert_float_equal(one.df, 4, 0);
}

static void test_holm(void **state)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005 };
	double adjusted[4], family[198], adjusted_family[198];

	(void)state;
	/* 0.005 * 4, 0.01 * 3, 0.03 * 2, then 0.04 * 1 kept at 0.06. */
	stats_holm(p, 4, adjusted);
	assert_float_equal(adjusted[3], 0.02, 1e-12);
	assert_float_equal(adjusted[0], 0.03, 1e-12);
	assert_float_equal(adjusted[2], 0.06, 1e-12);
	assert_float_equal(adjusted[1], 0.06, 1e-12);
	/* 198 points, three with small p-values, none below 0.05 / 198:
	 * alone each would pass 0.05, as a family none does. */
	for (size_t i = 0; i < 198; i++)
		family[i] = (double)(i + 1) / 199;
	family[17] = 0.001;
	family[80] = 0.0005;
	family[150] = 0.003;
	stats_holm(family, 198, adjusted_family);
	for (size_t i = 0; i < 198; i++)
		if (adjusted_family[i] <= 0.05)
			fail_msg("point %zu (p %g) survives Holm over 198: adjusted %g", i, family[i], adjusted_family[i]);
	assert_float_equal(adjusted_family[80], 0.0005 * 198, 1e-12);
	/* One far below does. */
	family[80] = 1e-6;
	stats_holm(family, 198, adjusted_family);
	assert_true(adjusted_family[80] <= 0.05);
}

/* Bimodal: two groups apart by 20% or more, the gap three times either
 * group's range; a lone value among five or more is an outlier. */
static void test_bimodal(void **state)
{
	static const struct {
		double x[8];
		size_t n;
		bool bimodal;
		const char *what;
	} cases[] = {
		{ { 12, 13, 95 }, 3, true, "the issue's L3 edge, three repetitions" },
		{ { 12, 12.5, 13, 95, 96, 97, 12.2 }, 7, true, "two modes of three and four" },
		{ { 1.19, 1.19, 1.20, 1.20, 1.20, 1.21, 1.6 }, 7, false, "one outlier among seven" },
		{ { 1.19, 1.19, 1.20, 1.20, 1.21, 1.6, 1.62 }, 7, true, "two values apart among seven" },
		{ { 1.00, 1.02, 1.01, 1.03, 0.99 }, 5, false, "tight" },
		{ { 10, 15, 22 }, 3, false, "spread out, no gap" },
		{ { 1.0, 1.1, 1.15 }, 3, false, "a gap under 20%" },
		{ { 1.0, 1.3, 1.6 }, 3, false, "a gap no wider than a group" },
		{ { 12, 95 }, 2, false, "two samples" },
		{ { 12, 0, 95 }, 3, false, "not all positive" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (stats_bimodal(cases[i].x, cases[i].n) != cases[i].bimodal)
			fail_msg("%s (%zu samples from %g): expected %s", cases[i].what, cases[i].n, cases[i].x[0],
				 cases[i].bimodal ? "bimodal" : "not bimodal");
}

static void test_prediction(void **state)
{
	const double runs[] = { 100, 102, 98, 101, 99 }; /* mean 100, sd 1.58 */
	struct stats_prediction pr;

	(void)state;
	assert_int_equal(stats_predict(runs, 5, 0, 0, &pr), 0);
	assert_float_equal(pr.mean, 100, 1e-12);
	assert_float_equal(pr.se, sqrt(2.5) * sqrt(1.2), 1e-12);
	assert_float_equal(pr.df, 4, 0);
	/* One run says nothing about the spread. */
	assert_int_equal(stats_predict(runs, 1, 0, 0, &pr), -1);
	/* Three runs (var 13/3 around 100.33) with a wider spread known from
	 * elsewhere, worth 4 degrees of freedom: var (2 * 13/3 + 4 * 9) / 6. */
	assert_int_equal(stats_predict(runs + 1, 3, 9, 4, &pr), 0);
	assert_float_equal(pr.se, sqrt((2 * 13.0 / 3 + 36) / 6) * sqrt(4.0 / 3), 1e-9);
	assert_float_equal(pr.df, 6, 0);
	/* Two samples' variance is beyond chance when it is over 4.61 times
	 * the prior's (the 99th percentile of chi-square with 2 degrees of
	 * freedom, over 2): 13/3 is 4.8 times 0.9, and keeps its own; 4.3
	 * times 1, and does not. */
	assert_int_equal(stats_predict(runs + 1, 3, 0.9, 4, &pr), 0);
	assert_float_equal(pr.se, sqrt(13.0 / 3) * sqrt(4.0 / 3), 1e-9);
	assert_float_equal(pr.df, 2, 0);
	assert_int_equal(stats_predict(runs + 1, 3, 1, 4, &pr), 0);
	assert_float_equal(pr.df, 6, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_samples),
		cmocka_unit_test(test_even_count_median),
		cmocka_unit_test(test_single_sample),
		cmocka_unit_test(test_no_samples),
		cmocka_unit_test(test_input_not_reordered),
		cmocka_unit_test(test_outlier_barely_moves_median),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_t_upper),
		cmocka_unit_test(test_t_critical),
		cmocka_unit_test(test_yuen),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_bimodal),
		cmocka_unit_test(test_prediction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
