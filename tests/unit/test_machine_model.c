/* The model of a run's machine from its files: which caches the simulator
 * takes (a private last level, a shared L2), geometries made to fit, and
 * the latencies' sources and fallbacks (cycles from ns, memory from
 * states.csv or the last plateau, a transfer and an upgrade from
 * states.csv, the hand-over from c2c.csv, transfers between SMT siblings
 * only, an atomic's cost from contention.csv). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine_model.h"
#include "unit_helpers.h"

static const char *const topology_header = "cache,level,type,instance,size_bytes,line_bytes,ways,pu_count,pus\n";
static const char *const levels_header = "level,latency_ns,latency_cycles,ends_bytes,hwloc_cache,hwloc_size_bytes,agrees\n";
static const char *const c2c_header = "cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles\n";
static const char *const states_header = "cpu_a,cpu_b,cpu_c,relation,state,op,latency_ns,latency_cycles\n";
static const char *const clock_2ghz = "{\"clock\": {\"core_ghz\": 2.0}}\n";

static int make_run(void **state)
{
	*state = unit_temp_dir("machine");
	return 0;
}

static void read_model(const char *run, struct machine_model *m)
{
	struct ml_error err = { 0 };

	if (machine_model_read(run, m, &err) < 0)
		fail_msg("machine_model_read: %s", err.msg);
}

static void expect_cache(const struct machine_part_value *p, uint64_t size, unsigned ways, unsigned line)
{
	if (!p->from_run || p->size != size || (size && (p->ways != ways || p->line != line)))
		fail_msg("expected %llu:%u:%u from the run, got %llu:%u:%u (%s: %s)", (unsigned long long)size, ways,
			 line, (unsigned long long)p->size, p->ways, p->line, p->from_run ? "run" : "default", p->source);
}

static void expect_cycles(const struct machine_part_value *p, unsigned cycles)
{
	if (!p->from_run || p->cycles != cycles)
		fail_msg("expected %u cycles from the run, got %u (%s: %s)", cycles, p->cycles,
			 p->from_run ? "run" : "default", p->source);
}

static void expect_default(const struct machine_part_value *p, const char *why)
{
	if (p->from_run || !strstr(p->source, why))
		fail_msg("expected the default, saying '%s'; got %s: %s", why, p->from_run ? "run" : "default", p->source);
}

/* A last level each PU has to itself (a virtual machine's): the
 * simulator's is shared, so none, said; the private L2 kept. */
static void private_last_level(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "topology.csv", topology_header, "L1d,1,data,0,49152,64,12,1,0\n",
			"L1d,1,data,1,49152,64,12,1,1\n", "L2,2,unified,0,1048576,64,8,1,0\n",
			"L3,3,unified,0,33554432,64,16,1,0\n", "L3,3,unified,1,33554432,64,16,1,1\n", NULL);
	read_model(*state, &m);
	expect_cache(&m.part[MACHINE_L1], 49152, 12, 64);
	expect_cache(&m.part[MACHINE_L2], 1048576, 8, 64);
	expect_cache(&m.part[MACHINE_LLC], 0, 0, 0);
	assert_int_equal(m.nnotes, 1);
	assert_non_null(strstr(m.notes[0], "L3 serves 1 PU an instance"));
	assert_int_equal(m.pus, 2);
	expect_default(&m.part[MACHINE_HIT], "no levels.csv");
}

/* An L2 shared by four cores and no L3: the last level, with no private
 * L2; ways hwloc does not know: 16, said. */
static void shared_l2(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "topology.csv", topology_header, "L1d,1,data,0,32768,64,8,1,0\n",
			"L2,2,unified,0,4194304,64,0,4,0-3\n", NULL);
	read_model(*state, &m);
	expect_cache(&m.part[MACHINE_L2], 0, 0, 0);
	expect_cache(&m.part[MACHINE_LLC], 4194304, 16, 64);
	assert_non_null(strstr(m.part[MACHINE_LLC].source, "ways unknown"));
	assert_int_equal(m.nnotes, 0);
}

