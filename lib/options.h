/* A command's options and the values given for them, as every part of
 * mesilab sees them (the parser and the commands themselves live in
 * cli/): an option is a row of a table, a value is read through a typed
 * accessor that bounds it and turns a bad one into a usage error naming the
 * option. */
#ifndef MESILAB_OPTIONS_H
#define MESILAB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"

struct cli_option {
	const char *name; /* long name, without the dashes */
	char short_name;  /* 0 for none */
	const char *arg;  /* the argument's name in --help, NULL for a flag */
	const char *help;
};

struct cli_args {
	/* The command, for messages: 'mesilab PARENT NAME' ("trace", "import"). */
	const char *parent; /* NULL for a command of its own */
	const char *name;
	/* Its options, in the order of VALUES. */
	const struct cli_option *options;
	int argc; /* the whole command line, for the run's metadata */
	char **argv;
	const char *output; /* -o DIR, or NULL */
	bool csv, quick, quiet;
	uint64_t seed;
	bool seed_given;
	/* For each of the command's options: its argument, "" for a flag that
	 * was given, NULL when absent (the last occurrence wins). */
	const char **values;
	int noperands;
	char **operands;
};

/* "mesilab CMD: MESSAGE (see 'mesilab CMD --help')" and exit status 2. */
ML_NORETURN void cli_usage_error(const struct cli_args *args, const char *fmt, ...)
	ML_PRINTF(2, 3);

/* The value of a size option such as --max 64M, or DEFAULT when absent. */
uint64_t cli_size_option(const struct cli_args *args, size_t option, uint64_t fallback);
/* The value of an integer option within [MIN, MAX], or DEFAULT when absent. */
uint64_t cli_uint_option(const struct cli_args *args, size_t option, uint64_t min, uint64_t max,
			 uint64_t fallback);

/* The value of a decimal option within [MIN, MAX], or DEFAULT when absent. */
double cli_double_option(const struct cli_args *args, size_t option, double min, double max,
			 double fallback);

/* The values of a comma-separated list option: sizes (SIZES, "4K,1M")
 * or integers, each at least MIN, into OUT. More than CAP values, or a bad
 * one, is a usage error naming it. Returns how many; 0 when absent. */
size_t cli_list_option(const struct cli_args *args, size_t option, bool sizes, uint64_t min, uint64_t *out,
		       size_t cap);

/* Which of the N NAMES a comma-separated list option picks: CHOSEN[k] for
 * each, all of them when the option is absent. An unknown name is a usage
 * error that lists the names. Returns how many are chosen. */
size_t cli_choice_option(const struct cli_args *args, size_t option, const char *const *names,
			 size_t n, bool *chosen);

#endif
