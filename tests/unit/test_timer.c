#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "timer.h"

static void test_clock_is_monotonic(void **state)
{
	uint64_t prev = timer_now_ns();

	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint64_t now = timer_now_ns();

		assert_true(now >= prev);
		prev = now;
	}
}

static void test_calibration_is_sane(void **state)
{
	struct clock_calibration cal;

	(void)state;
	timer_calibrate(&cal, 9);
	/* Any core this runs on clocks between 0.2 and 8 GHz. */
	assert_true(cal.cycles_per_ns > 0.2 && cal.cycles_per_ns < 8.0);
	assert_true(cal.min_ghz <= cal.cycles_per_ns && cal.cycles_per_ns <= cal.max_ghz + 1e-9);
	assert_true(cal.spread >= 0);
	assert_int_equal(cal.samples, 9);
	assert_true(cal.adds_per_sample > 1000000);
	assert_float_equal(timer_ns_to_cycles(&cal, 10), 10 * cal.cycles_per_ns, 1e-9);
	/* A spin-wait hint takes some time and far less than a microsecond
	 * (the slowest known cost some 140 cycles). */
	assert_true(cal.pause_ns > 0 && cal.pause_ns < 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_is_monotonic),
		cmocka_unit_test(test_calibration_is_sane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
