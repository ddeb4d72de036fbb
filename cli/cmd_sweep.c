/* 'mesilab sweep': the simulator over a cross product of settings and
 * traces, on a local pool of workers or as a Slurm job array. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "protocol.h"
#include "sim_machine.h"
#include "slurm.h"
#include "sweep.h"
#include "sweep_dir.h"
#include "sweep_finish.h"
#include "sweep_local.h"
#include "sweep_slurm.h"
#include "sysinfo.h"
#include "words.h"
#include "xalloc.h"

/* The settings' options first, in sweep_settings' order (checked). */
enum { OPT_CORES, OPT_L1, OPT_L1I, OPT_L2, OPT_LLC, OPT_REPLACEMENT, OPT_ORDER, OPT_STRADDLE, OPT_HIT,
       OPT_L2_HIT, OPT_LLC_HIT, OPT_MEMORY, OPT_C2C, OPT_BUS, NSETTINGS,
       OPT_PROTOCOL = NSETTINGS, OPT_MACHINE, OPT_CAUSES, OPT_NO_CAUSES, OPT_JOBS, OPT_COLLECT, OPT_SLURM, OPT_PARTITION,
       OPT_TIME, OPT_ACCOUNT, OPT_SBATCH, OPT_TASKS, OPT_TASK, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_CORES] = { .name = "cores", .arg = "LIST", .help = "core counts (default: each trace's threads)" },
	[OPT_L1] = { .name = "l1", .arg = "LIST", .help = "private L1 data caches, SIZE:WAYS:LINE each (default 32K:8:64)" },
	[OPT_L1I] = { .name = "l1i", .arg = "LIST", .help = "L1 instruction caches, or none (the default)" },
	[OPT_L2] = { .name = "l2", .arg = "LIST", .help = "private L2s, or none (the default)" },
	[OPT_LLC] = { .name = "llc", .arg = "LIST", .help = "shared last levels, or none (the default)" },
	[OPT_REPLACEMENT] = { .name = "replacement", .arg = "LIST", .help = "lru, fifo, random, plru (default lru)" },
	[OPT_ORDER] = { .name = "order", .arg = "LIST", .help = "timed, synced, file (default: each trace's own)" },
	[OPT_STRADDLE] = { .name = "straddle", .arg = "LIST", .help = "once, split (default once)" },
	[OPT_HIT] = { .name = "hit", .arg = "LIST", .help = "L1 hit latencies in cycles (default 4)" },
	[OPT_L2_HIT] = { .name = "l2-hit", .arg = "LIST", .help = "L2 hit latencies (default 14)" },
	[OPT_LLC_HIT] = { .name = "llc-hit", .arg = "LIST", .help = "last-level latencies (default 40)" },
	[OPT_MEMORY] = { .name = "memory", .arg = "LIST", .help = "memory latencies (default 200)" },
	[OPT_C2C] = { .name = "c2c", .arg = "LIST", .help = "cache-to-cache latencies (default 60)" },
	[OPT_BUS] = { .name = "bus", .arg = "LIST", .help = "bus-only transaction latencies (default 10)" },
	[OPT_PROTOCOL] = { .name = "protocol", .short_name = 'p', .arg = "LIST", .help = "protocols replayed together in each configuration (default all)" },
	[OPT_MACHINE] = { .name = "machine", .arg = "RUN",
			  .help = "the host the run directory RUN measured: its caches and latencies, where no list is given" },
	[OPT_CAUSES] = { .name = "causes", .help = "classify misses by cause (about 1.6 times the time per configuration)" },
	[OPT_NO_CAUSES] = { .name = "no-causes", .help = "do not (the default for sweep): the cause columns are left empty" },
	[OPT_JOBS] = { .name = "jobs", .short_name = 'j', .arg = "N", .help = "worker processes (default: one per usable PU)" },
	[OPT_COLLECT] = { .name = "collect", .arg = "DIR", .help = "merge the sweep in DIR (e.g. after a Slurm array) and draw its figures" },
	[OPT_SLURM] = { .name = "slurm", .help = "submit the configurations not yet finished as a Slurm job array" },
	[OPT_PARTITION] = { .name = "partition", .arg = "P", .help = "with --slurm: the partition" },
	[OPT_TIME] = { .name = "time", .arg = "LIMIT", .help = "with --slurm: each task's time limit (sbatch --time)" },
	[OPT_ACCOUNT] = { .name = "account", .arg = "A", .help = "with --slurm: the account to charge" },
	[OPT_SBATCH] = { .name = "sbatch", .arg = "OPTIONS", .help = "with --slurm: more sbatch options, blank-separated, quoted as in a shell" },
	[OPT_TASKS] = { .name = "tasks", .arg = "N", .help = "with --slurm: array tasks (default: one per configuration, at most 1000)" },
	[OPT_TASK] = { .name = "task", .arg = "DIR", .help = "run this array task's configurations (what the job script calls)" },
};

