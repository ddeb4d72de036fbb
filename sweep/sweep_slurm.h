/* A sweep on Slurm: the configurations not yet finished split among the
 * tasks of a job array, each task running its share with a pool of the
 * PUs it was given and writing each configuration's rows into the sweep
 * directory (on a file system the nodes share), and a last job, started
 * when the array has ended however it ended, collecting them. */
#ifndef MESILAB_SWEEP_SLURM_H
#define MESILAB_SWEEP_SLURM_H

#include <stdbool.h>

#include "csv_read.h"
#include "error.h"

struct sweep_slurm_options {
	const char *partition, *time, *account;
	char *const *sbatch; /* more sbatch options, one word each (words.h), or NULL */
	unsigned max_tasks;
};

/* Writes DIR/slurm/sN/ (the tasks' shares and job scripts) and submits
 * them; says what it submitted unless QUIET. 0, or -1 with ERR. */
int sweep_slurm_submit(const char *dir, const struct csv_file *plan, const struct sweep_slurm_options *o, bool quiet,
		       struct ml_error *err);
/* Runs this array task's share (SLURM_ARRAY_TASK_ID) of the submission
 * in SUBMISSION on JOBS workers; 0, or -1 with ERR (some failed). */
int sweep_slurm_run_task(const char *submission, unsigned jobs, struct ml_error *err);

#endif
