/* explain's count of a traced run's turns: on one PU the threads take
 * turns of thousands of records, with a few dozen alternating where two
 * turns meet (the runtime's interpolated stamps): those runs are no turns,
 * and the run counts as apart; threads that alternate every few records
 * (two busy PUs) are not apart; a turn cut by a batch's end is one. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "explain.h"

#define MAX_RECORDS 40000

static struct trace_record recs[MAX_RECORDS];
static size_t n;

static void put(unsigned thread, size_t count)
{
	for (size_t i = 0; i < count && n < MAX_RECORDS; i++)
		recs[n++] = (struct trace_record){ .address = 0x1000 + 8 * (n % 64), .thread = (uint16_t)thread,
						   .op = TRACE_WRITE, .size = 8 };
}

/* RECS counted in batches of BATCH records. */
static struct explain_turns count(size_t batch)
{
	struct explain_turns t = EXPLAIN_TURNS_INIT;

	for (size_t done = 0; done < n; done += batch)
		explain_turns_add(&t, recs + done, n - done < batch ? n - done : batch);
	explain_turns_end(&t);
	return t;
}

static void one_pu(void **state)
{
	size_t batches[] = { MAX_RECORDS, 1000, 7 };

	(void)state;
	n = 0;
	/* Eight turns of 3000 records, two threads; where they meet, 30 of
	 * each alternating. */
	for (unsigned turn = 0; turn < 8; turn++) {
		put(turn % 2, 3000);
		for (unsigned k = 0; k < 30; k++) {
			put(turn % 2, 1);
			put((turn + 1) % 2, 1);
		}
	}
	for (size_t b = 0; b < sizeof(batches) / sizeof(*batches); b++) {
		struct explain_turns t = count(batches[b]);

		if (t.turns != 7 || !explain_turns_apart(&t))
			fail_msg("eight turns of 3000 records with alternating ends, batches of %zu: expected 7 turns, apart; "
				 "got %llu turns, %llu of %zu records in turns, %s",
				 batches[b], (unsigned long long)t.turns, (unsigned long long)t.apart, n,
				 explain_turns_apart(&t) ? "apart" : "not apart");
	}
}

static void together(void **state)
{
	struct explain_turns t;

	(void)state;
	n = 0;
	/* Two threads alternating in runs of 1 to 40 records. */
	for (unsigned k = 0; n < 30000; k++)
		put(k % 2, 1 + (k * 7919) % 40);
	t = count(4096);
	if (explain_turns_apart(&t))
		fail_msg("threads alternating every 1 to 40 records: expected not apart, got %llu of %zu records in turns",
			 (unsigned long long)t.apart, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_pu),
		cmocka_unit_test(together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