_Static_assert(NSETTINGS == 14, "one option per sweep setting");

static void check_setting_options(void)
{
	for (size_t k = 0; k < NSETTINGS; k++) {
		char name[32];

		snprintf(name, sizeof(name), "%s", sweep_settings[k].name);
		for (char *p = name; *p; p++)
			*p = *p == '_' ? '-' : *p;
		if (k >= sweep_nsettings || strcmp(name, options[k].name) != 0)
			ml_die(ML_EXIT_CHECK_FAILED, "internal: option %s is not sweep setting %zu", options[k].name, k);
	}
}

/* The merged sweep.csv and its figures; the missing configurations said. */
static int collect(const struct cli_args *args, const char *dir)
{
	struct ml_error err;
	struct csv_file *plan = sweep_dir_plan(dir, &err);
	int rc;

	if (!plan)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	rc = sweep_finish(dir, plan, args->quiet, args->csv, &err);
	if (rc < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	csv_free(plan);
	return rc == 0 ? ML_EXIT_OK : ML_EXIT_CHECK_FAILED;
}

/* The settings a machine model gives; NOPTIONS: a part a sweep does not
 * vary (the hand-over, which counts only with lines in flight, which a
 * sweep's replays have not; an atomic's cost). */
static const size_t part_settings[MACHINE_NPARTS] = {
	[MACHINE_L1] = OPT_L1, [MACHINE_L2] = OPT_L2, [MACHINE_LLC] = OPT_LLC, [MACHINE_HIT] = OPT_HIT,
	[MACHINE_L2_HIT] = OPT_L2_HIT, [MACHINE_LLC_HIT] = OPT_LLC_HIT, [MACHINE_MEMORY] = OPT_MEMORY,
	[MACHINE_C2C] = OPT_C2C, [MACHINE_BUS] = OPT_BUS, [MACHINE_HANDOVER] = NOPTIONS,
	[MACHINE_ATOMIC] = NOPTIONS,
};

/* --machine RUN: each setting without a list gets the model's one value
 * (into VALUES, which LISTS then points at); returns the model's table,
 * for the sweep's sim-machine.csv. */
static struct table *machine_settings(const struct cli_args *args, const char **lists, char values[][64])
{
	const char *run = args->values[OPT_MACHINE];
	struct sim_machine m;
	struct sim_config cfg;
	struct ml_error err;

	if (sim_machine_read(&m, run, run, &err) < 0)
		ml_die(ML_EXIT_USAGE, "--machine: %s", err.msg);
	m.cores_source = args->values[OPT_CORES] ? "--cores" : "each trace's threads, one core each";
	m.plain_replays = "none: a sweep replays without store buffers, lines in flight or an atomic's cost (sim --machine "
			  "has them), its latencies in whole cycles";
	for (int p = 0; p < MACHINE_NPARTS; p++) {
		m.given[p] = part_settings[p] < NOPTIONS && args->values[part_settings[p]] != NULL;
		m.given_value[p] = m.given[p] ? args->values[part_settings[p]] : NULL;
	}
	sim_config_defaults(&cfg);
	sim_machine_apply(&m, &cfg);
	cfg.cores = 0;
	for (int p = 0; p < MACHINE_NPARTS; p++)
		if (!m.given[p] && m.model.part[p].from_run && part_settings[p] < NOPTIONS) {
			sweep_settings[part_settings[p]].format(&cfg, values[p], 64);
			lists[part_settings[p]] = values[p];
		}
	return sim_machine_table(&m, &cfg);
}

static void save_machine(struct table *t, const char *dir)
{
	char *path = xasprintf("%s/sim-machine.csv", dir);
	struct ml_error err;

	if (table_save_csv(t, path, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
	free(path);
	table_free(t);
}

/* -o DIR, or a new DATE-TIME-sweep under the results directory; for
 * Slurm, one that can hold its logs (checked before it is made). *MADE:
 * whether it was made here (none was there). */
static char *sweep_directory(const struct cli_args *args, bool slurm, bool *made)
{
	struct ml_error err;
	char *dir = args->output ? xstrdup(args->output) : rundir_new_directory("sweep", &err);

	if (!dir || rundir_check_output(dir, "plan.csv", &err) < 0 || (slurm && slurm_check_log_dir(dir, &err) < 0))
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	*made = access(dir, F_OK) != 0;
	if (rundir_make_directories(dir, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	return dir;
}

/* A sweep refused before its plan was written (a trace that cannot be
 * read, a setting no cache can have): MSG said, and DIR taken back when
 * MADE here, so that no empty sweep is left. */
static void refuse(const char *dir, bool made, const char *msg)
{
	if (made) {
		char *machine = xasprintf("%s/sim-machine.csv", dir);

		unlink(machine);
		rmdir(dir);
		free(machine);
	}
	ml_die(ML_EXIT_USAGE, "%s", msg);
}

static int run_sweep(const struct cli_args *args)
{
	const char *lists[NSETTINGS], *protocols = args->values[OPT_PROTOCOL] ? args->values[OPT_PROTOCOL] : "all";
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	unsigned jobs = (unsigned)cli_uint_option(args, OPT_JOBS, 1, 4096, sysinfo_usable_pus());
	struct ml_error err;
	struct csv_file *plan;
	struct table *machine;
	char bad[64], *dir, **sbatch = NULL, model_values[MACHINE_NPARTS][64];
	struct sweep_refusals refused;
	size_t nsbatch;
	long n;
	int rc;
	bool made;

	check_setting_options();
	if (args->values[OPT_CAUSES] && args->values[OPT_NO_CAUSES])
		cli_usage_error(args, "--causes and --no-causes contradict each other");
	if (args->values[OPT_COLLECT])
		return collect(args, args->values[OPT_COLLECT]);
	if (args->values[OPT_TASK])
		return sweep_slurm_run_task(args->values[OPT_TASK], jobs, &err) == 0 ? ML_EXIT_OK
			: (ml_warn("%s", err.msg), ML_EXIT_CHECK_FAILED);
	if (args->noperands < 1)
		cli_usage_error(args, "expected one or more TRACE operands (or --collect DIR)");
	if (protocol_parse_list(protocols, chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad)) < 0) {
		char known[256];

		protocol_names(known, sizeof(known));
		cli_usage_error(args, "unknown protocol '%s' (expected %s or all)", bad, known);
	}
	if (args->values[OPT_SLURM] && args->values[OPT_SBATCH] &&
	    !(sbatch = words_split(args->values[OPT_SBATCH], &nsbatch, &err)))
		cli_usage_error(args, "--sbatch: %s", err.msg);
	for (size_t k = 0; k < NSETTINGS; k++)
		lists[k] = args->values[k];
	machine = args->values[OPT_MACHINE] ? machine_settings(args, lists, model_values) : NULL;
	dir = sweep_directory(args, args->values[OPT_SLURM] != NULL, &made);
	if (machine)
		save_machine(machine, dir);
	n = sweep_plan_write(dir,
			     &(struct sweep_request){ lists, args->operands, args->noperands, protocols,
						      args->values[OPT_CAUSES] != NULL },
			     &refused, &err);
	if (n < 0)
		refuse(dir, made, err.msg);
	if (refused.count && !args->quiet)
		fprintf(stderr, "mesilab sweep: %zu combination%s left out: %s%s\n", refused.count,
			refused.count == 1 ? "" : "s", refused.why, refused.count > 1 ? " (the first; and others)" : "");
	plan = sweep_dir_plan(dir, &err);
	if (!plan)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (args->values[OPT_SLURM]) {
		struct sweep_slurm_options so = { args->values[OPT_PARTITION], args->values[OPT_TIME],
						  args->values[OPT_ACCOUNT], sbatch,
						  (unsigned)cli_uint_option(args, OPT_TASKS, 1, 100000, 1000) };

		rc = sweep_slurm_submit(dir, plan, &so, args->quiet, &err) == 0 ? ML_EXIT_OK
			: (ml_warn("%s", err.msg), ML_EXIT_CHECK_FAILED);
	} else {
		rc = sweep_run_local(dir, plan, (size_t)n, jobs, args->quiet);
		if (rc == ML_EXIT_OK || rc == ML_EXIT_CHECK_FAILED) {
			int collected = collect(args, dir);

			rc = rc == ML_EXIT_OK ? collected : rc;
		}
	}
	csv_free(plan);
	free(dir);
	words_free(sbatch);
	return rc;
}

const struct cli_command cmd_sweep = {
	.name = "sweep",
	.summary = "replay traces over a cross product of caches, cores and latencies, locally or on Slurm",
	.operands = "TRACE...",
	.min_operands = 0,
	.max_operands = -1,
	.description =
		"Each setting option takes a comma-separated list; every combination of\n"
		"them, for each TRACE, is one configuration, replayed under every protocol\n"
		"of -p at once. Combinations the simulator refuses (an L2 smaller than its\n"
		"L1, fewer cores than a trace's threads) are left out and said. Writes into\n"
		"the sweep directory (-o DIR, default results/DATE-TIME-sweep) plan.csv,\n"
		"rows/ (one file per finished configuration), sweep.csv (one row per\n"
		"configuration and protocol: the settings, then sim-summary.csv's columns)\n"
		"and figures/. The same command with the same -o DIR resumes a sweep that\n"
		"was interrupted or whose tasks failed: finished configurations are not\n"
		"run again. With --slurm the configurations go to a job array whose tasks\n"
		"write into DIR (a shared file system), and a last job collects them.\n",
	.common = CLI_OUTPUT | CLI_CSV | CLI_QUIET,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_sweep,
};
