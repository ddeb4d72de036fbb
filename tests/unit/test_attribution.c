/* The simulator's costs attributed to records: two threads writing their
 * own words of one line in turn put every false-sharing miss on the two
 * writes' locations and on their addresses; a third location's writes of
 * one word by both threads get the true sharing (two cold misses, then
 * two); the invalidations received go to the location that lost the copy;
 * the touches keep each thread's bytes; under Dragon the updates sent and
 * received go there too. The cycles of hand-made traces,
 * in file order and in the synchronised order. */
#include <config.h>

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* Dragon, the same two threads writing their own words of one line in
 * turn: no miss after the cold ones, every write after both hold the line
 * updates the other's copy; the updates sent go to the writes' locations
 * with their cycles, those received to the other thread's. */
static void test_updates(void **state)
{
	const struct protocol *p[1] = { protocol_find("dragon") };
	struct sim_config cfg;
	struct sim *s;
	struct attribution *a;
	const struct attr_counts *l1, *l2;
	struct core_stats total;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_FILE;
	s = sim_new(&cfg, p, 1);
	a = attribution_new(s, 64, 3, loc_in_gap, NULL);
	for (int i = 0; i < 10; i++) {
		struct trace_record w0 = { .address = 0x1000, .gap = 1, .thread = 0, .op = TRACE_WRITE, .size = 8 };
		struct trace_record w1 = { .address = 0x1008, .gap = 2, .thread = 1, .op = TRACE_WRITE, .size = 8 };

		sim_access(s, &w0);
		sim_access(s, &w1);
	}
	attribution_finish(a);
	l1 = attribution_of_loc(a, 0, 1);
	l2 = attribution_of_loc(a, 0, 2);
	sim_total_stats(s, 0, &total);
	assert_int_equal(l1->misses + l2->misses, 2);
	/* Thread 0's first write is alone; every one after it updates. */
	assert_int_equal(l1->updates, 9);
	assert_int_equal(l2->updates, 10);
	assert_int_equal(l1->updates + l2->updates, total.updates_sent);
	assert_int_equal(l1->updates_received, 10);
	assert_int_equal(l2->updates_received, 9);
	assert_int_equal(l1->updates_received + l2->updates_received, total.updates_received);
	if (!l1->update_cycles || !l2->update_cycles || l1->update_cycles > l1->cycles ||
	    l2->update_cycles > l2->cycles)
		fail_msg("update cycles %" PRIu64 " of %" PRIu64 " and %" PRIu64 " of %" PRIu64
			 ": expected some, within each location's cycles",
			 l1->update_cycles, l1->cycles, l2->update_cycles, l2->cycles);
	attribution_free(a);
	sim_free(s);
}

/* A record's location: its place in the array ALL (CTX) plus 1. */
static uint32_t loc_in_array(void *ctx, const struct trace_record *rec)
{
	return (uint32_t)(rec - (const struct trace_record *)ctx) + 1;
}

/* The attributed cycles of each of N records, with the default latencies
 * (L1 hit 4, memory 200, from another cache 60, a bus transaction without
 * data 10, no L2 or last level), worked out by hand in file order under
 * msi and mesi; every protocol's cycles add up to the cores' time less
 * the gaps, and a replay watched for its totals alone finds the same. */