/* Sets no power of two: as many as the ways allow, rounded down, and the
 * ways the size fills (260 MiB in 20 ways: 256 MiB in 32). */
static void geometry_made_to_fit(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "topology.csv", topology_header, "L1d,1,data,0,32768,64,8,1,0\n",
			"L3,3,unified,0,272629760,64,20,2,0-1\n", NULL);
	read_model(*state, &m);
	expect_cache(&m.part[MACHINE_LLC], 268435456, 32, 64);
	assert_non_null(strstr(m.part[MACHINE_LLC].source, "260 MiB 20-way made 256 MiB 32-way"));
}

/* A level in ns only: at meta.json's clock; without a clock, the default,
 * said. */
static void cycles_from_ns(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "levels.csv", levels_header, "1,2.0,,,,,\n", "memory,80.0,,,,,\n", NULL);
	read_model(*state, &m);
	expect_default(&m.part[MACHINE_HIT], "no cycles, and the run no clock");
	unit_write_file(*state, "meta.json", clock_2ghz, NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_HIT], 4);
	expect_cycles(&m.part[MACHINE_MEMORY], 160);
}

/* No memory level (a quick sweep): states' loads of Invalid lines, else
 * the last plateau where it lies beyond every cache. */
static void memory_fallbacks(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "meta.json", clock_2ghz, NULL);
	unit_write_file(*state, "topology.csv", topology_header, "L1d,1,data,0,32768,64,8,1,0\n",
			"L2,2,unified,0,1048576,64,16,1,0\n", NULL);
	unit_write_file(*state, "levels.csv", levels_header, "1,2.0,4,,L1d,32768,yes\n", "2,5.0,10,,L2,1048576,yes\n",
			"3,50.0,100,,,,\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_MEMORY], 100);
	assert_non_null(strstr(m.part[MACHINE_MEMORY].source, "last plateau"));
	unit_write_file(*state, "states.csv", states_header, "0,1,,same-numa,I,load,60.0,120\n",
			"0,1,,same-numa,I,load,70.0,140\n", "0,1,,same-numa,M,load,90.0,180\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_MEMORY], 130);
	assert_non_null(strstr(m.part[MACHINE_MEMORY].source, "states.csv"));
}

/* Only SMT siblings measured: their transfers, said. */
static void c2c_smt_only(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "c2c.csv", c2c_header, "0,1,smt,store,10.0,30\n", "1,0,smt,store,12.0,36\n",
			"0,1,smt,cas,20.0,60\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_C2C], 33);
	assert_non_null(strstr(m.part[MACHINE_C2C].source, "SMT siblings only"));
	expect_cycles(&m.part[MACHINE_HANDOVER], 33);
	expect_default(&m.part[MACHINE_BUS], "the run has no states.csv");
}

/* A transfer is states.csv's load of a Modified line (180, between cores;
 * the SMT siblings' 12 left out), an upgrade its store to a line both
 * share (200), the hand-over c2c.csv's one-way time (150). A load of a
 * Modified line no slower than the core's own L2 (10) is no transfer
 * (siblings sharing an L1, measured as if apart): c2c.csv's stands for
 * it, and a note says why. */
static void transfers_from_states(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "levels.csv", levels_header, "1,2.0,4,,,,\n", "2,5.0,10,,,,\n", NULL);
	unit_write_file(*state, "c2c.csv", c2c_header, "0,1,shared-L3,store,75.0,150\n", NULL);
	unit_write_file(*state, "states.csv", states_header, "0,1,,shared-L3,M,load,90.0,180\n",
			"0,2,,smt,M,load,6.0,12\n", "0,1,,shared-L3,SA,store,100.0,200\n",
			"0,1,,shared-L3,M,store,95.0,190\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_C2C], 180);
	assert_non_null(strstr(m.part[MACHINE_C2C].source, "states.csv, the median of its loads of a line another core left Modified (1 row, shared-L3)"));
	expect_cycles(&m.part[MACHINE_BUS], 200);
	expect_cycles(&m.part[MACHINE_HANDOVER], 150);
	assert_int_equal(m.nnotes, 0);

	unit_write_file(*state, "states.csv", states_header, "0,1,,shared-L3,M,load,4.0,8\n",
			"0,1,,shared-L3,SA,store,100.0,200\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_C2C], 150);
	assert_non_null(strstr(m.part[MACHINE_C2C].source, "c2c.csv, median of 1 store transfer (shared-L3), as states.csv's loads of a Modified line are no transfer (see the notes)"));
	assert_int_equal(m.nnotes, 1);
	if (!strstr(m.notes[0], "no more than a hit in the core's own caches"))
		fail_msg("the note: %s", m.notes[0]);
}

/* An atomic's cost: contention.csv's faa on one thread (5 ns at 2 GHz, 10
 * cycles) less the L1 hit (4); without a clock, the default. */
static void atomic_from_contention(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "levels.csv", levels_header, "1,2.0,4,,,,\n", NULL);
	unit_write_file(*state, "contention.csv", "variant,threads,ns_per_op,ops_per_s\n", "faa,2,30.0,66000000\n",
			"faa,1,5.0,200000000\n", NULL);
	read_model(*state, &m);
	expect_default(&m.part[MACHINE_ATOMIC], "no clock");
	unit_write_file(*state, "meta.json", clock_2ghz, NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_ATOMIC], 6);
}

