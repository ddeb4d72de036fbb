#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "slurm.h"
#include "sweep.h"
#include "sweep_dir.h"
#include "sweep_slurm.h"
#include "table.h"
#include "xalloc.h"

/* DIR/slurm/sN for the first N not taken: each submission keeps its own
 * shares and logs. */
static char *new_submission(const char *dir, struct ml_error *err)
{
	char *slurm = xasprintf("%s/slurm", dir);

	if (mkdir(slurm, 0777) < 0 && errno != EEXIST) {
		ml_error_set(err, "%s: cannot create directory: %s", slurm, strerror(errno));
		free(slurm);
		return NULL;
	}
	for (unsigned k = 1; k < 100000; k++) {
		char *sub = xasprintf("%s/s%u", slurm, k);

		if (mkdir(sub, 0777) == 0) {
			free(slurm);
			return sub;
		}
		free(sub);
		if (errno != EEXIST)
			break;
	}
	ml_error_set(err, "%s: cannot create a submission directory: %s", slurm, strerror(errno));
	free(slurm);
	return NULL;
}

/* tasks.csv: which task runs which configuration. */
static int write_shares(const char *sub, const struct csv_file *plan, const size_t *pending, size_t n, unsigned ntasks,
			struct ml_error *err)
{
	static const struct table_column columns[] = { { "task", "task", TABLE_RIGHT },
						       { "configuration", "configuration", TABLE_LEFT } };
	struct table *t = table_new(columns, 2);
	char *path = xasprintf("%s/tasks.csv", sub);
	int rc;

	for (size_t i = 0; i < n; i++) {
		table_add_row(t);
		table_setf(t, 0, "%zu", i % ntasks);
		table_set(t, 1, sweep_dir_config_id(plan, pending[i]), NULL);
	}
	rc = table_save_csv(t, path, err);
	table_free(t);
	free(path);
	return rc;
}

int sweep_slurm_submit(const char *dir, const struct csv_file *plan, const struct sweep_slurm_options *o, bool quiet,
		       struct ml_error *err)
{
	char *absolute = NULL, *sub = NULL, *array_sh = NULL, *collect_sh = NULL, *args = NULL;
	char array_id[64], collect_id[64];
	size_t *pending = xcalloc(csv_rows(plan) + 1, sizeof(*pending)), n = 0;
	unsigned ntasks;
	int rc = -1;
	char *quoted;

	for (size_t r = 0; r < csv_rows(plan); r++)
		if (!sweep_dir_config_done(dir, plan, r))
			pending[n++] = r;
	if (n == 0) {
		if (!quiet)
			fprintf(stderr, "every configuration of %s is finished: nothing to submit (sweep --collect %s merges them)\n",
				dir, dir);
		free(pending);
		return 0;
	}
	ntasks = n < o->max_tasks ? (unsigned)n : o->max_tasks;
	if (!(absolute = realpath(dir, NULL))) {
		ml_error_set(err, "%s: %s", dir, strerror(errno));
		goto out;
	}
	/* Refused before anything is made (Slurm's logs are written there). */
	if (slurm_check_log_dir(absolute, err) < 0 || !(sub = new_submission(absolute, err)))
		goto out;
	if (write_shares(sub, plan, pending, n, ntasks, err) < 0)
		goto out;
	array_sh = xasprintf("%s/array.sh", sub);
	collect_sh = xasprintf("%s/collect.sh", sub);
	quoted = escape_shell_word_new(sub);
	args = xasprintf("sweep --quiet --task %s", quoted);
	free(quoted);
	if (slurm_write_script(array_sh, "mesilab sweep: one array task's configurations", args, err) < 0)
		goto out;
	free(args);
	quoted = escape_shell_word_new(absolute);
	args = xasprintf("sweep --quiet --collect %s", quoted);
	free(quoted);
	if (slurm_write_script(collect_sh, "mesilab sweep: the rows of every task into sweep.csv, and the figures", args,
			       err) < 0)
		goto out;
	if (slurm_submit(&(struct slurm_job){ .name = "mesilab-sweep", .partition = o->partition, .time = o->time,
					      .account = o->account, .extra = o->sbatch, .array = ntasks,
					      .log_dir = sub, .log_name = "task-%a.log" },
			 array_sh, array_id, sizeof(array_id), err) < 0)
		goto out;
	if (slurm_submit(&(struct slurm_job){ .name = "mesilab-sweep-collect", .partition = o->partition,
					      .time = o->time, .account = o->account, .extra = o->sbatch,
					      .dependency = array_id, .log_dir = sub, .log_name = "collect.log" },
			 collect_sh, collect_id, sizeof(collect_id), err) < 0)
		goto out;
	if (!quiet)
		fprintf(stderr, "submitted job array %s (%u task%s, %zu configuration%s) and job %s, which collects them into %s/sweep.csv when the array ends; logs in %s\n",
			array_id, ntasks, ntasks == 1 ? "" : "s", n, n == 1 ? "" : "s", collect_id, dir, sub);
	printf("%s\n", array_id);
	rc = 0;
out:
	free(pending);
	free(absolute);
	free(sub);
	free(array_sh);
	free(collect_sh);
	free(args);
	return rc;
}

int sweep_slurm_run_task(const char *submission, unsigned jobs, struct ml_error *err)
{
	const char *task_text = getenv("SLURM_ARRAY_TASK_ID");
	char *shares_path = xasprintf("%s/tasks.csv", submission), *copy = xstrdup(submission), *dir;
	struct csv_file *shares = NULL, *plan = NULL;
	struct worker_pool_result res = { 0 };
	size_t *rows = NULL, n = 0;
	int rc = -1;

	/* SUBMISSION is DIR/slurm/sN */
	dir = dirname(dirname(copy));
	if (!task_text || !*task_text) {
		ml_error_set(err, "--task runs a task of a Slurm job array: SLURM_ARRAY_TASK_ID is not set");
		goto out;
	}
	if (!(shares = csv_read(shares_path, submission, err)) || !(plan = sweep_dir_plan(dir, err)))
		goto out;
	rows = xcalloc(csv_rows(shares) + 1, sizeof(*rows));
	for (size_t r = 0; r < csv_rows(shares); r++) {
		if (strcmp(csv_cell_named(shares, r, "task"), task_text) != 0)
			continue;
		for (size_t p = 0; p < csv_rows(plan); p++)
			if (strcmp(sweep_dir_config_id(plan, p), csv_cell_named(shares, r, "configuration")) == 0)
				rows[n++] = p;
	}
	if (n == 0) {
		ml_error_set(err, "%s: task %s has no configurations", shares_path, task_text);
		goto out;
	}
	rc = sweep_run_pool(dir, plan, rows, n, jobs, &res, err);
	if (rc == 0 && res.failed) {
		ml_error_set(err, "task %s: %zu of %zu configurations failed (said above)", task_text, res.failed, n);
		rc = -1;
	}
out:
	free(res.failures);
	free(rows);
	csv_free(shares);
	csv_free(plan);
	free(shares_path);
	free(copy);
	return rc;
}
