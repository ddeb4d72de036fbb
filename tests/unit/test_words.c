/* Splitting an option's value into words as a shell would, without any
 * expansion: for each text, the words it must give, or the error. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "words.h"

#define MAX_WORDS 6

struct words_case {
	const char *input;
	size_t count;
	const char *words[MAX_WORDS];
};

static void test_split(void **state)
{
	static const struct words_case cases[] = {
		{ "", 0, { NULL } },
		{ " \t\n ", 0, { NULL } },
		{ "--qos=high", 1, { "--qos=high" } },
		{ "  --hold\t--qos=high\n", 2, { "--hold", "--qos=high" } },
		{ "--comment='two words' --qos=high", 2, { "--comment=two words", "--qos=high" } },
		{ "--comment=\"two words\"", 1, { "--comment=two words" } },
		{ "--comment=two\\ words", 1, { "--comment=two words" } },
		{ "'' \"\" x", 3, { "", "", "x" } },
		{ "a''b \"\"c", 2, { "ab", "c" } },
		{ "'it'\\''s'", 1, { "it's" } },
		{ "\"say \\\"hi\\\"\"", 1, { "say \"hi\"" } },
		/* inside double quotes a backslash is itself before other bytes */
		{ "\"a\\b\" \"\\\\\" \"\\$x\"", 3, { "a\\b", "\\", "$x" } },
		/* inside single quotes nothing is special */
		{ "'a\\b \"c\"'", 1, { "a\\b \"c\"" } },
		/* no expansion of any kind */
		{ "$HOME `id` $(id) * ~ {a,b}", 6, { "$HOME", "`id`", "$(id)", "*", "~", "{a,b}" } },
		{ "\\$HOME \\\\", 2, { "$HOME", "\\" } },
		/* a backslash and a line break join lines */
		{ "a\\\nb \\\n c", 2, { "ab", "c" } },
		{ "\"a\\\nb\"", 1, { "ab" } },
		{ "'line\nbreak'", 1, { "line\nbreak" } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ml_error err;
		size_t n = 99;
		char **words = words_split(cases[i].input, &n, &err);

		if (!words)
			fail_msg("input \"%s\": expected %zu words, got the error \"%s\"", cases[i].input, cases[i].count,
				 err.msg);
		if (n != cases[i].count)
			fail_msg("input \"%s\": expected %zu words, got %zu", cases[i].input, cases[i].count, n);
		for (size_t k = 0; k < n; k++)
			if (strcmp(words[k], cases[i].words[k]) != 0)
				fail_msg("input \"%s\": word %zu: expected \"%s\", got \"%s\"", cases[i].input, k + 1,
					 cases[i].words[k], words[k]);
		if (words[n])
			fail_msg("input \"%s\": no NULL after the last word", cases[i].input);
		words_free(words);
	}
}

struct refused_case {
	const char *input, *message;
};

static void test_refused(void **state)
{
	static const struct refused_case cases[] = {
		{ "--comment='two words", "the quote ' at byte 11 is not closed" },
		{ "--comment=\"two words", "the quote \" at byte 11 is not closed" },
		{ "'a' \"b\\\"", "the quote \" at byte 5 is not closed" },
		{ "--qos=high \\", "a backslash at the end (byte 12) escapes nothing" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ml_error err = { "" };
		size_t n;
		char **words = words_split(cases[i].input, &n, &err);

		if (words)
			fail_msg("input \"%s\": expected the error \"%s\", got %zu words", cases[i].input,
				 cases[i].message, n);
		if (strcmp(err.msg, cases[i].message) != 0)
			fail_msg("input \"%s\": expected the error \"%s\", got \"%s\"", cases[i].input, cases[i].message,
				 err.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
