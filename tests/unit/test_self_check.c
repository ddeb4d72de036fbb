/* The self-checks that see physically impossible outcomes, on crafted run
 * directories: each one raised beyond the figures' spread, never within
 * it, and naming what the run says about a busy machine. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "self_check.h"
#include "unit_helpers.h"
#include "xalloc.h"

static char *run; /* a temporary directory */

static const char *const meta_plain = "{\"settings\": [{\"name\": \"falseshare.padded_bytes\", \"value\": \"64\"}]}\n";
static const char *const falseshare_header =
	"variant,threads,distance_bytes,ns_per_op,ops_per_s_per_thread,slowdown,ns_per_op_p5,ns_per_op_p95,unstable\n";
static const char *const levels_header = "level,latency_ns,latency_cycles,ends_bytes,hwloc_cache,hwloc_size_bytes,agrees\n";
static const char *const latency_header =
	"size_bytes,order,pages,loads,latency_ns,latency_cycles,latency_ns_min,latency_ns_p5,latency_ns_p95,latency_ns_mad,unstable\n";
static const char *const states_header =
	"cpu_a,cpu_b,cpu_c,relation,state,op,latency_ns,latency_cycles,latency_ns_p5,latency_ns_p95,accesses,unstable\n";
static const char *const c2c_header =
	"cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles,latency_ns_p5,latency_ns_p95,round_trips,unstable\n";
static const char *const contention_header = "variant,threads,ns_per_op,ops_per_s,ns_per_op_p5,ns_per_op_p95,unstable\n";
static const char *const controls_header = "when,control,value,unit,spread\n";
static const char *const bandwidth_header =
	"size_bytes,op,threads,bandwidth_gbs,bandwidth_gbs_min,bandwidth_gbs_p5,bandwidth_gbs_p95,bandwidth_gbs_mad,unstable\n";
static const char *const topology_header = "cache,level,type,instance,size_bytes,line_bytes,ways,pu_count,pus\n";

/* The sweep's points: two on each plateau of L1 (1.2 ns, to 48 KiB), L2
 * (4 ns, to 1 MiB), L3 (14 ns, to 32 MiB) and memory (95 ns), each within
 * 5% of its median. */
static const char *const latency_points =
	"16384,tlb,4k,1000,1.2,4.8,1.18,1.17,1.23,0.01,0\n"
	"32768,tlb,4k,1000,1.2,4.8,1.18,1.17,1.24,0.01,0\n"
	"262144,tlb,4k,1000,4.0,16,3.9,3.85,4.15,0.05,0\n"
	"524288,tlb,4k,1000,4.1,16.4,4.0,3.95,4.25,0.05,0\n"
	"4194304,tlb,4k,1000,14,56,13.5,13.4,14.6,0.2,0\n"
	"16777216,tlb,4k,1000,14.2,57,13.6,13.6,14.8,0.2,0\n"
	"268435456,tlb,4k,1000,95,380,92,91,99,1,0\n";

static int make_run(void **state)
{
	*state = run = unit_temp_dir("self-check");
	unit_write_file(run, "meta.json", meta_plain, NULL);
	return 0;
}

/* Runs the checks on the crafted run: the check NAME must have VERDICT and
 * its detail every one of WORDS (NULL-terminated). */
static void expect_verdict(const char *name, enum self_check_verdict verdict, ...)
{
	size_t max = self_checks_count();
	struct self_check *checks = xcalloc(max, sizeof(*checks));
	struct ml_error err = { 0 };
	int n = self_checks_run(run, checks, max, &err);
	const struct self_check *found = NULL;
	const char *word;
	va_list ap;

	if (n < 0)
		fail_msg("self-checks of %s failed: %s", run, err.msg);
	for (int i = 0; i < n; i++)
		if (strcmp(checks[i].name, name) == 0)
			found = &checks[i];
	if (!found)
		fail_msg("no self-check named %s (expected %s)", name, self_check_verdict_names[verdict]);
	/* A detail is a whole sentence: one cut short by its buffer is not. */
	if (strlen(found->detail) + 1 >= sizeof(found->detail))
		fail_msg("check %s: its detail fills its %zu bytes, cut short: %s", name, sizeof(found->detail), found->detail);
	if (found->verdict != verdict)
		fail_msg("check %s: expected %s, got %s: %s", name, self_check_verdict_names[verdict],
			 self_check_verdict_names[found->verdict], found->detail);
	va_start(ap, verdict);
	while ((word = va_arg(ap, const char *)))
		if (!strstr(found->detail, word))
			fail_msg("check %s (%s): expected \"%s\" in its detail, got: %s", name,
				 self_check_verdict_names[verdict], word, found->detail);
	va_end(ap);
	free(checks);
}

