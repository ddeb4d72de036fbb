/* 'mesilab run': the whole suite into one run directory, in a quick, a
 * default or a full profile. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "controls.h"
#include "cpu_load.h"
#include "escape.h"
#include "interrupt.h"
#include "path.h"
#include "progress.h"
#include "pyramid.h"
#include "run_slurm.h"
#include "suite.h"
#include "timer.h"
#include "words.h"
#include "xalloc.h"

enum { OPT_FULL, OPT_ONLY, OPT_SKIP, OPT_EVENTS, OPT_SLURM, OPT_NODES, OPT_PARTITION, OPT_TIME, OPT_ACCOUNT,
       OPT_SBATCH, NOPTIONS };

/* The stages, in the order they run. */
enum stage_id { STAGE_TOPO, STAGE_LATENCY, STAGE_BANDWIDTH, STAGE_FALSESHARE, STAGE_C2C, STAGE_CONTENTION,
		STAGE_STATES, STAGE_STORAGE, STAGE_TIMESHARE, STAGE_SIM, STAGE_PLOT, STAGE_REPORT, NSTAGES };

static const char *const stage_names[NSTAGES] = {
	"topo", "latency", "bandwidth", "falseshare", "c2c", "contention", "states", "storage", "timeshare", "sim",
	"plot", "report",
};

static const struct cli_option options[NOPTIONS] = {
	[OPT_FULL] = { .name = "full", .help = "the thorough profile, for lab reports: more repetitions everywhere" },
	[OPT_ONLY] = { .name = "only", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(stage_names),
		       .help = "run only these stages (comma-separated)" },
	[OPT_SKIP] = { .name = "skip", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(stage_names),
		       .help = "skip these stages (comma-separated)" },
	[OPT_EVENTS] = BENCH_EVENTS_OPTION,
	[OPT_SLURM] = { .name = "slurm", .help = "run the suite on each node of --nodes or --partition, into -o DIR/<hostname>" },
	[OPT_NODES] = { .name = "nodes", .arg = "LIST", .help = "with --slurm: the nodes, comma-separated" },
	[OPT_PARTITION] = { .name = "partition", .arg = "P",
			    .help = "with --slurm: the partition (all its nodes, without --nodes)" },
	[OPT_TIME] = { .name = "time", .arg = "LIMIT", .help = "with --slurm: each job's time limit" },
	[OPT_ACCOUNT] = { .name = "account", .arg = "A", .help = "with --slurm: the account to charge" },
	[OPT_SBATCH] = { .name = "sbatch", .arg = "OPTIONS",
			 .help = "with --slurm: more sbatch options, blank-separated, quoted as in a shell" },
};

static const char *const profile_names[NCLI_PROFILES] = {
	[CLI_PROFILE_DEFAULT] = "default", [CLI_PROFILE_QUICK] = "quick", [CLI_PROFILE_FULL] = "full" };

struct stage {
	const char *summary;
	int (*run)(struct suite *s, const struct stage *stage, struct ml_error *err);
	const struct benchmark *bench; /* for benchmark stages */
};

static int stage_topo(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	(void)stage;
	return topo_write_files(s->run, s->topo, err);
}

/* A benchmark configured by the suite's profile (and its --seed),
 * counters around it. */
static int stage_bench(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	const struct benchmark *b = stage->bench;
	struct bench_context ctx = { .name = b->name, .topo = s->topo, .clock = &s->clock, .run = s->run,
				     .quick = s->args->quick, .seed_given = s->args->seed_given, .seed = s->args->seed };
	void *config = bench_configure(b, s->profile, NULL);
	int rc = bench_run(b, &ctx, config, &s->counters, s->counts, err);

	free(config);
	return rc;
}

/* The pyramid of what the run has measured so far (its metadata on disk
 * included), for the figures and the report, and for a run without them. */
