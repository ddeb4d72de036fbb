#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cache.h"
#include "linemap.h"

/* One set of 4 ways: lines 0, 4, 8... all map to set 0 of a 4-set cache. */
static const struct cache_geometry four_sets = { 4 * 4 * 64, 4, 64 };

/* Accesses LINE: a hit, or a fill that evicts; returns the line evicted (or -1). */
static int64_t touch(struct cache *c, uint64_t line)
{
	int way = cache_find(c, line, true);
	int64_t evicted = -1;

	if (way >= 0)
		return -1;
	way = cache_victim(c, line);
	if (cache_state(c, line, way))
		evicted = (int64_t)cache_line_at(c, line, way);
	cache_fill(c, line, way, 1);
	return evicted;
}

static void test_lru(void **state)
{
	struct cache c;

	(void)state;
	cache_init(&c, &four_sets, REPL_LRU, 1);
	for (uint64_t l = 0; l < 16; l += 4)
		assert_int_equal(touch(&c, l), -1);
	touch(&c, 0);                        /* 0 becomes the most recent */
	assert_int_equal(touch(&c, 16), 4);  /* 4 is the least recent */
	assert_int_equal(touch(&c, 20), 8);
	assert_int_equal(touch(&c, 1), -1);  /* another set */
	assert_true(cache_find(&c, 0, false) >= 0);
	cache_free(&c);
}

static void test_fifo_ignores_hits(void **state)
{
	struct cache c;

	(void)state;
	cache_init(&c, &four_sets, REPL_FIFO, 1);
	for (uint64_t l = 0; l < 16; l += 4)
		touch(&c, l);
	touch(&c, 0);                        /* a hit does not renew 0 */
	assert_int_equal(touch(&c, 16), 0);
	assert_int_equal(touch(&c, 20), 4);
	cache_free(&c);
}

static void test_plru(void **state)
{
	struct cache c;

	(void)state;
	cache_init(&c, &four_sets, REPL_PLRU, 1);
	for (uint64_t l = 0; l < 16; l += 4)
		touch(&c, l);                /* ways 0..3 hold 0, 4, 8, 12 */
	/* Tree after filling 3 last: root points left, left node to way 0. */
	assert_int_equal(touch(&c, 16), 0);
	/* 16 in way 0: root points right, right node to way 2 (8). */
	assert_int_equal(touch(&c, 20), 8);
	touch(&c, 12);
	assert_int_equal(touch(&c, 24), 4);
	cache_free(&c);
}

static void test_random_is_seeded(void **state)
{
	struct cache a, b;
	int differ = 0;

	(void)state;
	cache_init(&a, &four_sets, REPL_RANDOM, 42);
	cache_init(&b, &four_sets, REPL_RANDOM, 42);
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t line = (i * 7919 % 97) * 4;

		assert_int_equal(touch(&a, line), touch(&b, line));
	}
	cache_free(&b);
	cache_init(&b, &four_sets, REPL_RANDOM, 43);
	cache_free(&a);
	cache_init(&a, &four_sets, REPL_RANDOM, 42);
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t line = (i * 7919 % 97) * 4;

		differ |= touch(&a, line) != touch(&b, line);
	}
	assert_true(differ);
	cache_free(&a);
	cache_free(&b);
}

static void test_states(void **state)
{
	struct cache c;
	int way;

	(void)state;
	cache_init(&c, &four_sets, REPL_LRU, 1);
	cache_fill(&c, 5, cache_victim(&c, 5), 3);
	way = cache_find(&c, 5, false);
	assert_true(way >= 0);
	assert_int_equal(cache_state(&c, 5, way), 3);
	cache_set_state(&c, 5, way, 2);
	assert_int_equal(cache_state(&c, 5, way), 2);
	assert_int_equal(cache_line_at(&c, 5, way), 5);
	cache_set_state(&c, 5, way, 0); /* invalid: no longer found */
	assert_int_equal(cache_find(&c, 5, false), -1);
	cache_free(&c);
}

static void test_geometry(void **state)
{
	struct cache_geometry g;
	struct ml_error err;

	(void)state;
	assert_int_equal(cache_geometry_parse("32K:8:64", &g, &err), 0);
	assert_int_equal(g.size, 32768);
	assert_int_equal(g.ways, 8);
	assert_int_equal(g.line, 64);
	assert_int_equal(cache_geometry_parse("1M:16:128", &g, &err), 0);
	assert_int_equal(cache_geometry_parse("48K:12:64", &g, &err), 0); /* 64 sets */
	assert_int_equal(cache_geometry_parse("48K:8:64", &g, &err), -1);
	assert_non_null(strstr(err.msg, "96 sets"));
	/* A size alone, or with its ways: the rest from the cache replaced. */
	g = (struct cache_geometry){ 32768, 8, 64 };
	assert_int_equal(cache_geometry_parse("2M", &g, &err), 0);
	assert_true(g.size == 2u << 20 && g.ways == 8 && g.line == 64);
	assert_int_equal(cache_geometry_parse("1M:16", &g, &err), 0);
	assert_true(g.size == 1u << 20 && g.ways == 16 && g.line == 64);
	assert_int_equal(cache_geometry_parse("1M:16:64:2", &g, &err), -1);
	g = (struct cache_geometry){ 0 };
	assert_int_equal(cache_geometry_parse("32K:8", &g, &err), -1);
	assert_non_null(strstr(err.msg, "no cache there"));
	assert_int_equal(cache_geometry_parse("2M", &g, &err), -1);
	assert_int_equal(cache_geometry_parse("32K:0:64", &g, &err), -1);
	assert_int_equal(cache_geometry_parse("32:1:64", &g, &err), -1);
	assert_int_equal(cache_geometry_parse("32K:8:48", &g, &err), -1);
}

static void test_linemap(void **state)
{
	struct linemap m;
	bool added;

	(void)state;
	linemap_init(&m);
	for (uint64_t k = 0; k < 10000; k++)
		*linemap_put(&m, k * 64, 0, &added) = (uint32_t)k;
	assert_int_equal(m.used, 10000);
	for (uint64_t k = 0; k < 10000; k += 2)
		linemap_remove(&m, k * 64);
	for (uint64_t k = 0; k < 10000; k++) {
		uint64_t *v = linemap_get(&m, k * 64);

		if (k % 2)
			assert_true(v && *v == k);
		else
			assert_null(v);
	}
	linemap_put(&m, 64, 5, &added);
	assert_false(added);
	linemap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_fifo_ignores_hits),
		cmocka_unit_test(test_plru),
		cmocka_unit_test(test_random_is_seeded),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_linemap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