/* The points seen on a busy machine: sharing a line measured faster than
 * padding it, 0.63x (atomic) and 0.46x (read-mostly), each within 2%. */
static const char *const falseshare_faster =
	"plain,2,8,2.7,370000000,4.27,2.65,2.75,0\n"
	"atomic,2,8,15.1,66000000,0.63,14.9,15.3,0\n"
	"readmostly,2,8,0.71,1400000000,0.46,0.70,0.72,0\n";

static void test_falseshare_faster_than_padded_on_a_busy_machine(void **state)
{
	(void)state;
	unit_write_file(run, "meta.json",
			"{\"conditions\": [{\"benchmark\": \"falseshare\", \"pus\": 2, \"verdict\": \"busy\", "
			"\"why\": \"PU 1 ran the probe's thread 40% of the time\"}]}\n", NULL);
	unit_write_file(run, "falseshare.csv", falseshare_header, falseshare_faster, NULL);
	expect_verdict("falseshare-slowdown", CHECK_DISAGREES, "falseshare readmostly", "0.46x", "2 of 3 points",
		       "busy while falseshare ran", "PU 1 ran the probe's thread 40% of the time", NULL);
	/* Every reason the guard can give, with many threads: the detail says
	 * the first and stays whole. */
	unit_write_file(run, "meta.json",
			"{\"conditions\": [{\"benchmark\": \"falseshare\", \"verdict\": \"oversubscribed\", \"why\": \"125 of "
			"4000 measurements gave up at their deadline, then the benchmark stopped and more; PU 63 ran the probe's "
			"thread 40% of the time; the hypervisor took 12% of the CPU time (steal)\"}]}\n", NULL);
	unit_write_file(run, "falseshare.csv", falseshare_header, "readmostly,64,32,0.71,1400000000,0.46,0.70,0.72,0\n",
			"atomic,48,16,15.1,66000000,0.63,14.9,15.3,0\n", NULL);
	expect_verdict("falseshare-slowdown", CHECK_DISAGREES, "readmostly, 64 threads 32 bytes apart",
		       "oversubscribed while falseshare ran (125 of 4000 measurements gave up", NULL);
}

static void test_falseshare_faster_busy_by_the_controls(void **state)
{
	(void)state;
	/* No conditions of its own: the cpu control right after it says. */
	unit_write_file(run, "falseshare.csv", falseshare_header, falseshare_faster, NULL);
	unit_write_file(run, "controls.csv", controls_header, "start,cpu,1,share,0\n",
			"after-falseshare,cpu,0.45,share,0\n", NULL);
	expect_verdict("falseshare-slowdown", CHECK_DISAGREES, "0.46x", "right after falseshare a PU ran a thread 45%", NULL);
	/* Nothing says the machine was busy: the other likely causes. */
	unit_write_file(run, "controls.csv", controls_header, "start,cpu,1,share,0\n",
			"after-falseshare,cpu,1,share,0\n", NULL);
	expect_verdict("falseshare-slowdown", CHECK_DISAGREES, "0.46x", "did not run at the same time", NULL);
	/* Another benchmark of the run had a busy machine. */
	unit_write_file(run, "meta.json",
			"{\"conditions\": [{\"benchmark\": \"c2c\", \"verdict\": \"ok\", \"why\": \"\"}, "
			"{\"benchmark\": \"contention\", \"verdict\": \"oversubscribed\", \"why\": \"PU 0 ran the probe's thread 30% "
			"of the time\"}]}\n", NULL);
	expect_verdict("falseshare-slowdown", CHECK_DISAGREES, "busy during the run (contention was oversubscribed", NULL);
}

