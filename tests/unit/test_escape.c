/* The escaping routines, one per language: for each, text with quotes,
 * backquotes, line breaks, control bytes and the language's own markup,
 * and what it must become. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"
#include "unit_helpers.h"

struct escape_case {
	const char *input, *expected;
};

/* Runs WRITE on every case; a mismatch names the input, what was expected
 * and what came out. */
static void check_cases(const char *language, void (*write)(FILE *, const char *),
			const struct escape_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct unit_capture c;
		char *got;

		write(unit_capture_begin(&c), cases[i].input);
		got = unit_capture_end(&c);
		if (strcmp(got, cases[i].expected) != 0)
			fail_msg("%s: input \"%s\": expected \"%s\", got \"%s\"", language, cases[i].input,
				 cases[i].expected, got);
		free(got);
	}
}

#define CHECK(language, write, cases) check_cases(language, write, cases, sizeof(cases) / sizeof(cases[0]))

static void test_gnuplot_string(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "''" },
		{ "plain text", "'plain text'" },
		{ "O'Brien/run1", "'O''Brien/run1'" },
		{ "x'.system('touch /tmp/owned').'", "'x''.system(''touch /tmp/owned'').'''" },
		{ "`touch /tmp/owned`", "'`touch /tmp/owned`'" },
		{ "a\nset output '/etc/x'", "'a set output ''/etc/x'''" },
		{ "cr\rtab\tesc\033[2J", "'cr tab esc [2J'" },
		{ "@macro $1 \"dq\" \\", "'@macro $1 \"dq\" \\'" },
		{ "caf\xc3\xa9", "'caf\xc3\xa9'" },
	};

	(void)state;
	CHECK("gnuplot string", escape_gnuplot_string, cases);
}

static void test_gnuplot_datum(void **state)
{
	static const struct escape_case cases[] = {
		{ "MESI", "\"MESI\"" },
		{ "two words", "\"two words\"" },
		{ "a\"b", "\"a'b\"" },
		{ "line\nbreak", "\"line break\"" },
		{ "`id` '@x'", "\"`id` '@x'\"" },
	};

	(void)state;
	CHECK("gnuplot datum", escape_gnuplot_datum, cases);
}

static void test_shell_word(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "''" },
		{ "/results/run 1", "'/results/run 1'" },
		{ "O'Brien", "'O'\\''Brien'" },
		{ "$(id)`id`;rm -rf ~", "'$(id)`id`;rm -rf ~'" },
		{ "a\nb", "'a\nb'" },
		{ "%j%u", "'%j%u'" },
	};
	char *s;

	(void)state;
	CHECK("shell", escape_shell_word, cases);
	s = escape_shell_word_new("it's");
	assert_string_equal(s, "'it'\\''s'");
	free(s);
}

static void test_markdown(void **state)
{
	static const struct escape_case cases[] = {
		{ "plain text, 12.5 ns", "plain text, 12.5 ns" },
		{ "host\n# Owned", "host # Owned" },
		{ "<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>" },
		{ "[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))" },
		{ "![x](http://evil/x.png)", "\\!\\[x\\](http://evil/x.png)" },
		{ "*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`" },
		{ "a | b", "a \\| b" },
		{ "&lt; &#65;", "\\&lt; \\&#65;" },
		{ "# heading", "\\# heading" },
		{ "- item", "\\- item" },
		{ "+ item", "\\+ item" },
		{ "> quote", "\\> quote" },
		{ "1. first", "1\\. first" },
		{ "12) first", "12\\) first" },
		{ "2026-12-07 host-1", "2026-12-07 host-1" },
		{ "    code", "&#32;   code" },
		{ "esc\033[31m red", "esc \\[31m red" },
		{ "back\\slash ~~strike~~ $x$", "back\\\\slash \\~\\~strike\\~\\~ \\$x\\$" },
	};

	(void)state;
	CHECK("markdown", escape_markdown, cases);
}

static void test_markdown_url(void **state)
{
	static const struct escape_case cases[] = {
		{ "figures/latency.png", "<figures/latency.png>" },
		{ "figures/a b.png", "<figures/a%20b.png>" },
		{ "x>)<javascript:y", "<x%3E%29%3Cjavascript%3Ay>" },
		{ "a\nb", "<a%0Ab>" },
	};

	(void)state;
	CHECK("markdown url", escape_markdown_url, cases);
}

static void test_html(void **state)
{
	static const struct escape_case cases[] = {
		{ "<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;" },
		{ "a\nb\tc", "a\nb\tc" },
		{ "bell\a esc\033", "bell esc" },
	};

	(void)state;
	CHECK("html", escape_html, cases);
}

static void write_terminal(FILE *fp, const char *text)
{
	escape_terminal(fp, text, false);
}

static void write_terminal_lines(FILE *fp, const char *text)
{
	escape_terminal(fp, text, true);
}

static void test_terminal(void **state)
{
	static const struct escape_case lines[] = {
		{ "plain", "plain" },
		{ "\033]0;title\a\033[2J", "?]0;title??[2J" },
		{ "a\nb\tc\r", "a?b?c?" },
		{ "del\x7f", "del?" },
		{ "csi\xc2\x9b" "31m", "csi?31m" },
		{ "raw\x9b" "31m", "raw?31m" },
		{ "caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80" },
		{ "cut\xe2\x80", "cut??" },
	}, kept[] = {
		{ "a\nb\tc\r", "a\nb\tc?" },
	};
	char *s;

	(void)state;
	CHECK("terminal", write_terminal, lines);
	CHECK("terminal (lines kept)", write_terminal_lines, kept);
	s = escape_terminal_new("x\033y");
	assert_string_equal(s, "x?y");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gnuplot_string), cmocka_unit_test(test_gnuplot_datum),
		cmocka_unit_test(test_shell_word),     cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_url),   cmocka_unit_test(test_html),
		cmocka_unit_test(test_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
