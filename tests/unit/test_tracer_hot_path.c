/* The tracing runtime's fast path, off its speed: the location cache
 * in front of a thread's table of code places gives the numbers the table
 * gives, and keeps every place of a loop whose code spans RT_PCS_RECENT
 * bytes; the stamps the fast path leaves out are filled in between the
 * clock's readings so that each thread's stamps grow and the threads
 * merged by stamp keep every synchronisation record in its true order,
 * whether a flush fills them all in or each clock reading the ones
 * before it. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "locations.h"
#include "stamps.h"

static uint64_t rng = 88172645463325252u;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The tables' memory is the C library's own (__libc_calloc, as the
 * runtime's must be), which a sanitizer's free would not know: they are
 * left to the process's end. */
static struct rt_pcs cached, table;

/* Places near each other, others RT_PCS_RECENT bytes apart (the same
 * entry of the cache) and place 0, in a random order, numbered through
 * the cache and straight through the table. */
static void cache_gives_table_numbers(void **state)
{
	uintptr_t pool[64];

	(void)state;
	for (unsigned i = 0; i < 64; i++)
		pool[i] = i == 0 ? 0 : i < 24 ? 0x401000 + 7 * i : i < 48 ? 0x7f0000001234u + RT_PCS_RECENT * i
											: 0x402000 + (uintptr_t)(next_random() % 4096);
	for (unsigned k = 0; k < 100000; k++) {
		uintptr_t pc = pool[next_random() % 64];
		uint32_t got = rt_pcs_number(&cached, pc), expected = pc ? rt_pcs_add(&table, pc) : 0;

		if (got != expected)
			fail_msg("access %u at place %#lx: the cache says %u, the table %u", k, (unsigned long)pc, got,
				 expected);
	}
	assert_int_equal(cached.n, table.n);
}

/* A loop whose 40 accessing instructions lie within RT_PCS_RECENT bytes:
 * after its first round, every place is in the cache (a cache of 16 by
 * a hash sent a third of ocean's accesses to the table). */
static void loop_stays_cached(void **state)
{
	static struct rt_pcs p;
	uintptr_t base = 0x55d0c0a01f37u, pc[40];

	(void)state;
	for (unsigned i = 0; i < 40; i++)
		pc[i] = base + i * (RT_PCS_RECENT / 40);
	for (unsigned round = 0; round < 3; round++)
		for (unsigned i = 0; i < 40; i++)
			assert_int_equal(rt_pcs_number(&p, pc[i]), i + 1);
	for (unsigned i = 0; i < 40; i++)
		if (p.recent[pc[i] % RT_PCS_RECENT].pc != pc[i])
			fail_msg("place %u (%#lx) of the loop is not cached", i, (unsigned long)pc[i]);
}

static void set(struct trace_stamped *e, const uint64_t *stamps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		e[i] = (struct trace_stamped){ stamps[i], { 0x1000 + 8 * i, 0, 0, 0, 8 } };
}

static void expect_stamps(const struct trace_stamped *e, const uint64_t *expected, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].stamp != expected[i])
			fail_msg("%s: event %zu's stamp is %llu, expected %llu", what, i, (unsigned long long)e[i].stamp,
				 (unsigned long long)expected[i]);
}

/* Runs spread evenly between the stamps around them; at the start from
 * the thread's last stamp (or the first read, when it has none), at the
 * end up to the clock read at the flush; a clock that went back leaves
 * its run at the stamp before. */
static void stamps_filled_between(void **state)
{
	struct trace_stamped e[8];
	static const uint64_t middle[8] = { 100, 0, 0, 0, 500, 0, 700, 0 };
	static const uint64_t middle_filled[8] = { 100, 200, 300, 400, 500, 600, 700, 800 };
	static const uint64_t start[4] = { 0, 0, 90, 0 };
	static const uint64_t start_filled[4] = { 50, 70, 90, 95 };
	static const uint64_t first[3] = { 0, 0, 90 };
	static const uint64_t first_filled[3] = { 90, 90, 90 };
	static const uint64_t back[4] = { 500, 0, 0, 300 };
	static const uint64_t back_filled[4] = { 500, 500, 500, 300 };

	(void)state;
	set(e, middle, 8);
	assert_int_equal(rt_stamps_fill(e, 8, 50, 900), 800);
	expect_stamps(e, middle_filled, 8, "a run between stamps, one at the end");
	set(e, start, 4);
	assert_int_equal(rt_stamps_fill(e, 4, 30, 100), 95);
	expect_stamps(e, start_filled, 4, "a run at the start");
	set(e, first, 3);
	rt_stamps_fill(e, 3, 0, 100);
	expect_stamps(e, first_filled, 3, "a thread's first events");
	set(e, back, 4);
	rt_stamps_fill(e, 4, 0, 1000);
	expect_stamps(e, back_filled, 4, "a clock that went back");
	assert_int_equal(rt_stamps_fill(e, 0, 77, 1000), 77);
}

/* The runtime's own flushes: each event the clock stamps spreads the run
 * of 0 stamps before it at once (rt_stamps_spread), and the flush spreads
 * the run after the last; the stamps are those rt_stamps_fill gives the
 * whole buffer, with a clock going back and a thread's first buffer. */
