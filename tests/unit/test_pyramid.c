/* The pyramid's levels from a run's files: memory from the sweep, or from
 * a load of a flushed line where the sweep stopped short of it, and a last
 * plateau that is memory by its latency whatever hwloc calls it. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pyramid.h"
#include "unit_helpers.h"
#include "xalloc.h"

static char *run; /* a temporary directory */

static const char *const meta =
	"{\"host\": {\"machine\": \"x86_64\", \"memory_bytes\": 17179869184}, \"clock\": {\"core_ghz\": 4.0}, "
	"\"settings\": []}\n";
static const char *const levels_header = "level,latency_ns,latency_cycles,ends_bytes,hwloc_cache,hwloc_size_bytes,agrees\n";
static const char *const states_header =
	"cpu_a,cpu_b,cpu_c,relation,state,op,latency_ns,latency_cycles,latency_ns_p5,latency_ns_p95,accesses,unstable\n";
static const char *const l1_l2 = "1,1.2,4.8,49152,L1d,49152,yes\n2,4.1,16.4,1048576,L2,1048576,yes\n";

static int make_run(void **state)
{
	*state = run = unit_temp_dir("pyramid");
	unit_write_file(run, "meta.json", meta, NULL);
	return 0;
}

/* The pyramid's levels joined by spaces, each with its latency. */
static char *levels_of_pyramid(void)
{
	struct ml_error err = { 0 };
	struct table *t = pyramid_table(run, &err);
	char *text = xstrdup("");

	assert_non_null(t);
	for (size_t r = 0; r < table_rows(t); r++) {
		char *longer = xasprintf("%s%s%s=%s", text, r ? " " : "", table_get(t, r, 0), table_get(t, r, 1));

		free(text);
		text = longer;
	}
	table_free(t);
	return text;
}

static void expect_levels(const char *expected)
{
	char *got = levels_of_pyramid();

	assert_string_equal(got, expected);
	free(got);
}

static void test_memory_from_the_sweep(void **state)
{
	(void)state;
	unit_write_file(run, "levels.csv", levels_header, l1_l2,
			"3,14,56,33554432,L3,33554432,yes\nmemory,95,380,,,,\n", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,99,396,90,110,1792,0\n", NULL);
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 L3=14 memory=95");
}

static void test_quick_sweep_short_of_memory(void **state)
{
	(void)state;
	/* The sweep ended in the L3: memory is a flushed line's load. */
	unit_write_file(run, "levels.csv", levels_header, l1_l2, "3,14,56,,L3,33554432,beyond-sweep\n", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,99,396,90,110,1792,0\n",
			"1,0,,same-numa,I,load,101,404,90,110,1792,0\n", NULL);
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 L3=14 memory=100");
}

static void test_plateau_beyond_every_cache(void **state)
{
	(void)state;
	/* hwloc's L3 claims far more than the curve shows (a VM): the last
	 * plateau is beyond every cache hwloc reports. */
	unit_write_file(run, "levels.csv", levels_header, l1_l2,
			"3,13.9,55,7571154,L3,532676608,beyond-sweep\n4,55,220,,,,\n", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,98,392,90,110,1792,0\n", NULL);
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 L3=13.9 memory=98");
	/* Without states, the plateau itself. */
	unit_write_file(run, "states.csv", states_header, NULL);
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 L3=13.9 memory=55");
}

static void test_plateau_named_a_cache_but_as_slow_as_memory(void **state)
{
	(void)state;
	/* The sweep merged the L3 into memory and named it after hwloc's L3. */
	unit_write_file(run, "levels.csv", levels_header, l1_l2, "3,105.2,420,,L3,532676608,beyond-sweep\n", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,97.7,390,90,110,1792,0\n", NULL);
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 memory=97.7");
}

static void test_no_memory_without_a_witness(void **state)
{
	(void)state;
	/* A last cache level and no states: memory is not guessed. */
	unit_write_file(run, "levels.csv", levels_header, l1_l2, "3,14,56,,L3,33554432,beyond-sweep\n", NULL);
	{
		char *path = xasprintf("%s/states.csv", run);

		unlink(path);
		free(path);
	}
	expect_levels("registers=0.25 L1d=1.2 L2=4.1 L3=14");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_from_the_sweep),
		cmocka_unit_test(test_quick_sweep_short_of_memory),
		cmocka_unit_test(test_plateau_beyond_every_cache),
		cmocka_unit_test(test_plateau_named_a_cache_but_as_slow_as_memory),
		cmocka_unit_test(test_no_memory_without_a_witness),
	};

	return cmocka_run_group_tests(tests, make_run, unit_temp_dir_teardown);
}
