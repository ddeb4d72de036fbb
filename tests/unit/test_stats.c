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

static void test_mann_whitney_exact(void **state)
{
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 }, c[] = { 1, 2, 3, 4, 5, 6, 7 },
	       d[] = { 8, 9, 10, 11, 12, 13, 14 }, e[] = { 1, 4, 5 }, f[] = { 2, 3, 6 };

	(void)state;
	/* Fully separated: the most extreme of C(6,3) = 20 and C(14,7) = 3432
	 * arrangements, at either end. */
	assert_float_equal(stats_mann_whitney_p(a, 3, b, 3), 2.0 / 20, 1e-12);
	assert_float_equal(stats_mann_whitney_p(b, 3, a, 3), 2.0 / 20, 1e-12);
	assert_float_equal(stats_mann_whitney_p(c, 7, d, 7), 2.0 / 3432, 1e-12);
	/* Interleaved: U = 4 of 9, the middle: not distinguishable. */
	assert_true(stats_mann_whitney_p(e, 3, f, 3) > 0.9);
	assert_float_equal(stats_mann_whitney_p(a, 3, b, 0), 1, 0);
}

static void test_mann_whitney_ties_and_large_samples(void **state)
{
	double same[10] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 }, base[30], slower[30], noisy[30];

	(void)state;
	assert_float_equal(stats_mann_whitney_p(same, 5, same + 5, 5), 1, 0);
	for (int i = 0; i < 30; i++) {
		base[i] = 100 + (i % 10) * 0.5;
		slower[i] = base[i] * 1.2;
		noisy[i] = 100 + ((i * 7) % 10) * 0.5 + 0.01;
	}
	/* Normal approximation (ties, 60 samples): 20% slower is plain... */
	assert_true(stats_mann_whitney_p(base, 30, slower, 30) < 1e-6);
	/* ...and the same spread, shifted by 0.01, is not. */
	assert_true(stats_mann_whitney_p(base, 30, noisy, 30) > 0.5);
}

/* Student's t quantiles against the tables. */
static void test_t_quantiles(void **state)
{
	static const struct {
		double p;
		unsigned df;
		double t;
	} table[] = {
		{ 0.975, 1, 12.706 }, { 0.975, 2, 4.303 }, { 0.975, 3, 3.182 }, { 0.975, 4, 2.776 },
		{ 0.975, 9, 2.262 },  { 0.975, 30, 2.042 }, { 0.995, 2, 9.925 }, { 0.995, 4, 4.604 },
		{ 0.995, 9, 3.250 },  { 0.9975, 4, 5.598 }, { 0.9, 5, 1.476 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_float_equal(stats_t_quantile(table[i].p, table[i].df), table[i].t, table[i].t * 0.005);
}

static void test_prediction_interval(void **state)
{
	const double runs[] = { 100, 102, 98, 101, 99 }; /* mean 100, sd 1.58 */

	(void)state;
	/* t(0.995, 4) 4.604 * 1.58 * sqrt(1.2) = 7.97 */
	assert_false(stats_outside_prediction(runs, 5, 107.5, 0.01, 0, 0));
	assert_true(stats_outside_prediction(runs, 5, 108.5, 0.01, 0, 0));
	assert_true(stats_outside_prediction(runs, 5, 91.5, 0.01, 0, 0));
	/* One run says nothing about the spread. */
	assert_false(stats_outside_prediction(runs, 1, 1000, 0.01, 0, 0));
	/* Three runs alone: t(0.995, 2) 9.925 * 2 * sqrt(4/3) = 22.9 wide. */
	assert_false(stats_outside_prediction(runs + 1, 3, 120, 0.01, 0, 0));
	/* A wider spread known from elsewhere, worth 4 degrees of freedom:
	 * var (2 * 4.33 + 4 * 9) / 6 = 7.44, t(0.995, 6) 3.707 * 2.73 *
	 * sqrt(4/3) = 11.7 around 100.33. */
	assert_true(stats_outside_prediction(runs + 1, 3, 112.5, 0.01, 9, 4));
	assert_false(stats_outside_prediction(runs + 1, 3, 111.5, 0.01, 9, 4));
	/* One under half theirs does not make these samples' spread smaller. */
	assert_false(stats_outside_prediction(runs + 1, 3, 120, 0.01, 2, 4));
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
		cmocka_unit_test(test_mann_whitney_exact),
		cmocka_unit_test(test_mann_whitney_ties_and_large_samples),
		cmocka_unit_test(test_t_quantiles),
		cmocka_unit_test(test_prediction_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