static void stamps_spread_as_filled(void **state)
{
	static struct trace_stamped raw[4096], eager[4096], whole[4096];
	uint64_t now = 1000, last = 0;

	(void)state;
	for (unsigned buffer = 0; buffer < 50; buffer++) {
		size_t n = 1 + next_random() % 4096, stamped_end = 0;
		uint64_t after, filled_last;

		for (size_t i = 0; i < n; i++) {
			bool stamped = i % RT_STAMP_EVERY == 0 || next_random() % 40 == 0;

			now = next_random() % 200 == 0 ? now - next_random() % 100 : now + 1 + next_random() % 30;
			raw[i] = (struct trace_stamped){ stamped ? now : 0, { 0x1000 + 8 * i, 0, 0, TRACE_READ, 8 } };
		}
		after = now + 5;
		memcpy(whole, raw, n * sizeof(*raw));
		filled_last = rt_stamps_fill(whole, n, last, after);
		memcpy(eager, raw, n * sizeof(*raw));
		for (size_t i = 0; i < n; i++)
			if (raw[i].stamp) {
				rt_stamps_spread(eager + stamped_end, i - stamped_end,
						 stamped_end ? eager[stamped_end - 1].stamp : last, raw[i].stamp);
				stamped_end = i + 1;
			}
		rt_stamps_spread(eager + stamped_end, n - stamped_end, stamped_end ? eager[stamped_end - 1].stamp : last,
				 after);
		for (size_t i = 0; i < n; i++)
			if (eager[i].stamp != whole[i].stamp)
				fail_msg("buffer %u (last stamp %llu), event %zu: spread as stamped %llu, filled whole %llu",
					 buffer, (unsigned long long)last, i, (unsigned long long)eager[i].stamp,
					 (unsigned long long)whole[i].stamp);
		assert_true(eager[n - 1].stamp == filled_last);
		last = filled_last;
	}
}

#define THREADS 3
#define EVENTS 6000

struct thread_events {
	struct trace_stamped e[EVENTS];
	uint64_t time[EVENTS]; /* when it happened: the stamp of a clock read at each */
	size_t n;
};

static struct thread_events th[THREADS];

/* Three threads' accesses in one true order, every tenth or so a
 * synchronisation record; the clock read only at those and at a
 * thread's every 32nd event, as the fast path does, the rest filled in
 * flushes of random lengths (a thread's own when its buffer is full, the
 * exit's at any point). Merged by stamp, ties to the lower thread, as a
 * reader does: every thread's stamps grow, and the synchronisation
 * records come in their true order. */
static void merge_keeps_sync_order(void **state)
{
	uint64_t now = 1000, last[THREADS] = { 0 };
	size_t flushed[THREADS] = { 0 }, at[THREADS] = { 0 };
	uint64_t previous_sync = 0;
	unsigned syncs = 0;

	(void)state;
	memset(th, 0, sizeof(th));
	for (unsigned k = 0; k < THREADS * EVENTS; k++) {
		unsigned t = (unsigned)(next_random() % THREADS);
		struct thread_events *x = &th[t];
		bool sync = next_random() % 10 == 0;

		if (x->n == EVENTS)
			continue;
		now += 1 + next_random() % 50;
		x->time[x->n] = now;
		x->e[x->n] = (struct trace_stamped){ sync || x->n % RT_STAMP_EVERY == 0 ? now : 0,
						     { 0x1000, 0, (uint16_t)t, sync ? TRACE_RMW | TRACE_SYNC : TRACE_READ, 8 } };
		x->n++;
		if (next_random() % 100 == 0 || x->n == EVENTS) {
			last[t] = rt_stamps_fill(x->e + flushed[t], x->n - flushed[t], last[t], now + 1);
			flushed[t] = x->n;
		}
	}
	for (unsigned t = 0; t < THREADS; t++) {
		rt_stamps_fill(th[t].e + flushed[t], th[t].n - flushed[t], last[t], now + 1); /* at exit */
		for (size_t i = 1; i < th[t].n; i++)
			if (th[t].e[i].stamp < th[t].e[i - 1].stamp)
				fail_msg("thread %u: event %zu's stamp %llu is before its previous one's, %llu", t, i,
					 (unsigned long long)th[t].e[i].stamp, (unsigned long long)th[t].e[i - 1].stamp);
	}
	for (;;) {
		int best = -1;

		for (unsigned t = 0; t < THREADS; t++)
			if (at[t] < th[t].n && (best < 0 || th[t].e[at[t]].stamp < th[best].e[at[best]].stamp))
				best = (int)t;
		if (best < 0)
			break;
		if (th[best].e[at[best]].rec.op & TRACE_SYNC) {
			uint64_t when = th[best].time[at[best]];

			if (when < previous_sync)
				fail_msg("synchronisation record %u (thread %d's event %zu, at %llu) merged after one at %llu",
					 syncs, best, at[best], (unsigned long long)when, (unsigned long long)previous_sync);
			previous_sync = when;
			syncs++;
		}
		at[best]++;
	}
	assert_true(syncs > THREADS * EVENTS / 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cache_gives_table_numbers),
		cmocka_unit_test(loop_stays_cached),
		cmocka_unit_test(stamps_filled_between),
		cmocka_unit_test(stamps_spread_as_filled),
		cmocka_unit_test(merge_keeps_sync_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
