/* 'mesilab run --slurm': the suite once on each node of a list or a
 * partition, each into DIR/<hostname>/, and 'mesilab fleet DIR' when they
 * have all ended. One job per node, each with the node to itself
 * (--exclusive, --nodelist): a job array's tasks cannot each be sent to a
 * node of one's choosing. */
#ifndef MESILAB_RUN_SLURM_H
#define MESILAB_RUN_SLURM_H

#include "options.h"

struct run_slurm_options {
	const char *nodes, *partition, *time, *account;
	char *const *sbatch;  /* more sbatch options, one word each (words.h), or NULL */
	const char *run_args; /* the suite's options, each quoted with escape_shell_word */
};

/* Submits the jobs; returns the exit status. */
int run_slurm_submit(const struct cli_args *args, const struct run_slurm_options *o);

#endif