static void test_falseshare_noise_is_no_finding(void **state)
{
	(void)state;
	/* 0.97x with p5 to p95 covering 1; one thread (no sharing) and
	 * counters a line apart may come out faster. */
	unit_write_file(run, "falseshare.csv", falseshare_header, "atomic,2,8,9.7,103000000,0.97,9.0,10.6,0\n",
			"plain,1,8,0.5,2000000000,0.5,0.49,0.51,0\nplain,2,64,0.5,2000000000,0.8,0.49,0.51,0\n", NULL);
	expect_verdict("falseshare-slowdown", CHECK_AGREES, "(1)", NULL);
}

static void test_level_below_the_previous(void **state)
{
	(void)state;
	unit_write_file(run, "latency.csv", latency_header, latency_points, NULL);
	/* L3 at 3 ns: beyond L2's 4 ns less its spread. */
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n",
			"3,3.0,12,33554432,L3,33554432,yes\nmemory,95,380,,,,\n", NULL);
	unit_write_file(run, "controls.csv", controls_header, "start,cpu,1,share,0\n",
			"after-latency,cpu,0.5,share,0\n", NULL);
	expect_verdict("levels-rising", CHECK_DISAGREES, "level 3 at 3.00 ns", "below level 2 at 4.00 ns",
		     "right after latency a PU ran a thread 50%", NULL);
	/* 3.9 ns: within the two levels' spread. */
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n",
			"3,3.9,15.6,33554432,L3,33554432,yes\nmemory,95,380,,,,\n", NULL);
	expect_verdict("levels-rising", CHECK_AGREES, "3 levels", NULL);
}

static void test_memory_below_the_last_cache(void **state)
{
	(void)state;
	unit_write_file(run, "latency.csv", latency_header, latency_points, NULL);
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n",
			"3,14,56,33554432,L3,33554432,yes\nmemory,10,40,,,,\n", NULL);
	expect_verdict("memory-above-caches", CHECK_DISAGREES, "memory latency 10.0 ns (the sweep's memory level",
		     "below level 3 at 14.00 ns", NULL);
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n",
			"3,14,56,33554432,L3,33554432,yes\nmemory,95,380,,,,\n", NULL);
	expect_verdict("memory-above-caches", CHECK_AGREES, "memory latency 95.0 ns", NULL);
	/* A sweep short of memory: states' loads of Invalid lines stand for
	 * it, with their own spread. */
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n",
			"3,14,56,,L3,33554432,beyond-sweep\n", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,9,36,8.5,9.5,1792,0\n", NULL);
	expect_verdict("memory-above-caches", CHECK_DISAGREES, "states' loads of Invalid lines", NULL);
	unit_write_file(run, "states.csv", states_header, "0,1,,same-numa,I,load,12,48,9,15,1792,1\n", NULL);
	expect_verdict("memory-above-caches", CHECK_AGREES, "12.0 ns (states' loads of Invalid lines) is not below", NULL);
}

static void test_transfer_faster_than_an_l1_hit(void **state)
{
	(void)state;
	unit_write_file(run, "latency.csv", latency_header, latency_points, NULL);
	unit_write_file(run, "levels.csv", levels_header,
			"1,1.2,4.8,49152,L1d,49152,yes\n2,4.0,16,1048576,L2,1048576,yes\n", NULL);
	unit_write_file(run, "c2c.csv", c2c_header, "0,1,shared-L3,store,60,240,58,62,100000,0\n",
			"1,0,shared-L3,store,0.8,3,0.75,0.85,100000,0\n", NULL);
	expect_verdict("c2c-above-l1", CHECK_DISAGREES, "1->0 store takes 0.80 ns", "the sweep's level 1", NULL);
	unit_write_file(run, "c2c.csv", c2c_header, "0,1,shared-L3,store,60,240,58,62,100000,0\n", NULL);
	expect_verdict("c2c-above-l1", CHECK_AGREES, "the fastest, 0->1 store: 62.0 ns", NULL);
	/* Without the sweep: the l1 control, less its spread. */
	unit_write_file(run, "levels.csv", levels_header, NULL);
	unit_write_file(run, "controls.csv", controls_header, "start,l1,1.25,ns,0.02\n", NULL);
	unit_write_file(run, "c2c.csv", c2c_header, "0,1,smt,cas,1.1,4,1.0,1.15,100000,0\n", NULL);
	expect_verdict("c2c-above-l1", CHECK_DISAGREES, "the l1 control", NULL);
}