static void test_cycles(void **state)
{
	const struct protocol *p[2] = { protocol_find("msi"), protocol_find("mesi") };
	const struct trace_record rec[4] = {
		/* Cold, from memory: 5 + 200, less its gap. */
		{ .address = 0x1000, .gap = 5, .thread = 0, .op = TRACE_READ, .size = 8 },
		/* Cold: issued at 10, the bus busy until 205, then 200: 405 - 10. */
		{ .address = 0x2000, .gap = 10, .thread = 1, .op = TRACE_WRITE, .size = 8 },
		/* msi: S to M by BusRdX (its table has no BusUpgr), the line from
		 * memory once the bus is free at 405: 605 - 205; mesi: E to M, a
		 * hit: 4. */
		{ .address = 0x1000, .gap = 0, .thread = 0, .op = TRACE_WRITE, .size = 8 },
		/* Thread 0's modified line from its cache (60), issued at 406:
		 * msi waits for the bus until 605, 665 - 405 - 1; mesi 466 - 405 - 1. */
		{ .address = 0x1008, .gap = 1, .thread = 1, .op = TRACE_READ, .size = 8 },
	};
	static const uint64_t expected[2][4] = { { 200, 395, 400, 259 }, { 200, 395, 4, 60 } };
	struct sim_config cfg;
	struct sim *s, *again;
	struct attribution *a, *totals;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_FILE;
	s = sim_new(&cfg, p, 2);
	again = sim_new(&cfg, p, 2);
	a = attribution_new(s, 64, 5, loc_in_array, (void *)rec);
	totals = attribution_new_totals(again);
	for (int i = 0; i < 4; i++) {
		sim_access(s, &rec[i]);
		sim_access(again, &rec[i]);
	}
	attribution_finish(a);
	attribution_finish(totals);
	for (unsigned proto = 0; proto < 2; proto++) {
		struct attr_counts sum, alone;
		struct core_stats c0, c1;
		uint64_t cold = 0;

		for (uint32_t loc = 1; loc <= 4; loc++) {
			const struct attr_counts *c = attribution_of_loc(a, proto, loc);

			if (c->cycles != expected[proto][loc - 1])
				print_message("%s, record %u: expected %" PRIu64 " cycles, got %" PRIu64 "\n",
					      p[proto]->name, loc, expected[proto][loc - 1], c->cycles);
			assert_int_equal(c->cycles, expected[proto][loc - 1]);
			cold += c->misses ? c->cycles : 0;
		}
		attribution_total(a, proto, &sum);
		sim_core_stats(s, proto, 0, &c0);
		sim_core_stats(s, proto, 1, &c1);
		assert_int_equal(sum.cycles, c0.cycles + c1.cycles - 16);
		/* Records 1, 2 and 4 missed cold: their cycles are the cold misses'. */
		assert_int_equal(sum.cause_cycles[CAUSE_COLD], cold);
		assert_int_equal(sum.cause_cycles[CAUSE_COLD], sum.cycles - (proto == 0 ? 400 : 4));
		attribution_total(totals, proto, &alone);
		assert_int_equal(alone.cycles, sum.cycles);
		assert_int_equal(alone.accesses, 4);
	}
	attribution_free(a);
	attribution_free(totals);
	sim_free(s);
	sim_free(again);
}

/* The synchronised order: thread 1's synchronisation record waits for
 * thread 0's before it (outside any record's own time); the wait goes to
 * the record that waited, not to thread 1's access before it. */
struct two_threads {
	const struct trace_record *rec;
	size_t first[2], n[2];
	uint64_t index[2][4];
	bool lent[2];
};

static ssize_t feed_two(void *ctx, unsigned core, const struct trace_record **records)
{
	struct two_threads *w = ctx;

	if (core > 1 || w->lent[core])
		return 0;
	w->lent[core] = true;
	*records = &w->rec[w->first[core]];
	return (ssize_t)w->n[core];
}

static int sync_thread_two(void *ctx, uint64_t k)
{
	(void)ctx;
	return k == 0 ? 0 : k == 1 ? 1 : -1;
}

static const uint64_t *indices_two(void *ctx, unsigned core)
{
	return ((struct two_threads *)ctx)->index[core];
}

static void test_cycles_synced(void **state)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	const struct trace_record rec[4] = {
		/* Thread 0: a synchronisation record issued at 100, the bus busy
		 * until 200 (thread 1's read): 400 - 100. */
		{ .address = 0x1000, .gap = 100, .thread = 0, .op = TRACE_RMW | TRACE_SYNC, .size = 8 },
		/* Thread 1: a cold read (200), a hit (4), then its synchronisation
		 * record: it waits from 204 for thread 0's, done at 400 (196),
		 * and takes the line from thread 0's cache (60). */
		{ .address = 0x3000, .gap = 0, .thread = 1, .op = TRACE_READ, .size = 8 },
		{ .address = 0x3000, .gap = 0, .thread = 1, .op = TRACE_READ, .size = 8 },
		{ .address = 0x1000, .gap = 0, .thread = 1, .op = TRACE_WRITE | TRACE_SYNC, .size = 8 },
	};
	static const uint64_t expected[4] = { 300, 200, 4, 256 };
	struct two_threads w = { .rec = rec, .first = { 0, 1 }, .n = { 1, 3 },
				 .index = { { 0 }, { 1, 2, 3 } } };
	const struct sim_sync_feed sync = { sync_thread_two, indices_two, NULL };
	struct sim_config cfg;
	struct sim *s;
	struct attribution *a;
	struct attr_counts sum;
	uint64_t done;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_SYNCED;
	s = sim_new(&cfg, p, 1);
	a = attribution_new(s, 64, 5, loc_in_array, (void *)rec);
	assert_int_equal(sim_run_synced(s, feed_two, &sync, &w, &done), 0);
	attribution_finish(a);
	for (uint32_t loc = 1; loc <= 4; loc++) {
		const struct attr_counts *c = attribution_of_loc(a, 0, loc);

		if (c->cycles != expected[loc - 1])
			print_message("record %u: expected %" PRIu64 " cycles, got %" PRIu64 "\n", loc,
				      expected[loc - 1], c->cycles);
		assert_int_equal(c->cycles, expected[loc - 1]);
	}
	attribution_total(a, 0, &sum);
	assert_int_equal(sum.cycles, 400 + 460 - 100);
	attribution_free(a);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_false_and_true_sharing),
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_cycles_synced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
