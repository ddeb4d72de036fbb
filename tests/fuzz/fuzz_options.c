/* The command line: the input is the words of a command line, separated
 * by NULs; the first names the command ('mesilab trace import' is two
 * words). Parsed as the command would parse it, without running it, then
 * every option value through the parsers the commands use on them. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "commands.h"
#include "engine.h"
#include "fuzz_input.h"
#include "protocol.h"
#include "units.h"

#define MAX_WORDS 64

static const struct cli_command *command_named(char **words, int *used)
{
	const struct cli_command *cmd = cli_find_command(words[0]);

	*used = 1;
	if (cmd && cmd->subcommands && words[1]) {
		const struct cli_command *const *subs = cmd->subcommands();

		for (size_t i = 0; subs[i]; i++)
			if (strcmp(subs[i]->name, words[1]) == 0) {
				*used = 2;
				return subs[i];
			}
		return NULL;
	}
	return cmd && !cmd->subcommands ? cmd : NULL;
}

static void parse_values(const struct cli_args *args, size_t noptions)
{
	struct cache_geometry g;
	const struct protocol *protocols[SIM_MAX_PROTOCOLS];
	struct ml_error err;
	char bad[64];
	uint64_t v;

	for (size_t i = 0; i < noptions; i++) {
		const char *value = args->values[i];

		if (!value)
			continue;
		units_parse_size(value, &v);
		units_parse_u64(value, &v);
		cache_geometry_parse(value, &g, &err);
		protocol_parse_list(value, protocols, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_input_string(data, size), *words[MAX_WORDS + 1];
	int n = 0, used;
	const struct cli_command *cmd;
	struct cli_args args = { 0 };
	struct ml_error err;

	for (char *p = text; n < MAX_WORDS && p <= text + size; p += strlen(p) + 1)
		words[n++] = p;
	words[n] = NULL;
	cmd = n ? command_named(words, &used) : NULL;
	if (cmd && cli_parse(cmd, n - used + 1, words + used - 1, &args, &err) == CLI_PARSED)
		parse_values(&args, cmd->noptions);
	free(args.values);
	free(text);
	return 0;
}