static void test_contention_above_its_threads_alone(void **state)
{
	(void)state;
	unit_write_file(run, "meta.json",
			"{\"conditions\": [{\"benchmark\": \"contention\", \"verdict\": \"busy\", \"why\": \"the hypervisor took "
			"12% of the CPU time (steal)\"}]}\n", NULL);
	/* 4 threads at 900 M/s where one alone does 166 M/s. */
	unit_write_file(run, "contention.csv", contention_header, "faa,1,6.0,166000000,5.9,6.1,0\n",
			"faa,4,4.4,900000000,4.3,4.5,0\nring-padded,2,54,18000000,53,55,0\n", NULL);
	expect_verdict("contention-scaling", CHECK_DISAGREES, "contention faa, 4 threads: 900.0 M ops/s",
		     "busy while contention ran", "12% of the CPU time", NULL);
	unit_write_file(run, "contention.csv", contention_header, "faa,1,6.0,166000000,5.9,6.1,0\n",
			"faa,4,90,44000000,80,100,0\n", NULL);
	expect_verdict("contention-scaling", CHECK_AGREES, "(1)", NULL);
}

static void test_bandwidth_above_the_copy_controls(void **state)
{
	(void)state;
	unit_write_file(run, "topology.csv", topology_header, "L1d,1,data,0,49152,64,12,1,0\n",
			"L3,3,unified,0,33554432,64,16,8,0-7\n", NULL);
	unit_write_file(run, "controls.csv", controls_header, "start,copy,10,GB/s,0.05\nstart,copy-all,20,GB/s,0.05\n",
			"start,cpu,1,share,0\n", NULL);
	/* A copy of 2 threads over 256 MiB each at 45 GB/s where every PU
	 * copying at once gets 20; caches are not beyond the caches. */
	unit_write_file(run, "bandwidth.csv", bandwidth_header, "268435456,copy,2,45,43,44,46,0.5,0\n",
			"4096,read,1,170,168,169,175,2,0\n", NULL);
	expect_verdict("bandwidth-vs-copy", CHECK_DISAGREES, "copy bandwidth 45.0 GB/s (p5 44.0) of 2 threads", NULL);
	/* A read may count more than a copy (no write-allocate): one thread
	 * at 30 GB/s is within the ceiling. */
	unit_write_file(run, "bandwidth.csv", bandwidth_header, "268435456,copy,2,18,17,17.5,19,0.5,0\n",
			"268435456,read,1,30,29,29.5,31,0.5,0\n", NULL);
	expect_verdict("bandwidth-vs-copy", CHECK_AGREES, "(2 points)", NULL);
}

static void test_not_checked_without_inputs(void **state)
{
	static const char *const names[] = { "falseshare-slowdown", "levels-rising", "memory-above-caches",
					      "c2c-above-l1", "contention-scaling", "bandwidth-vs-copy" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		expect_verdict(names[i], CHECK_NOT_CHECKED, "needs", NULL);
}

static void test_unreadable_meta(void **state)
{
	struct self_check checks[32];
	struct ml_error err = { 0 };

	(void)state;
	unit_write_file(run, "meta.json", "{\"conditions\": [", NULL);
	assert_int_equal(self_checks_run(run, checks, 32, &err), -1);
	if (!strstr(err.msg, "meta.json"))
		fail_msg("a broken meta.json: expected an error naming it, got: %s", err.msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_falseshare_faster_than_padded_on_a_busy_machine, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_falseshare_faster_busy_by_the_controls, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_falseshare_noise_is_no_finding, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_level_below_the_previous, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_memory_below_the_last_cache, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_transfer_faster_than_an_l1_hit, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_contention_above_its_threads_alone, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_bandwidth_above_the_copy_controls, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_not_checked_without_inputs, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_meta, make_run, unit_temp_dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
