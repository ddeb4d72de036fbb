/* What the 'mesilab trace' subcommands share. */
#ifndef MESILAB_TRACE_COMMANDS_H
#define MESILAB_TRACE_COMMANDS_H

#include "cli.h"
#include "trace.h"
#include "trace_reader.h"
#include "workload.h"

extern const struct cli_command cmd_trace_info;
extern const struct cli_command cmd_trace_cat;
extern const struct cli_command cmd_trace_pack;
extern const struct cli_command cmd_trace_bench;

/* The -o FILE of a command writing a binary trace: FILE, or "-" (standard
 * output) when absent and standard output is not a terminal. */
const char *trace_output_path(const struct cli_args *args, const char *value);

/* The header a new trace starts from: the host's line size as the hint
 * and the command line as the generator. */
void trace_header_for_command(const struct cli_args *args, struct trace_header *h);

/* The line size R's header gives (the line of the machine it was traced
 * on), or FALLBACK when it gives none or one no cache can have, which is
 * said. */
unsigned trace_line_of_header(const struct trace_reader *r, unsigned fallback);

/* 'mesilab trace import', whose --help lists the importers' table. */
const struct cli_command *trace_import_command(void);

/* The command 'mesilab trace NAME' for a workload. */
void trace_workload_command(const struct workload *w, struct cli_command *cmd);

#endif
