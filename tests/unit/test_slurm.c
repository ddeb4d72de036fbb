/* sbatch's --output for a log in a directory: the directory taken
 * literally (each % doubled, a backslash refused), the name as the
 * filename pattern mesilab means. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "slurm.h"

struct pattern_case {
	const char *dir, *name, *expected; /* NULL: refused */
};

static void test_output_pattern(void **state)
{
	static const struct pattern_case cases[] = {
		{ "/shared/sweep", "task-%a.log", "/shared/sweep/task-%a.log" },
		{ "/shared/res%u", "task-%a.log", "/shared/res%%u/task-%a.log" },
		{ "/x/%j %A_%a %%", "run-%j.log", "/x/%%j %%A_%%a %%%%/run-%j.log" },
		{ "/x/it's `id` $(id)", "collect.log", "/x/it's `id` $(id)/collect.log" },
		{ "/x/back\\slash", "collect.log", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ml_error err = { "" };
		char *got = slurm_output_pattern(cases[i].dir, cases[i].name, &err);

		if (!cases[i].expected && got)
			fail_msg("directory \"%s\": expected a refusal, got \"%s\"", cases[i].dir, got);
		if (!cases[i].expected && !strstr(err.msg, "backslash"))
			fail_msg("directory \"%s\": the refusal does not say why: \"%s\"", cases[i].dir, err.msg);
		if (cases[i].expected && (!got || strcmp(got, cases[i].expected) != 0))
			fail_msg("directory \"%s\", name \"%s\": expected \"%s\", got \"%s\"", cases[i].dir, cases[i].name,
				 cases[i].expected, got ? got : err.msg);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
