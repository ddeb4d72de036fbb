#include <config.h>

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "error.h"
#include "git-revision.h"
#include "stdout_check.h"

static void print_version(void)
{
	printf("mesilab %s (git %s)\n", PACKAGE_VERSION, MESILAB_GIT_REV);
}

static void unknown_command(const char *name)
{
	fprintf(stderr, "mesilab: unknown command '%s' (expected one of:", name);
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "", cli_commands[i]->name);
	fputs("; see 'mesilab help')\n", stderr);
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	char progname[64];

	/* First, so that it runs last, after every other exit handler. */
	stdout_check_at_exit();
	if (argc < 2) {
		commands_print_list(stderr);
		return ML_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		print_version();
		return ML_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		commands_print_list(stdout);
		return ML_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "mesilab: unknown option '%s' (expected --help, --version or a command; see 'mesilab help')\n",
			argv[1]);
		return ML_EXIT_USAGE;
	}
	cmd = cli_find_command(argv[1]);
	if (!cmd) {
		unknown_command(argv[1]);
		return ML_EXIT_USAGE;
	}
	snprintf(progname, sizeof(progname), "mesilab %s", cmd->name);
	ml_set_progname(progname);
	return cli_run_command(cmd, argc - 1, argv + 1, argc, argv);
}
