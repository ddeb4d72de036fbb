#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "topo.h"
#include "unit_helpers.h"
#include "xalloc.h"

/* 2 packages x 2 NUMA nodes x 8 cores x 2 SMT, one L3 per NUMA node. */
#define BIG "pack:2 numa:2 l3:1(size=32MiB) l2:8(size=1MiB) l1d:1(size=48KiB) core:1 pu:2"

static struct topo *load(enum topo_source_kind kind, const char *arg)
{
	struct ml_error err;
	struct topo *t = topo_load(kind, arg, &err);

	if (!t)
		fail_msg("cannot load %s: %s", arg ? arg : "this machine", err.msg);
	return t;
}

static const struct topo_cache_level *level_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < topo_cache_levels(t); i++)
		if (strcmp(topo_cache_level(t, i)->name, name) == 0)
			return topo_cache_level(t, i);
	fail_msg("no cache level %s", name);
	return NULL;
}

static void assert_relation(const struct topo *t, unsigned a, unsigned b, const char *expected)
{
	struct topo_relation rel;
	char name[32];

	assert_int_equal(topo_relation(t, a, b, &rel), 0);
	assert_string_equal(topo_relation_name(&rel, name, sizeof(name)), expected);
	assert_int_equal(topo_relation(t, b, a, &rel), 0); /* symmetric */
	assert_string_equal(topo_relation_name(&rel, name, sizeof(name)), expected);
}

static void assert_pair(int rc, const unsigned pair[2], unsigned a, unsigned b)
{
	assert_int_equal(rc, 0);
	assert_int_equal(pair[0], a);
	assert_int_equal(pair[1], b);
}

static void test_counts(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG);

	(void)state;
	assert_int_equal(topo_packages(t), 2);
	assert_int_equal(topo_numa_nodes(t), 4);
	assert_int_equal(topo_cores(t), 32);
	assert_int_equal(topo_pus(t), 64);
	assert_false(topo_is_this_machine(t));
	assert_string_equal(topo_source(t), "synthetic " BIG);
	topo_free(t);
}

static void test_caches_and_sharing(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG);
	const struct topo_cache_level *l1 = level_named(t, "L1d"), *l2 = level_named(t, "L2"),
				      *l3 = level_named(t, "L3");
	uint64_t size;
	char *pus;

	(void)state;
	assert_int_equal(topo_cache_levels(t), 3);
	assert_int_equal(l1->instances, 32);
	assert_int_equal(l1->pus_max, 2);
	assert_int_equal(l1->size, 48 << 10);
	assert_int_equal(l1->type, TOPO_CACHE_DATA);
	assert_int_equal(l2->instances, 32);
	assert_int_equal(l2->size, 1 << 20);
	assert_int_equal(l3->instances, 4);
	assert_int_equal(l3->pus_max, 16);
	assert_int_equal(l3->size, 32 << 20);
	assert_true(l3->uniform);
	assert_int_equal(l3->line, 64);

	pus = topo_cache_instance(t, 2, 1, &size, NULL);
	assert_string_equal(pus, "16-31");
	assert_int_equal(size, 32 << 20);
	free(pus);
	pus = topo_cache_instance(t, 0, 5, NULL, NULL);
	assert_string_equal(pus, "10-11");
	free(pus);
	assert_null(topo_cache_instance(t, 2, 4, NULL, NULL));
	assert_int_equal(topo_data_cache_at_depth(t, 3), 2);
	assert_int_equal(topo_data_cache_at_depth(t, 4), -1);
	topo_free(t);
}

/* A core's own caches: SMT siblings may share them, other cores not; a
 * level deeper than asked for does not count (a VM may call its L3 each
 * vCPU's own). */
static void test_private_caches(void **state)
{
	struct topo *big = load(TOPO_SYNTHETIC, BIG);
	struct topo *vm = load(TOPO_SYNTHETIC, "pack:1 l3:2(size=512MiB) l2:1(size=1MiB) l1d:1(size=48KiB) core:1 pu:1");
	struct topo *shared_l2 = load(TOPO_SYNTHETIC, "pack:1 l2:1(size=4MiB) core:4 l1d:1(size=32KiB) pu:1");

	(void)state;
	assert_int_equal(topo_largest_private_cache(big, 3), 1 << 20);
	assert_int_equal(topo_largest_private_cache(big, 1), 48 << 10);
	assert_int_equal(topo_largest_private_cache(vm, 3), 512ull << 20);
	assert_int_equal(topo_largest_private_cache(vm, 2), 1 << 20);
	assert_int_equal(topo_largest_private_cache(shared_l2, 2), 32 << 10);
	topo_free(big);
	topo_free(vm);
	topo_free(shared_l2);
}

