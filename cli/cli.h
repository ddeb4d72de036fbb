/* The command-line framework: every command is one descriptor, registered
 * in cli/commands.c; options are tables, and --help is generated from them. */
#ifndef MESILAB_CLI_H
#define MESILAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler.h"
#include "options.h"
#include "rundir.h"
#include "topo.h"

/* The conventions every command may opt into. */
enum cli_common_option {
	CLI_OUTPUT = 1 << 0, /* -o DIR */
	CLI_CSV = 1 << 1,    /* --csv */
	CLI_QUICK = 1 << 2,  /* --quick */
	CLI_QUIET = 1 << 3,  /* --quiet */
	CLI_SEED = 1 << 4,   /* --seed N */
};

struct cli_command;

struct cli_command {
	const char *name;
	const char *parent;      /* "trace" for 'mesilab trace info', else NULL */
	const char *summary;     /* one line, for 'mesilab help' */
	const char *operands;    /* e.g. "[COMMAND]", NULL for none */
	int min_operands, max_operands;
	const char *description; /* the body of --help */
	unsigned common;         /* enum cli_common_option bits */
	const struct cli_option *options;
	size_t noptions;
	int (*run)(const struct cli_args *args);
	/* A command with subcommands ('mesilab trace info') dispatches to the
	 * one named by its first operand; this returns them, NULL-terminated. */
	const struct cli_command *const *(*subcommands)(void);
};

/* NULL-terminated, in the order 'mesilab help' lists them. */
extern const struct cli_command *const cli_commands[];
const struct cli_command *cli_find_command(const char *name);

/* Parses ARGV (ARGV[0] is the command's name) for CMD into ARGS, without
 * running it: CLI_PARSED, CLI_HELP when --help was asked, or -1 with ERR
 * saying what is wrong. ARGS->values is allocated; the caller frees it. */
enum { CLI_PARSED = 0, CLI_HELP = 1 };
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *args, struct ml_error *err);
/* Parses ARGV (ARGV[0] is the command's name) and runs the command. */
int cli_run_command(const struct cli_command *cmd, int argc, char **argv, int full_argc,
		    char **full_argv);
void cli_print_help(const struct cli_command *cmd, FILE *fp);

/* Creates the run directory the command writes into (-o DIR or a new one
 * under results/), with the host's topology and clock in its metadata
 * (the calibration also goes to CLOCK when not NULL). Exits with a message
 * when the directory cannot be made. */
struct rundir *cli_open_rundir(const struct cli_args *args, const struct topo *topology,
			       struct clock_calibration *clock);

/* The machine's controls (see controls.h), measured into RUN on PU 0 of
 * T: before the benchmarks (CONTROLS NULL: made here; AFTER NULL) and
 * after the one named AFTER. A failure is said in the run, not fatal;
 * NULL when the controls could not be prepared. */
struct controls;
struct controls *cli_measure_controls(const struct topo *t, struct rundir *run, struct controls *controls,
				      const char *after);

/* Runs the self-checks on what the run R holds so far, lists them in its
 * metadata and, unless QUIET, warns of each disagreement on stderr. */
void cli_record_self_checks(struct rundir *r, bool quiet);

#endif
