#include <config.h>

#include <stdio.h>

#include "commands.h"
#include "error.h"

void commands_print_list(FILE *fp)
{
	fputs("usage: mesilab [--version] [--help] COMMAND [options] [operands]\n\ncommands:\n", fp);
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(fp, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\n'mesilab help COMMAND' or 'mesilab COMMAND --help' shows a command's options.\n"
	      "Exit status: 0 success, 1 a check failed, 2 bad usage or bad input.\n", fp);
}

static int run_help(const struct cli_args *args)
{
	const struct cli_command *cmd;

	if (args->noperands == 0) {
		commands_print_list(stdout);
		return ML_EXIT_OK;
	}
	cmd = cli_find_command(args->operands[0]);
	if (!cmd)
		cli_usage_error(args, "unknown command '%s'", args->operands[0]);
	cli_print_help(cmd, stdout);
	return ML_EXIT_OK;
}

const struct cli_command cmd_help = {
	.name = "help",
	.summary = "list the commands, or show the options of one",
	.operands = "[COMMAND]",
	.min_operands = 0,
	.max_operands = 1,
	.run = run_help,
};
