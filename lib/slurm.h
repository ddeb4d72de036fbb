/* Submitting batch jobs to Slurm with sbatch: mesilab's work that
 * outgrows one machine (a sweep's configurations, the suite on every node
 * of a partition) runs as job arrays on the cluster's own scheduler. */
#ifndef MESILAB_SLURM_H
#define MESILAB_SLURM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct slurm_job {
	const char *name;
	const char *partition, *time, *account; /* NULL: the cluster's defaults */
	char *const *extra;     /* more sbatch options, one word each, NULL-terminated; or NULL */
	unsigned array;         /* tasks 0 .. ARRAY-1; 0: not an array */
	const char *nodelist;   /* --nodelist, or NULL */
	bool exclusive;         /* whole nodes */
	const char *dependency; /* a job id this one waits for (afterany), or NULL */
	/* Its log: LOG_NAME (sbatch's filename pattern: %A, %a, %j mean
	 * what mesilab means by them) in LOG_DIR (a path, taken literally);
	 * or NULL and NULL. */
	const char *log_dir, *log_name;
};

/* Submits the script at SCRIPT as JOB: its id into ID. 0, or -1 with ERR
 * holding what sbatch said. */
int slurm_submit(const struct slurm_job *job, const char *script, char *id, size_t len, struct ml_error *err);
/* sbatch's --output for a file named NAME (a filename pattern) in the
 * directory DIR: DIR with each % written %%, so that Slurm expands none of
 * its bytes (a directory named res%u is not the user's name), then /NAME.
 * NULL with ERR when DIR holds a backslash: sbatch would then expand no
 * pattern at all and drop the backslashes, so no text names that file.
 * The caller frees. */
char *slurm_output_pattern(const char *dir, const char *name, struct ml_error *err);
/* Whether DIR (made absolute against the working directory) can hold
 * sbatch's logs (slurm_output_pattern): 0, or -1 with ERR. Checked before
 * a command makes anything, so that such a directory is refused whole. */
int slurm_check_log_dir(const char *dir, struct ml_error *err);
/* A job script at PATH that runs this very mesilab binary with ARGS (a
 * shell's words, each quoted by the caller with escape_shell_word), COMMENT
 * on top. 0, or -1 with ERR. */
int slurm_write_script(const char *path, const char *comment, const char *args, struct ml_error *err);

#endif
