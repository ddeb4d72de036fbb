/* The rule of explain's fix: the padded replay must save modelled memory
 * cycles under every protocol. A lock and its counter moved apart miss
 * less and cost more cycles under both (it was called a fix for its
 * fewer misses); the words say the misses fell, "adds more misses" only
 * where they rose, and each protocol's where they rose under one and
 * fell under another. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain_saving.h"

/* WHY has TEXT: a failure prints both. */
static void expect_words(const char *why, const char *text)
{
	if (!strstr(why, text))
		fail_msg("expected '%s' in: %s", text, why);
}

/* explain_saves of the N protocols S is WANT: a failure prints them. */
static void expect_rule(const struct explain_saving *s, unsigned n, bool want)
{
	if (explain_saves(s, n) == want)
		return;
	for (unsigned p = 0; p < n; p++)
		print_error("%s: misses %llu -> %llu, cycles %llu -> %llu\n", s[p].protocol,
			    (unsigned long long)s[p].misses, (unsigned long long)s[p].misses_padded,
			    (unsigned long long)s[p].cycles, (unsigned long long)s[p].cycles_padded);
	fail_msg("expected %s, got %s", want ? "a fix" : "no fix", want ? "no fix" : "a fix");
}

static void fewer_misses_more_cycles(void **state)
{
	/* explain tf4.trace --order timed: a lock and its counter apart. */
	const struct explain_saving s[] = { { "msi", 27984, 24028, 15208088, 15222004 },
					    { "mesi", 27984, 24028, 12742832, 12750866 } };
	char *why;

	(void)state;
	expect_rule(s, 2, false);
	why = explain_no_saving(s, 2);
	expect_words(why, "though the misses fall");
	if (strstr(why, "adds more misses"))
		fail_msg("misses fell, got: %s", why);
	free(why);
}

static void same_misses(void **state)
{
	const struct explain_saving s[] = { { "msi", 100, 100, 5000, 5100 } };
	char *why;

	(void)state;
	expect_rule(s, 1, false);
	why = explain_no_saving(s, 1);
	expect_words(why, "the misses stay as many");
	if (strstr(why, "adds more misses"))
		fail_msg("misses +0, got: %s", why);
	free(why);
}

static void more_misses(void **state)
{
	const struct explain_saving s[] = { { "msi", 846, 1638, 1298456, 1551852 },
					    { "mesi", 846, 1638, 1292486, 1353992 } };
	char *why;

	(void)state;
	expect_rule(s, 2, false);
	why = explain_no_saving(s, 2);
	expect_words(why, "adds more misses than its false sharing costs");
	free(why);
}

/* The misses rose under one protocol and fell under the other, the
 * cycles saved under neither: each protocol's said (it said that moving
 * the data apart adds more misses, under both). */
static void misses_rise_and_fall(void **state)
{
	const struct explain_saving s[] = { { "msi", 846, 1638, 1298456, 1551852 },
					    { "mesi", 846, 700, 1292486, 1353992 } };
	char *why;

	(void)state;
	expect_rule(s, 2, false);
	why = explain_no_saving(s, 2);
	expect_words(why, "more misses under msi, fewer under mesi");
	if (strstr(why, "adds more misses"))
		fail_msg("misses fell under mesi, got: %s", why);
	free(why);
}

/* Cycles saved under one protocol, not the other: no fix, the other named. */
static void one_protocol_saves(void **state)
{
	const struct explain_saving s[] = { { "msi", 900, 800, 10000, 9000 }, { "mesi", 900, 800, 8000, 8000 } };
	char *why;

	(void)state;
	expect_rule(s, 2, false);
	why = explain_no_saving(s, 2);
	expect_words(why, "no saving of modelled memory cycles under mesi:");
	free(why);
}

static void saves_everywhere(void **state)
{
	const struct explain_saving s[] = { { "msi", 1600019, 26, 1040011152, 8018816 },
					    { "mesi", 1600019, 26, 480009632, 8012916 } };

	(void)state;
	expect_rule(s, 2, true);
	/* Fewer cycles with as many misses is a saving too. */
	expect_rule((const struct explain_saving[]){ { "msi", 21, 21, 12440, 12132 } }, 1, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fewer_misses_more_cycles),
		cmocka_unit_test(same_misses),
		cmocka_unit_test(more_misses),
		cmocka_unit_test(misses_rise_and_fall),
		cmocka_unit_test(one_protocol_saves),
		cmocka_unit_test(saves_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
