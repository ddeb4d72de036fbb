/* 'mesilab verify': every protocol table checked exhaustively. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "progress.h"
#include "protocol.h"
#include "table.h"
#include "stress.h"
#include "verify.h"

enum { OPT_PROTOCOL, OPT_CORES, OPT_STRESS, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_PROTOCOL] = { .name = "protocol", .short_name = 'p', .arg = "LIST", .def = "all",
			   .help = "protocols to check, comma-separated, or all" },
	[OPT_CORES] = { .name = "cores", .arg = "N", .type = CLI_UINT, .min = 1, .max = VERIFY_MAX_CACHES,
			.help = "caches holding the line, 1 to 5 (default: 2, 3 and 4 in turn)" },
	[OPT_STRESS] = { .name = "stress", .arg = "STEPS", .type = CLI_UINT, .min = 1,
			 .help = "also run STEPS random accesses over many lines and the full cache model" },
};

enum { C_PROTOCOL, C_CACHES, C_STATES, C_TRANSITIONS, C_RESULT, C_COUNTEREXAMPLE, NCOLUMNS };

static const struct table_column columns[NCOLUMNS] = {
	[C_PROTOCOL] = { "protocol", "protocol", TABLE_LEFT },
	[C_CACHES] = { "caches", "caches", TABLE_RIGHT },
	[C_STATES] = { "states", "states", TABLE_RIGHT },
	[C_TRANSITIONS] = { "transitions", "transitions", TABLE_RIGHT },
	[C_RESULT] = { "result", "result", TABLE_LEFT },
	[C_COUNTEREXAMPLE] = { "counterexample", "shortest counterexample", TABLE_LEFT },
};

/* Returns true when the protocol passed. */
static bool check_one(struct table *t, const struct protocol *p, unsigned caches)
{
	struct verify_result r;
	char path[512] = "", why[160];

	table_add_row(t);
	table_set(t, C_PROTOCOL, p->name, NULL);
	table_setf(t, C_CACHES, "%u", caches);
	if (protocol_check(p, why, sizeof(why)) < 0) {
		table_set(t, C_RESULT, "malformed", NULL);
		table_set(t, C_COUNTEREXAMPLE, why, NULL);
		return false;
	}
	verify_protocol(p, caches, &r);
	table_setf(t, C_STATES, "%" PRIu64, r.states);
	table_setf(t, C_TRANSITIONS, "%" PRIu64, r.transitions);
	table_set(t, C_RESULT, r.ok ? "ok" : "violation", NULL);
	if (!r.ok) {
		verify_format_path(&r, path, sizeof(path));
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ": %s", r.violation);
	}
	table_set(t, C_COUNTEREXAMPLE, path, NULL);
	return r.ok;
}

#define STRESS_LINES 64

/* The random stress: every cache configuration, 4 cores (or --cores). */
static bool stress_one(struct table *t, const struct protocol *p, unsigned cores, uint64_t steps,
		       uint64_t seed)
{
	struct sim_config cfg;
	const char *name;
	bool ok = true;

	for (unsigned i = 0; stress_config(i, cores, &cfg, &name); i++) {
		struct stress_result r;
		char what[96];

		stress_protocol(p, &cfg, STRESS_LINES, steps, seed, &r);
		table_add_row(t);
		table_set(t, C_PROTOCOL, p->name, NULL);
		table_setf(t, C_CACHES, "%u", cores);
		snprintf(what, sizeof(what), "%s, stress (%s)", r.ok ? "ok" : "violation", name);
		table_set(t, C_STATES, "", NULL);
		table_setf(t, C_TRANSITIONS, "%" PRIu64, r.steps);
		table_set(t, C_RESULT, r.ok ? "ok" : "violation", what);
		table_set(t, C_COUNTEREXAMPLE, r.ok ? "" : r.violation, NULL);
		ok &= r.ok;
	}
	return ok;
}

static int run_verify(const struct cli_args *args)
{
	const struct protocol *list[SIM_MAX_PROTOCOLS];
	const char *names = cli_text(args, OPT_PROTOCOL);
	unsigned only = (unsigned)cli_uint(args, OPT_CORES);
	uint64_t stress = cli_uint(args, OPT_STRESS);
	struct table *t = table_new(columns, NCOLUMNS);
	char bad[64], known[256];
	int n = protocol_parse_list(names, list, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	bool ok = true;

	if (n < 0) {
		protocol_names(known, sizeof(known));
		cli_usage_error(args, "unknown protocol '%s' (expected %s or all)", bad, known);
	}
	for (int i = 0; i < n; i++)
		for (unsigned caches = only ? only : 2; caches <= (only ? only : 4); caches++)
			ok &= check_one(t, list[i], caches);
	if (stress) {
		for (int i = 0; i < n; i++) {
			progress_update("stress: %s", list[i]->name);
			ok &= stress_one(t, list[i], only ? only : 4, stress, args->seed_given ? args->seed : 1);
		}
		progress_done();
	}
	if (args->csv)
		table_print_csv(t, stdout);
	else
		table_print_human(t, stdout);
	table_free(t);
	return ok ? ML_EXIT_OK : ML_EXIT_CHECK_FAILED;
}

const struct cli_command cmd_verify = {
	.name = "verify",
	.summary = "check the coherence protocols' invariants exhaustively",
	.max_operands = 0,
	.description =
		"Explores every reachable state of N caches holding one line, every core able\n"
		"to read, write or evict at every step, and checks at every state: at most one\n"
		"writable copy and none beside another copy, at most one owner, and every\n"
		"read returning the latest write. A violation comes with the shortest sequence\n"
		"of operations that reaches it. --stress adds random accesses over many lines\n"
		"through the full cache model (evictions, L2, inclusive LLC) with the same\n"
		"checks. Exit status 1 when a protocol fails.\n",
	.common = CLI_CSV | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_verify,
};
