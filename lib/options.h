/* A command's options and the values given for them, as every part of
 * mesilab sees them (the parser and the commands themselves live in
 * cli/). An option is a row of a table that declares all there is to know
 * of it: its type, its bounds or choices, its default in each profile and
 * its help line. Parsing, the validation messages, --help and the check
 * that the man page lists every option all come from the rows; a value is
 * read through a typed accessor, or filled straight into a configuration
 * struct whose field the row names. */
#ifndef MESILAB_OPTIONS_H
#define MESILAB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"
#include "error.h"

/* What an option's argument is, and the field it fills (see CLI_FIELD). */
enum cli_type {
	CLI_TEXT,    /* as typed (const char *), read by the command; a row without ARG is a flag (bool) */
	CLI_UINT,    /* a whole number within [MIN, MAX] (unsigned or uint64_t) */
	CLI_SIZE,    /* a size such as 4096, 32K or 1MiB, within [MIN, MAX] (uint64_t) */
	CLI_NUMBER,  /* a decimal number within [LOW, HIGH] (double) */
	CLI_CHOICE,  /* one of CHOICES (its index, an enum) */
	CLI_CHOICES, /* comma-separated names of CHOICES, all of them when absent (bool[NCHOICES]) */
	CLI_UINTS,   /* comma-separated whole numbers, each at least MIN (struct cli_list) */
	CLI_SIZES,   /* comma-separated sizes, each at least MIN (struct cli_list) */
};

/* The profiles a default may differ in: 'mesilab run' has all three, a
 * command with --quick the first two. */
enum cli_profile { CLI_PROFILE_DEFAULT, CLI_PROFILE_QUICK, CLI_PROFILE_FULL, NCLI_PROFILES };

struct cli_option {
	const char *name; /* long name, without the dashes */
	char short_name;  /* 0 for none */
	const char *arg;  /* the argument's name in --help, NULL for a flag */
	const char *help; /* --help adds "(default DEF; QUICK with --quick)" */
	enum cli_type type;
	/* The default, as it would be typed; NULL when there is none or the
	 * command works it out (from the machine, from a trace: the help line
	 * then says how). QUICK and FULL: the default in those profiles, NULL
	 * for the same as DEF. */
	const char *def, *quick, *full;
	uint64_t min, max;   /* CLI_UINT, CLI_SIZE, and each value of a list; MAX 0: none */
	double low, high;    /* CLI_NUMBER */
	const char *const *choices; /* CLI_CHOICE, CLI_CHOICES */
	size_t nchoices;
	/* The field of a configuration struct it fills (cli_fill), SIZE 0 for
	 * none: the command reads it with the accessors below. */
	size_t offset, size;
};

/* The field of TYPE an option fills: .offset and .size of MEMBER. */
#define CLI_FIELD(type, member) .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
/* The names of a choice option: a sized array. */
#define CLI_CHOICES_OF(names) .choices = (names), .nchoices = sizeof(names) / sizeof((names)[0])

/* The field of a list option. */
#define CLI_LIST_MAX 32
struct cli_list {
	size_t n;
	uint64_t v[CLI_LIST_MAX];
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
	 * was given, NULL when absent (the last occurrence wins). Every value
	 * given has been checked against its row. */
	const char **values;
	int noperands;
	char **operands;
};

/* "mesilab CMD: MESSAGE (see 'mesilab CMD --help')" and exit status 2. */
ML_NORETURN void cli_usage_error(const struct cli_args *args, const char *fmt, ...)
	ML_PRINTF(2, 3);

/* Checks TEXT against the row O (its type, bounds, choices): 0, or -1
 * with ERR naming the option and what was expected. */
int cli_option_check(const struct cli_option *o, const char *text, struct ml_error *err);
/* O's default in PROFILE, as typed; NULL when it has none. */
const char *cli_option_default(const struct cli_option *o, enum cli_profile profile);

/* Fills the fields of CONFIG that the N OPTIONS name: from VALUES (the
 * command line's, NULL for none) where given, else from the default of
 * PROFILE; a field without either is left as it is (zero: the command
 * works it out). Returns -1 with ERR when a declared default is bad. */
int cli_fill(const struct cli_option *options, size_t n, const char *const *values, enum cli_profile profile,
	     void *config, struct ml_error *err);
/* The options whose field in CONFIG differs from PROFILE's default, as
 * they would be typed (" --distance 8"), into BUF of LEN bytes. */
void cli_describe(const struct cli_option *options, size_t n, enum cli_profile profile, const void *config,
		  char *buf, size_t len);

/* Typed accessors of a command's option: the value given, else the
 * default of the command's profile (--quick or not). */
bool cli_given(const struct cli_args *args, size_t option);
/* The text, or NULL when absent without a default. */
const char *cli_text(const struct cli_args *args, size_t option);
/* 0 when absent without a default. */
uint64_t cli_uint(const struct cli_args *args, size_t option);
double cli_number(const struct cli_args *args, size_t option);
/* The index of the name chosen, -1 when absent without a default. */
int cli_choice(const struct cli_args *args, size_t option);
/* Which of the names are chosen (CHOSEN, of the row's NCHOICES); returns
 * how many. */
size_t cli_choices(const struct cli_args *args, size_t option, bool *chosen);

/* For rows that declare no type (the options of commands not yet moved to
 * typed rows): the value as the caller bounds it, FALLBACK when absent. */
uint64_t cli_uint_option(const struct cli_args *args, size_t option, uint64_t min, uint64_t max,
			 uint64_t fallback);
uint64_t cli_size_option(const struct cli_args *args, size_t option, uint64_t fallback);

#endif
