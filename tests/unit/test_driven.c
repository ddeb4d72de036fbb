/* A kernel driven by the simulator's timing (bench/driven.c): its threads
 * take turns access by access in the model's timed order, so a lock
 * stays correct (every increment of its critical section counted), the
 * run is the same every time, the holder takes the lock again while its
 * line is in its cache, and a kernel that never ends is stopped at the
 * limit, said. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "contention_variants.h"
#include "driven.h"
#include "engine.h"
#include "kernels.h"
#include "protocol.h"
#include "xalloc.h"

struct lock_case {
	enum contention_variant_id variant;
	uint64_t *page, iterations;
	unsigned relax;
};

static void lock_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct lock_case *c = arg;
	struct contention_args a;

	contention_variant_args(&contention_variants[c->variant], c->page, c->iterations, thread, c->relax, &a);
	contention_logged(ctx, &a);
}

struct outcome {
	int rc;
	uint64_t counter, accesses;
	struct core_stats total;
	char err[sizeof(((struct ml_error *)0)->msg)];
};

/* VARIANT's kernel on 2 threads, ITERATIONS each, under MESI with the
 * simulator's default machine, at most MAX accesses. */
static struct outcome drive(enum contention_variant_id variant, uint64_t iterations, uint64_t max)
{
	struct lock_case c = { variant, xpages(4096), iterations, 1 };
	const struct protocol *p = protocol_find("mesi");
	struct sim_config cfg;
	struct sim *sim;
	struct driven *d;
	struct ml_error err = { { 0 } };
	struct outcome o = { 0 };

	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_TIMED;
	sim = sim_new(&cfg, &p, 1);
	d = driven_new(2, (uintptr_t)c.page, 30, max, lock_thread, &c);
	sim_run_timed(sim, driven_feed, d, &o.accesses);
	o.rc = driven_free(d, &err);
	snprintf(o.err, sizeof(o.err), "%s", err.msg);
	sim_total_stats(sim, 0, &o.total);
	/* The counter the critical section increments (see
	 * contention_variant_args): the ticket lock's after its two words. */
	o.counter = c.page[variant == CONTENTION_TICKET ? 3 : 1];
	sim_free(sim);
	free(c.page);
	return o;
}

static void test_lock_correct_and_repeatable(void **state)
{
	static const enum contention_variant_id locks[] = { CONTENTION_TAS, CONTENTION_TICKET };

	(void)state;
	for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++) {
		struct outcome a = drive(locks[i], 300, 10000000), b = drive(locks[i], 300, 10000000);

		if (a.rc != 0 || a.counter != 600)
			fail_msg("%s: expected 600 increments and success, got %" PRIu64 " and rc %d (%s)",
				 contention_variant_names[locks[i]], a.counter, a.rc, a.err);
		if (a.accesses != b.accesses || a.total.cycles != b.total.cycles ||
		    a.total.c2c_transfers != b.total.c2c_transfers)
			fail_msg("%s: two runs differ: %" PRIu64 " and %" PRIu64 " accesses, %" PRIu64 " and %" PRIu64
				 " cycles", contention_variant_names[locks[i]], a.accesses, b.accesses, a.total.cycles,
				 b.total.cycles);
	}
}

/* A test-and-test-and-set lock's holder takes it again while the waiter
 * pauses: fewer transfers of the line than acquisitions, where a lock-step
 * trace hands it over at every one. A ticket lock is fair: the threads
 * alternate, the line moves at every acquisition. */
static void test_holder_takes_again(void **state)
{
	struct outcome tas = drive(CONTENTION_TAS, 300, 10000000), ticket = drive(CONTENTION_TICKET, 300, 10000000);

	(void)state;
	if (tas.total.c2c_transfers >= 600)
		fail_msg("tas: expected fewer than 600 transfers for 600 acquisitions, got %" PRIu64,
			 tas.total.c2c_transfers);
	if (ticket.total.c2c_transfers < 590)
		fail_msg("ticket: expected a transfer at (nearly) every one of 600 acquisitions, got %" PRIu64,
			 ticket.total.c2c_transfers);
}

static void test_limit_stops(void **state)
{
	struct outcome o = drive(CONTENTION_TAS, 1000, 50);

	(void)state;
	assert_int_equal(o.rc, -1);
	if (!strstr(o.err, "more than 50 accesses"))
		fail_msg("the limit: expected 'more than 50 accesses', got '%s'", o.err);
	assert_true(o.accesses <= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_correct_and_repeatable),
		cmocka_unit_test(test_holder_takes_again),
		cmocka_unit_test(test_limit_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
