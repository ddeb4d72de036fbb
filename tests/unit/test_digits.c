/* The word-at-a-time text parsers against the byte-at-a-time ones: hex
 * numbers of every length and case, bytes that are almost digits, and
 * newlines at every distance. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "digits.h"
#include "line_source.h"
#include "rng.h"

/* A number's text with DIGITS_READ_AHEAD readable bytes after it, the
 * byte after it TERMINATOR and the rest FILL. */
static void place(char *buf, size_t size, const char *text, char terminator, char fill)
{
	size_t n = strlen(text);

	memset(buf, fill, size);
	memcpy(buf, text, n);
	buf[n] = terminator;
}

static void expect_same_hex(const char *buf)
{
	const char *a = buf, *b = buf;
	uint64_t va = 0, vb = 0;
	bool ok_a = digits_hex(&a, &va), ok_b = digits_hex_ahead(&b, &vb);

	assert_int_equal(ok_a, ok_b);
	if (ok_a) {
		assert_int_equal(va, vb);
		assert_ptr_equal(a, b);
	}
}

static void test_hex_lengths(void **state)
{
	/* Around each byte class's edges: '/' and ':' beside the digits,
	 * '@', 'G', '`', 'g' beside the letters, and bytes with the top bit
	 * set whose low bits are a digit or a letter. */
	static const char terminators[] = { '\n', ' ', ',', '\0', '/', ':', '@', 'G', '`', 'g', (char)0xb0, (char)0xc1 };
	static const char fills[] = { '\0', '0', 'f', ' ', (char)0xff };
	char buf[64 + DIGITS_READ_AHEAD], text[40];

	(void)state;
	for (unsigned len = 0; len <= 20; len++) {
		for (unsigned t = 0; t < sizeof(terminators); t++) {
			for (unsigned f = 0; f < sizeof(fills); f++) {
				for (unsigned k = 0; k < len; k++)
					text[k] = "0123456789abcdefABCDEF"[(k * 7 + len) % 22];
				text[len] = '\0';
				place(buf, sizeof(buf), text, terminators[t], fills[f]);
				expect_same_hex(buf);
			}
		}
	}
}

static void test_hex_values(void **state)
{
	char buf[64 + DIGITS_READ_AHEAD];
	const char *p;
	uint64_t v;

	(void)state;
	place(buf, sizeof(buf), "ffffffffffffffff", '\n', 'x');
	p = buf;
	assert_true(digits_hex_ahead(&p, &v));
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(p - buf, 16);
	/* leading zeros beyond 16 digits are still a 64-bit number */
	place(buf, sizeof(buf), "0000000000000000012", '\n', 'x');
	p = buf;
	assert_true(digits_hex_ahead(&p, &v));
	assert_int_equal(v, 0x12);
	/* 17 significant digits are not */
	place(buf, sizeof(buf), "10000000000000000", '\n', 'x');
	p = buf;
	assert_false(digits_hex_ahead(&p, &v));
	place(buf, sizeof(buf), "DeadBeef", ',', '1');
	p = buf;
	assert_true(digits_hex_ahead(&p, &v));
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(*p, ',');
}

static void test_hex_random(void **state)
{
	struct rng rng;
	char buf[32 + DIGITS_READ_AHEAD];

	(void)state;
	rng_seed(&rng, 7);
	for (int i = 0; i < 200000; i++) {
		for (size_t k = 0; k < sizeof(buf); k++) {
			uint64_t r = rng_next(&rng);

			/* mostly hex digits, so that long numbers occur */
			buf[k] = r % 4 ? "0123456789abcdefABCDEF"[(r >> 8) % 22] : (char)(r >> 16);
		}
		expect_same_hex(buf);
	}
}

static void test_line_end(void **state)
{
	char buf[80 + DIGITS_READ_AHEAD];

	(void)state;
	for (size_t at = 0; at < 80; at++) {
		for (int fill = 0; fill < 3; fill++) {
			/* bytes one away from a newline in either direction, and NULs */
			memset(buf, fill == 0 ? 0x0b : fill == 1 ? 0x09 : 0, sizeof(buf));
			buf[at] = '\n';
			buf[at + 1 + (at % 3)] = '\n';
			assert_ptr_equal(line_end(buf), buf + at);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_lengths),
		cmocka_unit_test(test_hex_values),
		cmocka_unit_test(test_hex_random),
		cmocka_unit_test(test_line_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
