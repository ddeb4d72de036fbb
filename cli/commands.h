/* The commands' descriptors and what they share with each other. */
#ifndef MESILAB_COMMANDS_H
#define MESILAB_COMMANDS_H

#include "cli.h"
#include "rundir.h"
#include "topo.h"

extern const struct cli_command cmd_baseline;
extern const struct cli_command cmd_bench;
extern const struct cli_command cmd_compare;
extern const struct cli_command cmd_plot;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_help;
extern const struct cli_command cmd_run;
extern const struct cli_command cmd_sim;
extern const struct cli_command cmd_explain;
extern const struct cli_command cmd_sweep;
extern const struct cli_command cmd_fleet;
extern const struct cli_command cmd_topo;
extern const struct cli_command cmd_trace;
extern const struct cli_command cmd_verify;

/* Lists the commands (for 'mesilab help' and 'mesilab --help'). */
void commands_print_list(FILE *fp);

/* topology.csv, topology.xml and, when lstopo can draw it, topology.svg. */
int topo_write_files(struct rundir *r, const struct topo *t, struct ml_error *err);

#endif
