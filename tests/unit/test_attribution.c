/* The simulator's costs attributed to records: two threads writing their
 * own words of one line in turn put every false-sharing miss on the two
 * writes' locations and on their addresses; a third location's writes of
 * one word by both threads get the true sharing (two cold misses, then
 * two); the invalidations received go to the location that lost the copy;
 * the touches keep each thread's bytes. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "attribution.h"
#include "engine.h"

/* The tests put each record's location in its gap (the replay here is
 * in file order, where the gap only moves clocks). */
static uint32_t loc_in_gap(void *ctx, const struct trace_record *rec)
{
	(void)ctx;
	return rec->gap;
}

static void test_false_and_true_sharing(void **state)
{
	const struct protocol *p[2] = { protocol_find("msi"), protocol_find("mesi") };
	struct sim_config cfg;
	struct sim *s;
	struct attribution *a;
	const struct attr_touch *touches;
	size_t ntouch, found = 0;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_FILE;
	s = sim_new(&cfg, p, 2);
	a = attribution_new(s, 64, 4, loc_in_gap, NULL);
	for (int i = 0; i < 10; i++) {
		struct trace_record w0 = { .address = 0x1000, .gap = 1, .thread = 0, .op = TRACE_WRITE, .size = 8 };
		struct trace_record w1 = { .address = 0x1008, .gap = 2, .thread = 1, .op = TRACE_WRITE, .size = 8 };

		sim_access(s, &w0);
		sim_access(s, &w1);
	}
	for (int i = 0; i < 4; i++) {
		struct trace_record w = { .address = 0x2000, .gap = 3, .thread = (uint16_t)(i % 2), .op = TRACE_WRITE,
					  .size = 4 };

		sim_access(s, &w);
	}
	attribution_finish(a);
	for (unsigned proto = 0; proto < 2; proto++) {
		const struct attr_counts *l1 = attribution_of_loc(a, proto, 1), *l2 = attribution_of_loc(a, proto, 2);
		const struct attr_counts *l3 = attribution_of_loc(a, proto, 3);
		struct core_stats total;

		assert_int_equal(l1->accesses, 10);
		assert_int_equal(l2->accesses, 10);
		/* The first of each is cold; every later one the other's write took away. */
		assert_int_equal(l1->cause[CAUSE_COLD] + l2->cause[CAUSE_COLD], 2);
		assert_int_equal(l1->cause[CAUSE_FALSE_SHARING] + l2->cause[CAUSE_FALSE_SHARING], 18);
		assert_int_equal(l3->cause[CAUSE_TRUE_SHARING], 2);
		sim_total_stats(s, proto, &total);
		assert_int_equal(l1->misses + l2->misses + l3->misses, total.misses);
		assert_int_equal(l1->invalidations + l2->invalidations + l3->invalidations, total.invalidations_sent);
		/* Received by the victims' last accesses: each write of thread 1
		 * took thread 0's copy (10), each later one of thread 0 thread
		 * 1's (9); the shared word changed hands three times. */
		assert_int_equal(l1->invalidations_received, 10);
		assert_int_equal(l2->invalidations_received, 9);
		assert_int_equal(l3->invalidations_received, 3);
		assert_int_equal(l1->invalidations_received + l2->invalidations_received + l3->invalidations_received,
				 total.invalidations_received);
	}
	assert_int_equal(attribution_addresses(a), 3);
	ntouch = attribution_touches(a, &touches);
	for (size_t i = 0; i < ntouch; i++) {
		if (touches[i].line != 0x1000 / 64)
			continue;
		found++;
		assert_int_equal(touches[i].count, 10);
		assert_int_equal(touches[i].first, touches[i].thread == 0 ? 0 : 8);
		assert_int_equal(touches[i].bytes[0], touches[i].thread == 0 ? 0xffu : 0xff00u);
	}
	assert_int_equal(found, 2);
	attribution_free(a);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_false_and_true_sharing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
