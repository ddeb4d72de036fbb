#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rundir.h"
#include "run_slurm.h"
#include "slurm.h"
#include "subprocess.h"
#include "xalloc.h"

/* Whether NODE is an item of the comma-separated LIST. */
static bool listed(const char *list, const char *node)
{
	size_t n = strlen(node);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == n && strncmp(p, node, n) == 0)
			return true;
	return false;
}

/* The nodes of partition P, one per line of sinfo's answer. */
static char *partition_nodes(const char *partition, struct ml_error *err)
{
	static char answer[1 << 16];
	char *p = xasprintf("--partition=%s", partition), *list = xstrdup("");
	char *argv[] = { "sinfo", "--noheader", "--Node", "--format=%N", p, NULL };
	int status = subprocess_run_output(argv, answer, sizeof(answer));

	for (char *line = status == 0 ? strtok(answer, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		char *old = list;

		if (listed(list, line)) /* a node in several partitions is listed once */
			continue;
		list = xasprintf("%s%s%s", old, *old ? "," : "", line);
		free(old);
	}
	free(p);
	if (status != 0 || !*list) {
		ml_error_set(err, "sinfo: %s", status < 0 ? "cannot be run (is Slurm installed?)"
						: status ? "failed (no such partition?)" : "the partition has no nodes");
		free(list);
		return NULL;
	}
	return list;
}

int run_slurm_submit(const struct cli_args *args, const struct run_slurm_options *o)
{
	struct ml_error err;
	char *nodes, *dir, *slurm_dir, *script, *fleet_script, *dependency = xstrdup(""), id[64];
	char *quoted, *words, *next;
	size_t njobs = 0;

	if (!args->output)
		cli_usage_error(args, "--slurm needs -o DIR, on a file system the nodes share (each node writes DIR/<hostname>)");
	if (!o->nodes && !o->partition)
		cli_usage_error(args, "--slurm needs --nodes LIST or --partition P");
	/* Refused before anything is made (Slurm's logs are written there). */
	if (slurm_check_log_dir(args->output, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	nodes = o->nodes ? xstrdup(o->nodes) : partition_nodes(o->partition, &err);
	if (!nodes || rundir_make_directories(args->output, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!(dir = realpath(args->output, NULL)))
		ml_die(ML_EXIT_USAGE, "%s: %s", args->output, strerror(errno));
	slurm_dir = xasprintf("%s/slurm", dir);
	script = xasprintf("%s/run.sh", slurm_dir);
	fleet_script = xasprintf("%s/fleet.sh", slurm_dir);
	quoted = escape_shell_word_new(dir);
	/* each node's own directory, named when the job runs there */
	words = xasprintf("run %s -o %s/\"$(hostname -s)\"", o->run_args, quoted);
	if (rundir_make_directories(slurm_dir, &err) < 0 ||
	    slurm_write_script(script, "mesilab run on one node, into the fleet's directory named after it", words,
			       &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	free(words);
	for (char *node = strtok_r(nodes, ",", &next); node; node = strtok_r(NULL, ",", &next)) {
		char *old = dependency;

		if (slurm_submit(&(struct slurm_job){ .name = "mesilab-run", .partition = o->partition, .time = o->time,
						      .account = o->account, .extra = o->sbatch, .nodelist = node,
						      .exclusive = true, .log_dir = slurm_dir, .log_name = "run-%j.log" },
				 script, id, sizeof(id), &err) < 0)
			ml_die(ML_EXIT_CHECK_FAILED, "%s (node %s; %zu job%s submitted before)", err.msg, node, njobs,
			       njobs == 1 ? "" : "s");
		dependency = xasprintf("%s%s%s", old, *old ? ":" : "", id);
		free(old);
		printf("%s %s\n", id, node);
		njobs++;
	}
	/* The report, once every node's run has ended however it ended. */
	words = xasprintf("fleet --quiet %s", quoted);
	if (slurm_write_script(fleet_script, "mesilab fleet over the nodes' runs", words, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	free(words);
	if (slurm_submit(&(struct slurm_job){ .name = "mesilab-fleet", .partition = o->partition, .time = o->time,
					      .account = o->account, .extra = o->sbatch, .dependency = dependency,
					      .log_dir = slurm_dir, .log_name = "fleet.log" },
			 fleet_script, id, sizeof(id), &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	if (!args->quiet)
		fprintf(stderr, "submitted %zu job%s, one per node, and job %s, which writes %s/fleet/fleet.md when they end\n",
			njobs, njobs == 1 ? "" : "s", id, dir);
	free(nodes);
	free(dir);
	free(slurm_dir);
	free(script);
	free(fleet_script);
	free(dependency);
	free(quoted);
	return ML_EXIT_OK;
}
