#include <config.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "interrupt.h"
#include "progress.h"
#include "units.h"
#include "xalloc.h"

/* The common options, in the order --help lists them. */
static const struct {
	unsigned bit;
	struct cli_option option;
} common_options[] = {
	{ CLI_OUTPUT, { .name = "output", .short_name = 'o', .arg = "DIR",
			.help = "write the files into DIR (created if missing; default: a new run directory under results/)" } },
	{ CLI_CSV, { .name = "csv", .help = "print the main table as CSV instead of aligned columns" } },
	{ CLI_QUICK, { .name = "quick", .help = "shrink the work to a smoke-test size" } },
	{ CLI_QUIET, { .name = "quiet", .short_name = 'q', .help = "no progress on stderr" } },
	{ CLI_SEED, { .name = "seed", .arg = "N", .help = "seed of the random number generator" } },
};

static const struct cli_option help_option = { .name = "help", .short_name = 'h', .help = "show this help and exit" };

#define NCOMMON (sizeof(common_options) / sizeof(common_options[0]))
/* getopt_long return values: common options first, then the command's. */
#define ID_HELP 1000
#define ID_COMMON 1001
#define ID_COMMAND 1100

const struct cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; cli_commands[i]; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

/* "  -o, --output DIR        HELP (default D; Q with --quick)": the default
 * from the row, so that the help cannot say another. */
static void print_option(FILE *fp, const struct cli_option *o, bool quick)
{
	char left[64], right[1024];
	int n;

	n = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s", o->short_name ? '-' : ' ',
		     o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
		     o->arg ? " " : "", o->arg ? o->arg : "");
	snprintf(right, sizeof(right), "%s", o->help);
	if (o->def)
		snprintf(right + strlen(right), sizeof(right) - strlen(right), " (default %s%s%s%s)", o->def,
			 quick && o->quick ? "; " : "", quick && o->quick ? o->quick : "",
			 quick && o->quick ? " with --quick" : "");
	if (n < 26)
		fprintf(fp, "%-26s%s\n", left, right);
	else
		fprintf(fp, "%s\n%26s%s\n", left, "", right);
}

void cli_print_help(const struct cli_command *cmd, FILE *fp)
{
	bool quick = cmd->common & CLI_QUICK;
	const char *parent = cmd->parent ? cmd->parent : "";

	fprintf(fp, "usage: mesilab %s%s%s %s%s%s\n\n%s\n", parent, *parent ? " " : "", cmd->name,
		cmd->subcommands ? "SUBCOMMAND [options]" : "[options]", cmd->operands ? " " : "",
		cmd->operands ? cmd->operands : "", cmd->summary);
	if (cmd->description)
		fprintf(fp, "\n%s", cmd->description);
	if (cmd->subcommands) {
		const struct cli_command *const *subs = cmd->subcommands();

		fputs("\nsubcommands:\n", fp);
		for (size_t i = 0; subs[i]; i++)
			fprintf(fp, "  %-12s %s\n", subs[i]->name, subs[i]->summary);
		fprintf(fp, "\n'mesilab %s SUBCOMMAND --help' shows a subcommand's options.\n", cmd->name);
	} else {
		fputs("\noptions:\n", fp);
		for (size_t i = 0; i < cmd->noptions; i++)
			print_option(fp, &cmd->options[i], quick);
		for (size_t i = 0; i < NCOMMON; i++)
			if (cmd->common & common_options[i].bit)
				print_option(fp, &common_options[i].option, quick);
		print_option(fp, &help_option, quick);
	}
	fprintf(fp, "\nSee mesilab-%s(1) for details.\n", *parent ? parent : cmd->name);
}

/* 'mesilab trace info ...': runs the subcommand named by ARGV[1]. */
static int run_subcommand(const struct cli_command *cmd, int argc, char **argv, int full_argc,
			  char **full_argv)
{
	struct cli_args args = { .parent = cmd->parent, .name = cmd->name, .options = cmd->options };
	const struct cli_command *const *subs = cmd->subcommands();
	char progname[96];

	if (argc < 2)
		cli_usage_error(&args, "missing subcommand");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_help(cmd, stdout);
		return ML_EXIT_OK;
	}
	for (size_t i = 0; subs[i]; i++) {
		if (strcmp(subs[i]->name, argv[1]) == 0) {
			snprintf(progname, sizeof(progname), "mesilab %s %s", cmd->name, argv[1]);
			ml_set_progname(progname);
			return cli_run_command(subs[i], argc - 1, argv + 1, full_argc, full_argv);
		}
	}
	cli_usage_error(&args, "unknown subcommand '%s'", argv[1]);
}

static void add_option(struct option *longopts, size_t *n, char *shortopts, size_t *ns,
		       const struct cli_option *o, int id)
{
	longopts[*n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, id };
	(*n)++;
	if (o->short_name) {
		shortopts[(*ns)++] = o->short_name;
		if (o->arg)
			shortopts[(*ns)++] = ':';
	}
}

/* Short options map to the same id as their long form. */
static int id_of_short(const struct cli_command *cmd, int c)
{
	for (size_t i = 0; i < NCOMMON; i++)
		if ((cmd->common & common_options[i].bit) && common_options[i].option.short_name == c)
			return ID_COMMON + (int)i;
	for (size_t i = 0; i < cmd->noptions; i++)
		if (cmd->options[i].short_name == c)
			return ID_COMMAND + (int)i;
	return c == 'h' ? ID_HELP : -1;
}