static void test_relations(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG);
	struct topo_relation rel;

	(void)state;
	assert_relation(t, 5, 5, "same-pu");
	assert_relation(t, 0, 1, "smt");
	assert_relation(t, 0, 2, "shared-L3");
	assert_relation(t, 14, 17, "other-numa");
	assert_relation(t, 0, 16, "other-numa");
	assert_relation(t, 0, 32, "other-package");
	assert_relation(t, 31, 63, "other-package");
	assert_int_equal(topo_relation(t, 0, 64, &rel), -1);
	topo_free(t);
}

static void test_pairs(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG);
	struct topo_relation other = { TOPO_REL_OTHER_PACKAGE, 0 };
	unsigned pair[2];

	(void)state;
	assert_pair(topo_pair_smt(t, pair), pair, 0, 1);
	assert_pair(topo_pair_sharing_cache(t, 3, pair), pair, 0, 2);
	assert_int_equal(topo_pair_sharing_cache(t, 2, pair), -1); /* L2 is per core */
	assert_pair(topo_pair_sharing_nothing(t, pair), pair, 0, 16);
	assert_pair(topo_pair_with_relation(t, &other, pair), pair, 0, 32);
	topo_free(t);
}

static void test_placement(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG);
	unsigned pus[80];
	enum topo_placement policy;

	(void)state;
	assert_int_equal(topo_place(t, TOPO_PLACE_COMPACT, 4, pus), 4);
	assert_int_equal(pus[0], 0);
	assert_int_equal(pus[3], 3);
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 2, pus), 2);
	assert_int_equal(pus[0], 0);
	assert_int_equal(pus[1], 32);
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 4, pus), 4);
	assert_int_equal(pus[0], 0);
	assert_int_equal(pus[1], 16);
	assert_int_equal(pus[2], 32);
	assert_int_equal(pus[3], 48);
	/* 32 threads: one per core, never two on SMT siblings */
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 32, pus), 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(pus[i] % 2, 0);
	/* never more threads than PUs, every PU once */
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 80, pus), 64);
	for (unsigned n = 1; n <= 64; n++) {
		uint64_t seen = 0;

		assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, n, pus), n);
		for (unsigned i = 0; i < n; i++) {
			assert_true(pus[i] < 64);
			assert_false(seen & (1ull << pus[i]));
			seen |= 1ull << pus[i];
		}
	}
	assert_int_equal(topo_placement_parse("scatter", &policy), 0);
	assert_int_equal(policy, TOPO_PLACE_SCATTER);
	assert_int_equal(topo_placement_parse("compact", &policy), 0);
	assert_int_equal(policy, TOPO_PLACE_COMPACT);
	assert_int_equal(topo_placement_parse("spread", &policy), -1);
	topo_free(t);
}

/* A lab-style export: L2 shared by two cores, SMT siblings numbered n and n+4. */
static void test_xml_cluster_machine(void **state)
{
	char *path = unit_data_file("topo-cluster.xml");
	struct topo *t = load(TOPO_XML, path);
	unsigned pair[2], pus[8];

	(void)state;
	assert_int_equal(topo_pus(t), 8);
	assert_int_equal(topo_cores(t), 4);
	assert_int_equal(topo_cache_levels(t), 4);
	assert_int_equal(level_named(t, "L1i")->type, TOPO_CACHE_INSTRUCTION);
	assert_int_equal(level_named(t, "L2")->pus_max, 4);
	assert_relation(t, 0, 4, "smt");
	assert_relation(t, 0, 1, "shared-L2");
	assert_relation(t, 0, 5, "shared-L2");
	assert_relation(t, 0, 2, "shared-L3");
	assert_pair(topo_pair_smt(t, pair), pair, 0, 4);
	assert_pair(topo_pair_sharing_cache(t, 2, pair), pair, 0, 1);
	assert_pair(topo_pair_sharing_cache(t, 3, pair), pair, 0, 2);
	assert_int_equal(topo_pair_sharing_nothing(t, pair), -1);
	assert_int_equal(topo_place(t, TOPO_PLACE_COMPACT, 4, pus), 4);
	assert_int_equal(pus[1], 4);
	assert_int_equal(pus[2], 1);
	assert_int_equal(topo_place(t, TOPO_PLACE_SCATTER, 2, pus), 2);
	assert_int_equal(pus[0], 0);
	assert_int_equal(pus[1], 2);
	topo_free(t);
	free(path);
}

