/* The option rows: every command's rows are well formed (each bad one
 * named), values are checked and filled by type, and a configuration is
 * described as the options that would make it. */
#include <config.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "commands.h"
#include "engine.h"
#include "options.h"

static unsigned failures;

/* Says what is wrong with row O of CMD, and counts it. */
static void bad_row(const struct cli_command *cmd, const struct cli_option *o, const char *what)
{
	print_message("mesilab %s%s%s --%s: %s\n", cmd->parent ? cmd->parent : "", cmd->parent ? " " : "", cmd->name,
		      o->name, what);
	failures++;
}

/* The bytes a field of O's type takes, 0 when any size is wrong. */
static size_t field_size(const struct cli_option *o)
{
	switch (o->type) {
	case CLI_TEXT: return o->arg ? sizeof(const char *) : sizeof(bool);
	case CLI_UINT: return o->size == sizeof(unsigned) ? sizeof(unsigned) : sizeof(uint64_t);
	case CLI_SIZE: return sizeof(uint64_t);
	case CLI_NUMBER: return sizeof(double);
	case CLI_CHOICE: return sizeof(int);
	case CLI_CHOICES: return o->nchoices * sizeof(bool);
	case CLI_UINTS:
	case CLI_SIZES: return sizeof(struct cli_list);
	}
	return 0;
}

static void check_row(const struct cli_command *cmd, const struct cli_option *o)
{
	const char *defaults[] = { o->def, o->quick, o->full };
	struct ml_error err;

	if (!o->name || !*o->name || !o->help || !*o->help) {
		bad_row(cmd, o, "no name or no help line");
		return;
	}
	if (!o->arg && (o->type != CLI_TEXT || o->def || o->quick || o->full))
		bad_row(cmd, o, "a flag has no type and no default");
	if ((o->quick || o->full) && !o->def)
		bad_row(cmd, o, "a profile's default without a default");
	if (o->def && strstr(o->help, "(default"))
		bad_row(cmd, o, "the help line says the default that --help adds");
	for (size_t i = 0; i < 3; i++)
		if (defaults[i] && cli_option_check(o, defaults[i], &err) < 0)
			bad_row(cmd, o, err.msg);
	if ((o->type == CLI_CHOICE || o->type == CLI_CHOICES) && (!o->choices || !o->nchoices))
		bad_row(cmd, o, "a choice without names");
	if ((o->type == CLI_UINT || o->type == CLI_SIZE) && o->max && o->min > o->max)
		bad_row(cmd, o, "its bounds are empty");
	if (o->size && o->size != field_size(o))
		bad_row(cmd, o, "the field it fills has another size than its type's");
	if (o->size == sizeof(unsigned) && o->type == CLI_UINT && (!o->max || o->max > UINT_MAX))
		bad_row(cmd, o, "an unsigned field bounded beyond UINT_MAX");
}