static int set_common(struct cli_args *args, unsigned bit, const char *value, struct ml_error *err)
{
	switch (bit) {
	case CLI_OUTPUT:
		if (!*value) {
			ml_error_set(err, "-o needs a directory name");
			return -1;
		}
		args->output = value;
		break;
	case CLI_CSV: args->csv = true; break;
	case CLI_QUICK: args->quick = true; break;
	case CLI_QUIET: args->quiet = true; break;
	case CLI_SEED:
		if (units_parse_u64(value, &args->seed) < 0) {
			ml_error_set(err, "invalid --seed '%s' (expected a non-negative integer)", value);
			return -1;
		}
		args->seed_given = true;
		break;
	}
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *args, struct ml_error *err)
{
	size_t nlong = 0, nshort = 0;
	struct option *longopts = xcalloc(NCOMMON + cmd->noptions + 2, sizeof(*longopts));
	char *shortopts = xcalloc(3 * (NCOMMON + cmd->noptions) + 8, 1);
	int c, rc = CLI_PARSED;

	args->parent = cmd->parent;
	args->name = cmd->name;
	args->options = cmd->options;
	args->values = xcalloc(cmd->noptions + 1, sizeof(*args->values));
	shortopts[nshort++] = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < NCOMMON; i++)
		if (cmd->common & common_options[i].bit)
			add_option(longopts, &nlong, shortopts, &nshort, &common_options[i].option,
				   ID_COMMON + (int)i);
	for (size_t i = 0; i < cmd->noptions; i++)
		add_option(longopts, &nlong, shortopts, &nshort, &cmd->options[i], ID_COMMAND + (int)i);
	add_option(longopts, &nlong, shortopts, &nshort, &help_option, ID_HELP);

	opterr = 0;
	optind = 0; /* 0, not 1: getopt starts afresh, whatever an earlier parse left */
	while (rc == CLI_PARSED && (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *bad = argv[optind - 1];

		if (c != '?' && c != ':' && c < ID_HELP)
			c = id_of_short(cmd, c);
		if (c == '?') {
			if (optopt)
				ml_error_set(err, "unknown option '-%c'", optopt);
			else
				ml_error_set(err, "unknown option '%s'", bad);
			rc = -1;
		} else if (c == ':') {
			ml_error_set(err, "option '%s' needs an argument", bad);
			rc = -1;
		} else if (c == ID_HELP) {
			rc = CLI_HELP;
		} else if (c >= ID_COMMAND) {
			/* Checked against its row as it comes: the first bad value is said. */
			args->values[c - ID_COMMAND] = optarg ? optarg : "";
			if (optarg && cli_option_check(&cmd->options[c - ID_COMMAND], optarg, err) < 0)
				rc = -1;
		} else if (set_common(args, common_options[c - ID_COMMON].bit, optarg ? optarg : "", err) < 0) {
			rc = -1;
		}
	}
	if (rc == CLI_PARSED) {
		args->noperands = argc - optind;
		args->operands = argv + optind;
		if (args->noperands < cmd->min_operands) {
			ml_error_set(err, "missing operand (expected %s)", cmd->operands);
			rc = -1;
		} else if (cmd->max_operands >= 0 && args->noperands > cmd->max_operands) {
			ml_error_set(err, "unexpected operand '%s'", args->operands[cmd->max_operands]);
			rc = -1;
		}
	}
	free(longopts);
	free(shortopts);
	return rc;
}

static int parse_and_run(const struct cli_command *cmd, int argc, char **argv, int full_argc,
			 char **full_argv)
{
	struct cli_args args = { .argc = full_argc, .argv = full_argv };
	struct ml_error err;
	int status;

	switch (cli_parse(cmd, argc, argv, &args, &err)) {
	case CLI_HELP:
		cli_print_help(cmd, stdout);
		free(args.values);
		return ML_EXIT_OK;
	case CLI_PARSED:
		break;
	default:
		cli_usage_error(&args, "%s", err.msg);
	}
	progress_init(args.quiet);
	interrupt_install();
	status = cmd->run(&args);
	/* Stopped by a signal: the shell's convention, whatever the command
	 * managed to finish before it stopped. */
	if (interrupt_requested())
		status = interrupt_exit_status();
	free(args.values);
	return status;
}

int cli_run_command(const struct cli_command *cmd, int argc, char **argv, int full_argc,
		    char **full_argv)
{
	if (cmd->subcommands)
		return run_subcommand(cmd, argc, argv, full_argc, full_argv);
	return parse_and_run(cmd, argc, argv, full_argc, full_argv);
}

struct rundir *cli_open_rundir(const struct cli_args *args, const struct topo *topology,
			       struct clock_calibration *clock)
{
	struct ml_error err;
	struct clock_calibration measured;
	/* 'mesilab run' measures a whole run: it never adds to an earlier one. */
	bool whole_run = !args->parent && strcmp(args->name, "run") == 0;
	struct rundir *r = (whole_run ? rundir_create_run : rundir_create)(args->output, args->argc, args->argv, &err);

	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	rundir_set_topology(r, topology);
	timer_calibrate(&measured, 15);
	rundir_set_clock(r, &measured);
	/* A run killed before it ends still says what machine it ran on. */
	if (rundir_checkpoint(r, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (clock)
		*clock = measured;
	return r;
}
