#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "coherence.h"
#include "protocol.h"
#include "stress.h"
#include "verify.h"

static void test_every_protocol_passes(void **state)
{
	char why[160];

	(void)state;
	for (size_t i = 0; protocols[i]; i++) {
		assert_int_equal(protocol_check(protocols[i], why, sizeof(why)), 0);
		for (unsigned n = 1; n <= 4; n++) {
			struct verify_result r;

			verify_protocol(protocols[i], n, &r);
			if (!r.ok)
				fail_msg("%s with %u caches: %s", protocols[i]->name, n, r.violation);
			assert_true(r.states > 1);
		}
	}
}

/* MESI where a cache in S ignores BusUpgr: two copies, one of them writable. */
static void test_broken_upgrade_is_caught(void **state)
{
	struct protocol broken = *protocol_find("mesi");
	struct verify_result r;
	char path[256];

	(void)state;
	broken.snoop[1][BUS_UPGR].next = 1; /* S stays S */
	verify_protocol(&broken, 2, &r);
	assert_false(r.ok);
	verify_format_path(&r, path, sizeof(path));
	assert_string_equal(path, "P0 read, P1 read, P0 write");
	assert_non_null(strstr(r.violation, "single writer"));
}

/* MSI where M neither supplies nor writes back on BusRd: a stale read. */
static void test_broken_flush_is_caught(void **state)
{
	struct protocol broken = *protocol_find("msi");
	struct verify_result r;
	char path[256];

	(void)state;
	broken.snoop[2][BUS_RD].supplies = false;
	broken.snoop[2][BUS_RD].writeback = false;
	verify_protocol(&broken, 3, &r);
	assert_false(r.ok);
	verify_format_path(&r, path, sizeof(path));
	assert_string_equal(path, "P0 write, P1 read");
	assert_non_null(strstr(r.violation, "P1 read a stale value"));
}

/* MOESI where an owner keeps O after another cache's BusRdX: two owners. */
static void test_two_owners_are_caught(void **state)
{
	struct protocol broken = *protocol_find("moesi");
	struct verify_result r;

	(void)state;
	broken.snoop[3][BUS_RDX].next = 3;
	verify_protocol(&broken, 2, &r);
	assert_false(r.ok);
	assert_int_equal(r.path_len, 4); /* P0 write, P1 read (O), P1 write, ... */
}

static void test_missing_entry_is_malformed(void **state)
{
	struct protocol broken = *protocol_find("mesi");
	char why[160];

	(void)state;
	broken.proc[2][PROC_WRITE].defined = false;
	assert_int_equal(protocol_check(&broken, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "PrWr on E"));
}

/* The classic sequence under MESI, straight from the table. */
static void test_coherence_steps(void **state)
{
	const struct protocol *p = protocol_find("mesi");
	uint8_t s[3] = { 0, 0, 0 };
	struct coh_result r;

	(void)state;
	coherence_access(p, s, 3, 0, PROC_READ, &r); /* P1 reads u: E, from memory */
	assert_int_equal(s[0], 2);
	assert_int_equal(r.bus[0], BUS_RD);
	assert_int_equal(r.supplier, -1);
	coherence_access(p, s, 3, 2, PROC_READ, &r); /* P3 reads u: both S, P1 supplies */
	assert_int_equal(s[0], 1);
	assert_int_equal(s[2], 1);
	assert_true(r.shared);
	assert_int_equal(r.supplier, 0);
	coherence_access(p, s, 3, 2, PROC_WRITE, &r); /* P3 writes u: BusUpgr, P1 invalid */
	assert_int_equal(r.bus[0], BUS_UPGR);
	assert_int_equal(r.invalidations, 1);
	assert_int_equal(s[0], 0);
	assert_int_equal(s[2], 3);
	coherence_access(p, s, 3, 0, PROC_READ, &r); /* P1 reads u: P3 flushes, both S */
	assert_int_equal(r.supplier, 2);
	assert_int_equal(r.snoop_writebacks, 1);
	assert_int_equal(s[0], 1);
	assert_int_equal(s[2], 1);
}

/* The random stress over real caches catches what the exhaustive check catches. */
static void test_stress(void **state)
{
	struct protocol broken = *protocol_find("msi");
	struct sim_config cfg;
	struct stress_result r;
	const char *name;

	(void)state;
	for (unsigned i = 0; stress_config(i, 3, &cfg, &name); i++) {
		for (size_t k = 0; protocols[k]; k++) {
			stress_protocol(protocols[k], &cfg, 32, 20000, 7, &r);
			if (!r.ok)
				fail_msg("%s under %s: %s", protocols[k]->name, name, r.violation);
			assert_int_equal(r.steps, 20000);
		}
	}
	/* Enough cores for the engine to keep a map of each line's holders. */
	for (unsigned i = 0; stress_config(i, 12, &cfg, &name); i++) {
		for (size_t k = 0; protocols[k]; k++) {
			stress_protocol(protocols[k], &cfg, 32, 20000, 9, &r);
			if (!r.ok)
				fail_msg("%s under %s, 12 cores: %s", protocols[k]->name, name, r.violation);
		}
	}
	broken.snoop[2][BUS_RD].supplies = false;
	broken.snoop[2][BUS_RD].writeback = false;
	assert_true(stress_config(0, 3, &cfg, &name));
	stress_protocol(&broken, &cfg, 32, 20000, 7, &r);
	assert_false(r.ok);
	assert_non_null(strstr(r.violation, "read a stale value"));
	assert_true(r.steps < 20000);
}

/* A list longer than its room is refused, naming the first that did not
 * fit, never cut short; 'all' and duplicates count once. */
static void test_protocol_list_limit(void **state)
{
	const struct protocol *out[3];
	char bad[96] = "";

	(void)state;
	assert_int_equal(protocol_parse_list("msi,mesi,msi,moesi", out, 3, bad, sizeof(bad)), 3);
	assert_int_equal(protocol_parse_list("msi,mesi,moesi,dragon", out, 3, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "dragon (more than 3 protocols)");
	assert_int_equal(protocol_parse_list("all", out, 3, bad, sizeof(bad)), -1);
	assert_int_equal(protocol_parse_list("mesi,nothing", out, 3, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "nothing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_protocol_passes),
		cmocka_unit_test(test_broken_upgrade_is_caught),
		cmocka_unit_test(test_broken_flush_is_caught),
		cmocka_unit_test(test_two_owners_are_caught),
		cmocka_unit_test(test_missing_entry_is_malformed),
		cmocka_unit_test(test_coherence_steps),
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_protocol_list_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
