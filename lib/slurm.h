/* Submitting batch jobs to Slurm with sbatch: mesilab's work that
 * outgrows one machine (a sweep's configurations, the suite on every node
 * of a partition) runs as job arrays on the cluster's own scheduler. */
#ifndef MESILAB_SLURM_H
#define MESILAB_SLURM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct slurm_job {
	const char *name;
	const char *partition, *time, *account; /* NULL: the cluster's defaults */
	const char *extra;      /* more sbatch options, blank-separated, or NULL */
	unsigned array;         /* tasks 0 .. ARRAY-1; 0: not an array */
	const char *nodelist;   /* --nodelist, or NULL */
	bool exclusive;         /* whole nodes */
	const char *dependency; /* a job id this one waits for (afterany), or NULL */
	const char *output;     /* its log, with sbatch's %A/%a, or NULL */
};

/* Whether sbatch can be run here. */
bool slurm_available(void);
/* Submits the script at SCRIPT as JOB: its id into ID. 0, or -1 with ERR
 * holding what sbatch said. */
int slurm_submit(const struct slurm_job *job, const char *script, char *id, size_t len, struct ml_error *err);
/* TEXT in single quotes for a shell script. */
void slurm_put_quoted(FILE *fp, const char *text);
/* TEXT in single quotes, as a new string. */
char *slurm_quoted(const char *text);
/* A job script at PATH that runs this very mesilab binary with ARGS (a
 * shell's words, quoted by the caller), COMMENT on top. 0, or -1 with ERR. */
int slurm_write_script(const char *path, const char *comment, const char *args, struct ml_error *err);

#endif