/* A latency to the nearest sixteenth of a cycle, the simulator's time
 * base: 1.8 cycles is 1 13/16 (whole cycles made it 2, 11% off), 102.4
 * is 102 6/16; under a sixteenth, one. */
static void sixteenths(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "levels.csv", levels_header, "1,1.69,1.8,,,,\n", "2,0.01,0.01,,,,\n",
			"memory,98.14,102.4,,,,\n", NULL);
	read_model(*state, &m);
	expect_cycles(&m.part[MACHINE_HIT], 1);
	assert_int_equal(m.part[MACHINE_HIT].sixteenths, 13);
	expect_cycles(&m.part[MACHINE_L2_HIT], 0);
	assert_int_equal(m.part[MACHINE_L2_HIT].sixteenths, 1);
	expect_cycles(&m.part[MACHINE_MEMORY], 102);
	assert_int_equal(m.part[MACHINE_MEMORY].sixteenths, 6);
}

/* The spread of a transfer: half the width of each store row's 5th to
 * 95th percentiles over its median (10%, 15%, 20% between cores; the SMT
 * siblings' 90% left out), their median: 15. Without percentiles, none. */
static void spread(void **state)
{
	struct machine_model m;

	unit_write_file(*state, "c2c.csv", "cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles,latency_ns_p5,latency_ns_p95\n",
			"0,1,shared-L3,store,100.0,300,90.0,110.0\n", "1,0,shared-L3,store,200.0,600,180.0,240.0\n",
			"1,2,shared-L3,store,50.0,150,40.0,60.0\n", "0,3,smt,store,10.0,30,1.0,19.0\n",
			"0,1,shared-L3,cas,100.0,300,0.0,200.0\n", NULL);
	read_model(*state, &m);
	assert_int_equal(m.spread, 15);
	assert_non_null(strstr(m.spread_source, "the median of 3 rows"));
	unit_write_file(*state, "c2c.csv", c2c_header, "0,1,shared-L3,store,100.0,300\n", NULL);
	read_model(*state, &m);
	assert_int_equal(m.spread, 0);
	assert_non_null(strstr(m.spread_source, "no percentiles"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(private_last_level, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(shared_l2, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(geometry_made_to_fit, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(cycles_from_ns, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(sixteenths, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(spread, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(memory_fallbacks, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(c2c_smt_only, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(transfers_from_states, make_run, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(atomic_from_contention, make_run, unit_temp_dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