static void save_pyramid(struct rundir *run)
{
	struct ml_error err;
	int saved = pyramid_save(rundir_path(run), &err);

	if (saved == 0)
		rundir_add_file(run, "pyramid.csv");
	else if (saved < 0)
		ml_warn("pyramid.csv: %s", err.msg);
}

static int stage_sim(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	(void)stage;
	return suite_sim_stage(s, err);
}

static int stage_plot(struct suite *s, const struct stage *stage, struct ml_error *err)
{
	(void)stage;
	return suite_plot_stage(s, err);
}

/* The suite, in the order it runs. */
static const struct stage stages[NSTAGES] = {
	[STAGE_TOPO] = { "the hierarchy as hwloc sees it", stage_topo, NULL },
	[STAGE_LATENCY] = { "load-to-use latency by working-set size", stage_bench, &bench_latency },
	[STAGE_BANDWIDTH] = { "bandwidth by working-set size", stage_bench, &bench_bandwidth },
	[STAGE_FALSESHARE] = { "false sharing against padded counters", stage_bench, &bench_falseshare },
	[STAGE_C2C] = { "core-to-core transfer latency", stage_bench, &bench_c2c },
	[STAGE_CONTENTION] = { "many threads on one line", stage_bench, &bench_contention },
	[STAGE_STATES] = { "coherence-state costs", stage_bench, &bench_states },
	[STAGE_STORAGE] = { "below DRAM: page cache, page faults, the device", stage_bench, &bench_storage },
	[STAGE_TIMESHARE] = { "two tasks on one PU: the switch and the refill after it", stage_bench,
			      &bench_timeshare },
	[STAGE_SIM] = { "the coherence kernels' traces under every protocol", stage_sim, NULL },
	[STAGE_PLOT] = { "figures (gnuplot)", stage_plot, NULL },
	/* Written apart, last of all (see run_suite). */
	[STAGE_REPORT] = { "report.md and report.html", NULL, NULL },
};


/* Says, before the run starts, what of its work grows with this machine
 * (pairs, thread counts), and records it. No time is promised: a stage's
 * time depends on the machine's latencies, its load and its vCPUs, none of
 * which are known before they are measured. */
static void plan_note(const struct topo *t, const bool *chosen, size_t count, struct rundir *run)
{
	char plan[512] = "", what[96];

	for (size_t i = 0; i < NSTAGES; i++) {
		if (!chosen[i] || !stages[i].bench || !stages[i].bench->scale)
			continue;
		stages[i].bench->scale(t, what, sizeof(what));
		snprintf(plan + strlen(plan), sizeof(plan) - strlen(plan), "; %s: %s", stage_names[i], what);
	}
	if (*plan)
		rundir_set(run, "plan", plan + 2);
	progress_note("%zu stage%s on %u usable PU%s%s", count, count == 1 ? "" : "s", topo_usable_pus(t),
		      topo_usable_pus(t) == 1 ? "" : "s", plan);
}

/* "[3/10 bandwidth, from 1 min 5 s] ": the stage and when it began, into
 * the run (the prefix is set once a stage: a running clock would look
 * stopped). */
static void show_stage(size_t index, size_t count, const char *name, double elapsed_s)
{
	char prefix[128];
	unsigned s = (unsigned)(elapsed_s + 0.5);

	if (s >= 60)
		snprintf(prefix, sizeof(prefix), "[%zu/%zu %s, from %u min %u s] ", index, count, name, s / 60, s % 60);
	else
		snprintf(prefix, sizeof(prefix), "[%zu/%zu %s, from %u s] ", index, count, name, s);
	progress_set_prefix(prefix);
	progress_update("%s", "");
}

/* What stage NAME, begun at START, took on this machine (the time the
 * next run here can expect), added to LIST and recorded as stage_seconds. */
static void record_stage_seconds(struct rundir *run, char *list, size_t len, const char *name, uint64_t start)
{
	snprintf(list + strlen(list), len - strlen(list), "%s%s %.1f", *list ? ", " : "", name,
		 (double)(timer_now_ns() - start) / 1e9);
	rundir_set(run, "stage_seconds", list);
}

