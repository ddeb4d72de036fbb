/* Which PUs the core-to-core and coherence-state benchmarks use, on a
 * two-socket SMT machine and on a two-core one. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bench.h"
#include "pairs.h"

/* 2 packages x 2 NUMA nodes x 8 cores x 2 SMT, one L3 per NUMA node. */
#define BIG "pack:2 numa:2 l3:1(size=32MiB) l2:8(size=1MiB) l1d:1(size=48KiB) core:1 pu:2"

static struct topo *load(const char *synthetic)
{
	struct ml_error err;
	struct topo *t = topo_load(TOPO_SYNTHETIC, synthetic, &err);

	if (!t)
		fail_msg("cannot load %s: %s", synthetic, err.msg);
	return t;
}

static const char *relation_of(const struct topo *t, const struct pu_pair *p, char *buf, size_t len)
{
	struct topo_relation rel;

	assert_int_equal(topo_relation(t, p->a, p->b, &rel), 0);
	return topo_relation_name(&rel, buf, len);
}

static void test_sample_covers_each_relation_once(void **state)
{
	struct topo *t = load(BIG);
	struct pu_pair pairs[16];
	const char *expected[] = { "smt", "shared-L3", "other-numa", "other-package" };
	char name[32];
	size_t n = pairs_choose(t, false, pairs, 16);

	(void)state;
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(relation_of(t, &pairs[i], name, sizeof(name)), expected[i]);
	assert_int_equal(pairs[0].a, 0);
	assert_int_equal(pairs[0].b, 1);
	assert_int_equal(pairs[3].b, 32);
	topo_free(t);
}

static void test_all_pairs_are_ordered_and_bounded(void **state)
{
	struct topo *t = load("core:3 pu:1");
	struct pu_pair pairs[16], few[4];

	(void)state;
	assert_int_equal(pairs_choose(t, true, pairs, 16), 6);
	for (size_t i = 0; i < 6; i++)
		assert_true(pairs[i].a != pairs[i].b);
	assert_int_equal(pairs[0].a, 0);
	assert_int_equal(pairs[0].b, 1);
	assert_int_equal(pairs[1].b, 2);
	assert_int_equal(pairs[5].a, 2);
	assert_int_equal(pairs[5].b, 1);
	assert_int_equal(pairs_choose(t, true, few, 4), 4);
	topo_free(t);
}

static void test_third_pu_stands_to_a_as_b_does(void **state)
{
	struct topo *t = load(BIG);
	struct pu_pair other_package = { 0, 32 }, smt = { 0, 1 }, l3 = { 4, 8 };
	unsigned c;
	bool same;

	(void)state;
	/* Not 33, B's SMT sibling: the line would sit in one core's caches. */
	assert_int_equal(pairs_third(t, &other_package, &c, &same), 0);
	assert_int_equal(c, 34);
	assert_true(same);
	assert_int_equal(pairs_third(t, &l3, &c, &same), 0);
	assert_int_equal(c, 0); /* shares L3 with 4 as 8 does */
	assert_true(same);
	/* No PU stands to 0 as its sibling does on a third core: another one,
	 * and said so. */
	assert_int_equal(pairs_third(t, &smt, &c, &same), 0);
	assert_int_equal(c, 2);
	assert_false(same);
	topo_free(t);
}

/* Two SMT cores per package: cores {0,1}, {2,3} | {4,5}, {6,7}. C is never
 * B's sibling, nor A's. */
static void test_third_pu_never_bs_sibling(void **state)
{
	struct topo *t = load("pack:2 core:2 pu:2");
	struct pu_pair p = { 0, 2 }, q = { 0, 4 };
	unsigned c;
	bool same;

	(void)state;
	assert_int_equal(pairs_third(t, &p, &c, &same), 0);
	assert_true(c != 1 && c != 3);
	assert_int_equal(pairs_third(t, &q, &c, &same), 0);
	assert_true(c != 1 && c != 5);
	assert_true(same); /* 6 is in the other package, as 4 is */
	assert_int_equal(c, 6);
	topo_free(t);
}