/* A two-socket SMT guest with CPU 3 offline (exported from a real boot):
 * hwloc puts its Core objects at two depths; the counts must still be the
 * kernel's, and each level says how unevenly its instances are shared. */
static void test_xml_cpu_offline(void **state)
{
	char *path = unit_data_file("topo-offline.xml");
	struct topo *t = load(TOPO_XML, path);
	const struct topo_cache_level *l2 = level_named(t, "L2"), *l3 = level_named(t, "L3");
	unsigned pus;
	char *list;

	(void)state;
	assert_int_equal(topo_cores(t), 4);
	assert_int_equal(topo_pus(t), 7);
	assert_int_equal(topo_packages(t), 2);
	assert_int_equal(l2->instances, 4);
	assert_int_equal(l2->pus_min, 1);
	assert_int_equal(l2->pus_max, 2);
	assert_int_equal(l3->pus_min, 3);
	assert_int_equal(l3->pus_max, 4);
	list = topo_cache_instance(t, (size_t)(l2 - topo_cache_level(t, 0)), 1, NULL, &pus);
	assert_string_equal(list, "2");
	assert_int_equal(pus, 1);
	free(list);
	assert_int_equal(topo_usable_cores(t), 4);
	assert_relation(t, 2, 0, "shared-L3");
	assert_relation(t, 0, 1, "smt");
	topo_free(t);
	free(path);
}

static void test_xml_round_trip(void **state)
{
	struct topo *t = load(TOPO_SYNTHETIC, BIG), *back;
	char *path = unit_temp_file("topo");
	FILE *fp = fopen(path, "w"), *full = fopen("/dev/full", "w");
	struct ml_error err;

	(void)state;
	assert_int_equal(topo_export_xml(t, fp, path, &err), 0);
	fclose(fp);
	back = load(TOPO_XML, path);
	assert_int_equal(topo_pus(back), 64);
	assert_int_equal(topo_numa_nodes(back), 4);
	assert_int_equal(level_named(back, "L3")->pus_max, 16);
	/* A full disk is an error, not a short file. */
	if (full) {
		setvbuf(full, NULL, _IONBF, 0);
		assert_int_equal(topo_export_xml(t, full, "/dev/full", &err), -1);
		assert_non_null(strstr(err.msg, "No space left"));
		fclose(full);
	}
	topo_free(back);
	topo_free(t);
	unlink(path);
	free(path);
}

static void test_bad_sources(void **state)
{
	struct ml_error err;
	char *broken = unit_data_file("topo-broken.xml");

	(void)state;
	assert_null(topo_load(TOPO_SYNTHETIC, "pack:two", &err));
	assert_non_null(strstr(err.msg, "pack:two"));
	assert_null(topo_load(TOPO_XML, "/nonexistent/lab.xml", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/lab.xml"));
	assert_null(topo_load(TOPO_XML, broken, &err));
	assert_non_null(strstr(err.msg, "topo-broken.xml"));
	free(broken);
}

static void test_pinning(void **state)
{
	struct topo *synthetic = load(TOPO_SYNTHETIC, BIG), *host = load(TOPO_THIS_MACHINE, NULL);
	struct ml_error err;

	(void)state;
	assert_int_equal(topo_pin_current_thread(synthetic, 0, &err), -1);
	assert_non_null(strstr(err.msg, "another machine"));
	assert_true(topo_is_this_machine(host));
	assert_true(topo_pus(host) >= 1);
	assert_int_equal(topo_pin_current_thread(host, topo_usable_pu_at(host, 0), &err), 0);
	assert_int_equal(topo_pin_current_thread(host, 100000, &err), -1);
	assert_non_null(strstr(err.msg, "100000"));
	topo_free(synthetic);
	topo_free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_caches_and_sharing),
		cmocka_unit_test(test_private_caches),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_xml_cluster_machine),
		cmocka_unit_test(test_xml_cpu_offline),
		cmocka_unit_test(test_xml_round_trip),
		cmocka_unit_test(test_bad_sources),
		cmocka_unit_test(test_pinning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
