#include <config.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "levels.h"
#include "rng.h"

#define MAXPOINTS 128

/* A sweep like the benchmark's: powers of two and three points between. */
static size_t sweep(uint64_t *sizes, uint64_t min, uint64_t max)
{
	size_t n = 0;

	for (uint64_t s = min; s <= max; s *= 2)
		for (int k = 0; k < 4 && s + k * s / 4 <= max; k++)
			sizes[n++] = s + k * s / 4;
	return n;
}

/* A machine with caches of CAP[i] with latency LAT[i], then memory; around
 * each capacity the latency ramps up from 0.9 to 1.25 times it (physically
 * indexed caches start missing a little before they are full). */
static double model(uint64_t size, const uint64_t *cap, const double *lat, size_t levels)
{
	for (size_t i = 0; i < levels; i++) {
		double lo = 0.9 * (double)cap[i], hi = 1.25 * (double)cap[i];

		if ((double)size <= lo)
			return lat[i];
		if ((double)size < hi)
			return lat[i] + ((double)size - lo) / (hi - lo) * (lat[i + 1] - lat[i]);
	}
	return lat[levels];
}

static void check(const uint64_t *cap, const double *lat, size_t caches, double noise,
		  double outlier_every)
{
	uint64_t sizes[MAXPOINTS];
	double latency[MAXPOINTS];
	struct level levels[LEVELS_MAX];
	size_t n = sweep(sizes, 1024, 1u << 30), found;
	struct rng rng;

	rng_seed(&rng, 11);
	for (size_t i = 0; i < n; i++) {
		double jitter = ((double)rng_below(&rng, 2001) / 1000.0 - 1.0) * noise;

		latency[i] = model(sizes[i], cap, lat, caches) * (1 + jitter);
		if (outlier_every > 0 && i % (size_t)outlier_every == 5)
			latency[i] *= 3; /* a neighbour's burst */
	}
	found = levels_detect(sizes, latency, n, 0.15, levels, LEVELS_MAX);
	assert_int_equal(found, caches + 1);
	for (size_t i = 0; i < caches; i++) {
		/* the level's end within one sweep step (a quarter doubling) */
		assert_true(levels[i].capacity <= 1.25 * (double)cap[i]);
		assert_true(levels[i].capacity * 1.25 >= (double)cap[i]);
		assert_true(levels[i].last_size <= cap[i]);
		assert_true(fabs(levels[i].latency_ns - lat[i]) < lat[i] * 0.05);
	}
	assert_true(levels[caches].capacity == 0);
	assert_true(fabs(levels[caches].latency_ns - lat[caches]) < lat[caches] * 0.05);
}

static void test_three_caches(void **state)
{
	const uint64_t cap[] = { 48 << 10, 1 << 20, 32 << 20 };
	const double lat[] = { 1.17, 4.2, 12.0, 108.6 };

	(void)state;
	check(cap, lat, 3, 0, 0);
}

static void test_noise(void **state)
{
	const uint64_t cap[] = { 32 << 10, 256 << 10, 8 << 20 };
	const double lat[] = { 1.0, 3.5, 11.0, 90.0 };

	(void)state;
	check(cap, lat, 3, 0.04, 0);
}

static void test_outliers(void **state)
{
	const uint64_t cap[] = { 48 << 10, 1 << 20, 16 << 20 };
	const double lat[] = { 1.17, 4.2, 14.0, 110.0 };

	(void)state;
	check(cap, lat, 3, 0.03, 9);
}

static void test_two_levels(void **state)
{
	const uint64_t cap[] = { 64 << 10 };
	const double lat[] = { 1.5, 80.0 };

	(void)state;
	check(cap, lat, 1, 0.02, 0);
}

static void test_flat(void **state)
{
	uint64_t sizes[] = { 1024, 2048, 4096, 8192 };
	double latency[] = { 2.0, 2.05, 1.98, 2.02 };
	struct level levels[LEVELS_MAX];

	(void)state;
	assert_int_equal(levels_detect(sizes, latency, 4, 0.15, levels, LEVELS_MAX), 1);
	assert_int_equal(levels[0].last_size, 8192);
	assert_int_equal(levels_detect(sizes, latency, 0, 0.15, levels, LEVELS_MAX), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_caches),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_outliers),
		cmocka_unit_test(test_two_levels),
		cmocka_unit_test(test_flat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