/* Pairs and thread placement stay within the PUs mesilab may use. */
static void test_restricted_pus(void **state)
{
	struct topo *t = load(BIG);
	struct pu_pair pairs[64], cross = { 4, 40 };
	struct ml_error err;
	unsigned placed[8], c;
	bool same;
	size_t n;

	(void)state;
	assert_int_equal(topo_restrict_usable(t, "4-5,40-41", &err), 0);
	assert_int_equal(topo_usable_pus(t), 4);
	assert_int_equal(topo_usable_cores(t), 2);
	n = pairs_choose(t, true, pairs, 64);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		assert_true(topo_pu_usable(t, pairs[i].a));
		assert_true(topo_pu_usable(t, pairs[i].b));
	}
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 8, placed), 4);
	for (unsigned i = 0; i < 4; i++)
		assert_true(topo_pu_usable(t, placed[i]));
	/* Two cores only: no PU on a third one for state S. */
	assert_false(pairs_have_third_core(t));
	assert_int_equal(pairs_third(t, &cross, &c, &same), -1);
	assert_int_equal(topo_restrict_usable(t, "0-3", &err), 0);
	assert_true(pairs_have_third_core(t) == false);
	assert_int_equal(topo_restrict_usable(t, "0-5", &err), 0);
	assert_true(pairs_have_third_core(t));
	assert_int_equal(topo_restrict_usable(t, "70-80", &err), -1);
	assert_int_equal(topo_restrict_usable(t, "zero", &err), -1);
	/* Open ranges are refused, not filled until memory runs out. */
	assert_int_equal(topo_restrict_usable(t, "-3,108", &err), -1);
	assert_int_equal(topo_restrict_usable(t, "5-", &err), -1);
	assert_int_equal(topo_restrict_usable(t, "1,", &err), -1);
	assert_int_equal(topo_restrict_usable(t, "3-1", &err), -1);
	assert_int_equal(topo_restrict_usable(t, "0-1,4", &err), 0);
	assert_int_equal(topo_usable_pus(t), 3);
	topo_free(t);
}

static void test_two_pus_have_no_third_one_pu_no_pair(void **state)
{
	struct topo *two = load("core:2 pu:1"), *one = load("core:1 pu:1");
	struct pu_pair pairs[4], p = { 0, 1 };
	unsigned c;
	bool same;

	(void)state;
	assert_int_equal(pairs_choose(two, false, pairs, 4), 1);
	assert_int_equal(pairs_third(two, &p, &c, &same), -1);
	assert_int_equal(pairs_choose(one, true, pairs, 4), 0);
	assert_int_equal(pairs_choose(one, false, pairs, 4), 0);
	topo_free(two);
	topo_free(one);
}

/* What a default run does on a big machine stays bounded: sampled pairs,
 * thread counts by steps, and the plan the run states says so. */
static void test_big_machine_plan(void **state)
{
	struct topo *t = load("pack:4 numa:2 l3:1 l2:16 l1d:1 core:1 pu:2"), *small = load("core:2 pu:1");
	char what[96];
	double c2c = bench_c2c.scale(t, what, sizeof(what));

	(void)state;
	assert_int_equal(topo_usable_pus(t), 256);
	assert_true(c2c >= 1 && c2c <= 4); /* 6 relations at most, not 65280 ordered pairs */
	assert_non_null(strstr(what, "one per relation"));
	/* 1-4, then x1.5 and x2 steps: 16 counts up to 256, not 64 or 256. */
	assert_true(bench_contention.scale(t, what, sizeof(what)) < 25);
	assert_string_equal(what, "16 thread counts, 1 to 256");
	assert_true(bench_falseshare.scale(t, what, sizeof(what)) < 16);
	/* The smallest machine measured, two cores, is the unit. */
	assert_true(bench_c2c.scale(small, what, sizeof(what)) == 1.0);
	assert_true(bench_contention.scale(small, what, sizeof(what)) == 1.0);
	assert_true(bench_falseshare.scale(small, what, sizeof(what)) == 1.0);
	topo_free(t);
	topo_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_covers_each_relation_once),
		cmocka_unit_test(test_all_pairs_are_ordered_and_bounded),
		cmocka_unit_test(test_third_pu_stands_to_a_as_b_does),
		cmocka_unit_test(test_third_pu_never_bs_sibling),
		cmocka_unit_test(test_restricted_pus),
		cmocka_unit_test(test_big_machine_plan),
		cmocka_unit_test(test_two_pus_have_no_third_one_pu_no_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