/* The suite's own options, for the runs --slurm submits. */
static char *suite_options(const struct cli_args *args)
{
	static const size_t passed[] = { OPT_FULL, OPT_ONLY, OPT_SKIP, OPT_EVENTS };
	char *words = xstrdup(args->quick ? "--quick" : "");

	for (size_t i = 0; i < sizeof(passed) / sizeof(passed[0]); i++) {
		const char *v = args->values[passed[i]];
		char *quoted, *old = words;

		if (!v)
			continue;
		/* a flag as it is; a value, even an empty one, as a word of its own */
		quoted = options[passed[i]].arg ? escape_shell_word_new(v) : xstrdup("");
		words = xasprintf("%s%s--%s%s%s", old, *old ? " " : "", options[passed[i]].name, *quoted ? " " : "",
				  quoted);
		free(old);
		free(quoted);
	}
	if (args->seed_given) {
		char *old = words;

		words = xasprintf("%s%s--seed %llu", old, *old ? " " : "", (unsigned long long)args->seed);
		free(old);
	}
	return words;
}

static int run_suite(const struct cli_args *args)
{
	bool only[NSTAGES], skip[NSTAGES], chosen[NSTAGES];
	char seconds[512] = "", stage_list[256] = "", skipped_list[256] = "";
	enum cli_profile profile = args->quick		   ? CLI_PROFILE_QUICK
				   : args->values[OPT_FULL] ? CLI_PROFILE_FULL
							    : CLI_PROFILE_DEFAULT;
	uint64_t start, stage_start;
	size_t count = 0, index = 0;
	struct ml_error err;
	struct suite s = { .args = args,
			   .profile = profile };
	struct topo *t;
	struct controls *controls = NULL;
	bool measures = false;
	int failed = 0;
	struct cpu_load before, after;

	if (args->quick && args->values[OPT_FULL])
		cli_usage_error(args, "--quick and --full are two different profiles; choose one");
	if (args->values[OPT_SLURM]) {
		char **sbatch = NULL, *words;
		size_t nsbatch;
		int rc;

		if (args->values[OPT_SBATCH] && !(sbatch = words_split(args->values[OPT_SBATCH], &nsbatch, &err)))
			cli_usage_error(args, "--sbatch: %s", err.msg);
		words = suite_options(args);
		rc = run_slurm_submit(args, &(struct run_slurm_options){ args->values[OPT_NODES], args->values[OPT_PARTITION],
									args->values[OPT_TIME], args->values[OPT_ACCOUNT],
									sbatch, words });
		words_free(sbatch);
		free(words);
		return rc;
	}
	cli_choices(args, OPT_ONLY, only);
	if (!cli_given(args, OPT_SKIP))
		memset(skip, 0, sizeof(skip));
	else
		cli_choices(args, OPT_SKIP, skip);
	for (size_t i = 0; i < NSTAGES; i++) {
		char *list = (chosen[i] = only[i] && !skip[i]) ? stage_list : skipped_list;

		count += chosen[i];
		snprintf(list + strlen(list), sizeof(stage_list) - strlen(list), "%s%s", *list ? "," : "", stage_names[i]);
	}
	if (counters_open(&s.counters, args->values[OPT_EVENTS], &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	t = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	if (!t)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	s.topo = t;
	s.counts = bench_counters_table();
	s.run = cli_open_rundir(args, t, &s.clock);
	rundir_set(s.run, "profile", profile_names[profile]);
	rundir_set(s.run, "stages", stage_list);
	rundir_set(s.run, "stages_skipped", skipped_list);
	plan_note(t, chosen, count, s.run);
	for (size_t i = 0; i < NSTAGES; i++)
		measures |= chosen[i] && stages[i].bench;
	/* The machine's state, before and after each benchmark: what compare
	 * tells a machine that changed from a benchmark that did by. */
	if (measures)
		controls = cli_measure_controls(t, s.run, NULL, NULL);

	start = timer_now_ns();
	for (size_t i = 0; i < STAGE_REPORT && !interrupt_requested(); i++) {
		if (!chosen[i])
			continue;
		/* Removed under the run (by a user, a cleanup job): nothing more
		 * can be kept, so nothing more is measured. */
		if (!path_is_directory(rundir_path(s.run))) {
			progress_done();
			ml_warn("%s: the run directory was removed during the run: stopped before %s",
				rundir_path(s.run), stage_names[i]);
			failed = 1;
			break;
		}
		stage_start = timer_now_ns();
		show_stage(++index, count, stage_names[i], (double)(stage_start - start) / 1e9);
		cpu_load_read(&before);
		if (stages[i].run(&s, &stages[i], &err) < 0 && !interrupt_requested()) {
			progress_done();
			ml_warn("stage %s failed: %s", stage_names[i], err.msg);
			rundir_unavailable(s.run, stage_names[i], err.msg);
			failed = 1;
		}
		cpu_load_read(&after);
		rundir_add_steal(s.run, stage_names[i], cpu_load_steal_share(&before, &after),
				 cpu_load_stolen_seconds(&before, &after));
		if (controls && stages[i].bench && !interrupt_requested())
			cli_measure_controls(t, s.run, controls, stage_names[i]);
		/* What the stage recorded survives a kill of a later one. */
		if (rundir_checkpoint(s.run, &err) < 0)
			ml_warn("%s", err.msg);
		if (stages[i].bench)
			save_pyramid(s.run);
		record_stage_seconds(s.run, seconds, sizeof(seconds), stage_names[i], stage_start);
	}
	progress_set_prefix(NULL);
	progress_done();
	if (controls && controls_save(controls, s.run, &err) < 0) {
		ml_warn("%s", err.msg);
		failed = 1;
	}
	controls_free(controls);
	/* After the controls are saved: the self-checks read them. */
	cli_record_self_checks(s.run, args->quiet);
	if (bench_counters_save(s.run, &s.counters, s.counts, &err) < 0) {
		ml_warn("%s", err.msg);
		failed = 1;
	}
	counters_close(&s.counters);
	table_free(s.counts);
	/* The report reads what was saved above, and is told how the run ends:
	 * meta.json says "running" until rundir_finish. */
	stage_start = timer_now_ns();
	if (chosen[STAGE_REPORT] && !interrupt_requested() && path_is_directory(rundir_path(s.run))) {
		if (suite_report_stage(&s, failed, &err) < 0 && !interrupt_requested()) {
			ml_warn("stage report failed: %s", err.msg);
			rundir_unavailable(s.run, "report", err.msg);
			failed = 1;
		}
		record_stage_seconds(s.run, seconds, sizeof(seconds), stage_names[STAGE_REPORT], stage_start);
	}
	printf("%s\n", rundir_path(s.run));
	if (rundir_finish(s.run, failed ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		failed = 1;
	}
	topo_free(t);
	return failed ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_run = {
	.name = "run",
	.summary = "run the whole suite into one run directory: benchmarks, simulations, figures, report",
	.max_operands = 0,
	.description =
		"Runs every stage of the suite on this machine and writes the results into\n"
		"one run directory (a new one under results/ unless -o is given), then\n"
		"prints its path. Stages: topo, latency, bandwidth, falseshare, c2c,\n"
		"contention, states, storage, timeshare, sim, plot, report. Profiles:\n"
		"--quick (a smoke test, under a minute), the default (a few minutes), --full\n"
		"(more repetitions, for lab reports). Ctrl-C stops the run, keeps what completed and marks it\n"
		"interrupted. With --slurm, the suite runs once on each node given (a job\n"
		"per node, the node to itself) into -o DIR/<hostname>, and a last job\n"
		"writes 'mesilab fleet DIR' when they have all ended.\n",
	.common = CLI_OUTPUT | CLI_QUICK | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_suite,
};
