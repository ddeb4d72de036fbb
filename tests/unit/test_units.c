#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "units.h"

static void test_sizes(void **state)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "0", 0 },           { "64", 64 },          { "64B", 64 },
		{ "32K", 32768 },     { "32KiB", 32768 },    { "32k", 32768 },
		{ "1M", 1 << 20 },    { "1MiB", 1 << 20 },   { "3mib", 3 << 20 },
		{ "2G", 2ull << 30 }, { "2GiB", 2ull << 30 }, { "17179869184", 16ull << 30 },
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(units_parse_size(good[i].text, &v), 0);
		assert_int_equal(v, good[i].bytes);
	}
}

static void test_bad_sizes(void **state)
{
	static const char *const bad[] = {
		"", "K", "-1", "1.5M", "12X", "1 M", "1KB", "1MB", "99999999999999999999",
		"17179869184G", " 4",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(units_parse_size(bad[i], &v), -1);
	assert_int_equal(units_parse_size(NULL, &v), -1);
}

static void test_integers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(units_parse_u64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(units_parse_u64("18446744073709551615", &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(units_parse_u64("18446744073709551616", &v), -1);
	assert_int_equal(units_parse_u64("-3", &v), -1);
	assert_int_equal(units_parse_u64("4x", &v), -1);
	assert_int_equal(units_parse_u64("", &v), -1);
}

static void test_format(void **state)
{
	char buf[32];

	(void)state;
	units_format_size(100, buf, sizeof(buf));
	assert_string_equal(buf, "100 B");
	units_format_size(49152, buf, sizeof(buf));
	assert_string_equal(buf, "48 KiB");
	units_format_size(1 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "1 MiB");
	units_format_size(3 << 19, buf, sizeof(buf));
	assert_string_equal(buf, "1.5 MiB");
	units_format_size(532676608, buf, sizeof(buf));
	assert_string_equal(buf, "508 MiB");
	units_format_size(4ull << 30, buf, sizeof(buf));
	assert_string_equal(buf, "4 GiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