static void check_command(const struct cli_command *cmd)
{
	for (size_t i = 0; i < cmd->noptions; i++) {
		check_row(cmd, &cmd->options[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(cmd->options[i].name, cmd->options[j].name) == 0 ||
			    (cmd->options[i].short_name && cmd->options[i].short_name == cmd->options[j].short_name))
				bad_row(cmd, &cmd->options[i], "declared twice");
	}
}

static void test_every_row(void **state)
{
	(void)state;
	failures = 0;
	for (size_t c = 0; cli_commands[c]; c++) {
		if (!cli_commands[c]->subcommands) {
			check_command(cli_commands[c]);
			continue;
		}
		for (const struct cli_command *const *sub = cli_commands[c]->subcommands(); *sub; sub++)
			check_command(*sub);
	}
	assert_int_equal(failures, 0);
}

static const char *const colours[] = { "red", "green", "blue" };

enum { O_FLAG, O_TEXT, O_COUNT, O_WIDE, O_SIZE, O_RATIO, O_COLOUR, O_COLOURS, O_LIST, O_UNSET, NO };

struct config {
	bool flag;
	const char *text;
	unsigned count;
	uint64_t wide, size;
	double ratio;
	int colour;
	bool colours[3];
	struct cli_list list;
	unsigned unset;
};

static const struct cli_option rows[NO] = {
	[O_FLAG] = { .name = "flag", .help = "h", CLI_FIELD(struct config, flag) },
	[O_TEXT] = { .name = "text", .arg = "T", .def = "plain", .help = "h", CLI_FIELD(struct config, text) },
	[O_COUNT] = { .name = "count", .arg = "N", .type = CLI_UINT, .min = 2, .max = 10, .def = "7", .quick = "3",
		      .full = "9", .help = "h", CLI_FIELD(struct config, count) },
	[O_WIDE] = { .name = "wide", .arg = "N", .type = CLI_UINT, .def = "5000000000", .help = "h",
		     CLI_FIELD(struct config, wide) },
	[O_SIZE] = { .name = "size", .arg = "SIZE", .type = CLI_SIZE, .min = 64, .max = 1 << 20, .def = "4K", .help = "h",
		     CLI_FIELD(struct config, size) },
	[O_RATIO] = { .name = "ratio", .arg = "R", .type = CLI_NUMBER, .low = 0, .high = 1, .def = "0.5", .help = "h",
		      CLI_FIELD(struct config, ratio) },
	[O_COLOUR] = { .name = "colour", .arg = "C", .type = CLI_CHOICE, CLI_CHOICES_OF(colours), .def = "green",
		       .help = "h", CLI_FIELD(struct config, colour) },
	[O_COLOURS] = { .name = "colours", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(colours), .help = "h",
			CLI_FIELD(struct config, colours) },
	[O_LIST] = { .name = "list", .arg = "LIST", .type = CLI_SIZES, .min = 4, .def = "4,8K", .help = "h",
		     CLI_FIELD(struct config, list) },
	[O_UNSET] = { .name = "unset", .arg = "N", .type = CLI_UINT, .max = 100, .help = "h",
		      CLI_FIELD(struct config, unset) },
};

static void expect_bad(size_t row, const char *text, const char *message)
{
	struct ml_error err;

	if (cli_option_check(&rows[row], text, &err) == 0) {
		print_message("--%s '%s': accepted, expected \"%s\"\n", rows[row].name, text, message);
		fail();
	}
	if (strcmp(err.msg, message) != 0) {
		print_message("--%s '%s': expected \"%s\", got \"%s\"\n", rows[row].name, text, message, err.msg);
		fail();
	}
}

static void test_checks(void **state)
{
	struct ml_error err;

	(void)state;
	expect_bad(O_COUNT, "1", "invalid --count '1' (expected an integer from 2 to 10)");
	expect_bad(O_COUNT, "many", "invalid --count 'many' (expected an integer from 2 to 10)");
	expect_bad(O_WIDE, "-1", "invalid --wide '-1' (expected an integer from 0 to 18446744073709551615)");
	expect_bad(O_SIZE, "12x", "invalid --size '12x' (expected a size such as 4096, 32K, 1MiB or 2G)");
	expect_bad(O_SIZE, "2M", "invalid --size '2M' (expected a size from 64 B to 1 MiB)");
	expect_bad(O_RATIO, "2", "invalid --ratio '2' (expected a number from 0 to 1)");
	expect_bad(O_RATIO, "half", "invalid --ratio 'half' (expected a number from 0 to 1)");
	expect_bad(O_COLOUR, "pink", "unknown --colour 'pink' (expected red, green or blue)");
	expect_bad(O_COLOURS, "red,pink", "unknown 'pink' in --colours (expected red, green, blue)");
	expect_bad(O_LIST, "4,2", "invalid value '2' in --list: expected sizes such as 4K or 1M of at least 4");
	expect_bad(O_LIST, "4,x", "invalid value 'x' in --list: expected sizes such as 4K or 1M of at least 4");
	expect_bad(O_LIST, "4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4",
		   "too many values in --list (at most 32)");
	assert_int_equal(cli_option_check(&rows[O_COUNT], "10", &err), 0);
	assert_int_equal(cli_option_check(&rows[O_SIZE], "1M", &err), 0);
	assert_int_equal(cli_option_check(&rows[O_COLOURS], "blue,red", &err), 0);
	assert_int_equal(cli_option_check(&rows[O_TEXT], "anything at all", &err), 0);
}

static void test_fill(void **state)
{
	const char *values[NO] = { [O_FLAG] = "", [O_WIDE] = "12", [O_COLOURS] = "blue", [O_LIST] = "1K,64" };
	struct config c = { .unset = 42 };
	struct ml_error err;

	(void)state;
	assert_int_equal(cli_fill(rows, NO, values, CLI_PROFILE_QUICK, &c, &err), 0);
	assert_true(c.flag);
	assert_string_equal(c.text, "plain");
	assert_int_equal(c.count, 3);
	assert_int_equal(c.wide, 12);
	assert_int_equal(c.size, 4096);
	assert_true(c.ratio == 0.5);
	assert_int_equal(c.colour, 1);
	assert_false(c.colours[0]);
	assert_false(c.colours[1]);
	assert_true(c.colours[2]);
	assert_int_equal(c.list.n, 2);
	assert_int_equal(c.list.v[0], 1024);
	assert_int_equal(c.list.v[1], 64);
	/* Neither given nor declared: left as it was, for the command to work out. */
	assert_int_equal(c.unset, 42);

	memset(&c, 0, sizeof(c));
	assert_int_equal(cli_fill(rows, NO, NULL, CLI_PROFILE_FULL, &c, &err), 0);
	assert_false(c.flag);
	assert_int_equal(c.count, 9);
	assert_int_equal(c.wide, 5000000000ull);
	/* A choices option without a value chooses every name. */
	assert_true(c.colours[0] && c.colours[1] && c.colours[2]);
	assert_int_equal(c.list.n, 2);
	assert_int_equal(c.list.v[1], 8192);
}

static void test_describe(void **state)
{
	struct config c = { 0 };
	struct ml_error err;
	char words[256];

	(void)state;
	assert_int_equal(cli_fill(rows, NO, NULL, CLI_PROFILE_DEFAULT, &c, &err), 0);
	cli_describe(rows, NO, CLI_PROFILE_DEFAULT, &c, words, sizeof(words));
	assert_string_equal(words, "");
	c.flag = true;
	c.count = 8;
	c.colour = 2;
	c.colours[1] = false;
	c.list.n = 1;
	cli_describe(rows, NO, CLI_PROFILE_DEFAULT, &c, words, sizeof(words));
	assert_string_equal(words, " --flag --count 8 --colour blue --colours red,blue --list 4");
	/* Against the quick profile, the quick default is no change. */
	c.count = 3;
	cli_describe(rows, NO, CLI_PROFILE_QUICK, &c, words, sizeof(words));
	assert_string_equal(words, " --flag --colour blue --colours red,blue --list 4");
}

/* A flag that ends its struct: described by its name alone, its bool never
 * read as a pointer (which read past the struct's end). The struct ends
 * where an unreadable page begins, so a read past it faults. */
struct flags_last {
	uint64_t n;
	bool first, last;
};

static void test_describe_flag_at_end(void **state)
{
	static const struct cli_option flag_rows[] = {
		{ .name = "n", .arg = "N", .type = CLI_UINT, .def = "1", CLI_FIELD(struct flags_last, n), .help = "n" },
		{ .name = "first", CLI_FIELD(struct flags_last, first), .help = "first" },
		{ .name = "last", CLI_FIELD(struct flags_last, last), .help = "last" },
	};
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *pages = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct flags_last *c;
	char words[128];

	(void)state;
	assert_true(pages != MAP_FAILED);
	assert_int_equal(mprotect(pages + page, (size_t)page, PROT_NONE), 0);
	/* A pointer's 8 bytes read at the last flag would run past the end. */
	assert_true(offsetof(struct flags_last, last) + sizeof(char *) > sizeof(struct flags_last));
	c = (struct flags_last *)(void *)(pages + page - sizeof(struct flags_last));
	c->n = 1;
	c->first = false;
	c->last = true;
	cli_describe(flag_rows, 3, CLI_PROFILE_DEFAULT, c, words, sizeof(words));
	assert_string_equal(words, " --last");
	munmap(pages, 2 * (size_t)page);
}

/* sim's rows fill the simulator's configuration: their defaults must be the
 * engine's own. */
static void test_sim_defaults(void **state)
{
	struct sim_config engine, rows_filled;
	struct cache_geometry l1 = { 0 };
	struct ml_error err;

	(void)state;
	sim_config_defaults(&engine);
	sim_config_defaults(&rows_filled);
	assert_int_equal(cli_fill(cmd_sim.options, cmd_sim.noptions, NULL, CLI_PROFILE_DEFAULT, &rows_filled, &err), 0);
	assert_memory_equal(&engine, &rows_filled, sizeof(engine));
	for (size_t i = 0; i < cmd_sim.noptions; i++)
		if (strcmp(cmd_sim.options[i].name, "l1") == 0) {
			assert_int_equal(cache_geometry_parse(cmd_sim.options[i].def, &l1, &err), 0);
			assert_memory_equal(&l1, &engine.l1, sizeof(l1));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_flag_at_end),
		cmocka_unit_test(test_sim_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
