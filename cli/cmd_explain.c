/* 'mesilab explain': a traced program's costs under each protocol, by
 * code line and by data object, and its false sharing in words, with what
 * padding the falsely shared objects apart would save, computed by
 * replaying the trace with them on lines of their own. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "commands.h"
#include "escape.h"
#include "explain_replay.h"
#include "explain_report.h"
#include "progress.h"
#include "replay.h"
#include "rundir.h"
#include "sim_machine.h"
#include "table.h"
#include "topo.h"
#include "trace_reader.h"
#include "trace_symbols.h"
#include "xalloc.h"

static const char *const order_names[] = { "timed", "synced", "file" };

enum { OPT_PROTOCOL, OPT_ORDER, OPT_MACHINE, OPT_TOP, OPT_NO_LATENT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_PROTOCOL] = { .name = "protocol", .short_name = 'p', .arg = "LIST", .def = "msi,mesi",
			   .help = "protocols, comma-separated, or all" },
	[OPT_ORDER] = { .name = "order", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(order_names),
			.help = "replay order: timed, synced or file (default: the trace's, as sim; timed where the traced run's threads took turns)" },
	[OPT_MACHINE] = { .name = "machine", .arg = "RUN",
			  .help = "the host the run directory RUN measured: its caches, lines and latencies (as sim --machine)" },
	[OPT_TOP] = { .name = "top", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "10",
		      .help = "rows of each table on the terminal (the CSVs have all)" },
	[OPT_NO_LATENT] = { .name = "no-latent",
			    .help = "no replays with 32- and 128-byte lines and the data moved half a line (latent false sharing)" },
};

static void warn_symbols(const char *msg)
{
	char *safe = escape_terminal_new(msg);

	ml_warn("%s", safe);
	free(safe);
}

/* PATH's threads' turns in its own order (the traced run's); -1 with ERR. */
static int thread_turns(const char *path, struct explain_turns *t, struct ml_error *err)
{
	struct trace_reader *r = trace_reader_open(path, err);
	const struct trace_record *recs;
	ssize_t n;

	*t = (struct explain_turns)EXPLAIN_TURNS_INIT;
	if (!r)
		return -1;
	while ((n = trace_reader_batch(r, &recs, err)) > 0)
		explain_turns_add(t, recs, (size_t)n);
	explain_turns_end(t);
	trace_reader_close(r);
	return n < 0 ? -1 : 0;
}

static int run_explain(const struct cli_args *args)
{
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	struct explain ex = { 0 };
	struct explain_replay main_replay;
	struct sim_machine model, *machine = NULL;
	struct sim_config cfg;
	struct ml_error err;
	struct trace_reader *r;
	struct topo *host;
	struct rundir *run;
	char bad[64], names[256];
	int n, rc;

	protocol_names(names, sizeof(names));
	n = protocol_parse_list(cli_text(args, OPT_PROTOCOL), chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	if (n < 0)
		cli_usage_error(args, "unknown protocol '%s' (expected %s or all)", bad, names);
	if (cli_text(args, OPT_MACHINE)) {
		machine = &model;
		if (sim_machine_read(machine, cli_text(args, OPT_MACHINE), cli_text(args, OPT_MACHINE), &err) < 0)
			ml_die(ML_EXIT_USAGE, "--machine: %s", err.msg);
	}
	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!trace_reader_header(r)->locations)
		ml_die(ML_EXIT_USAGE, "%s has no code locations: explain needs a program's trace made by mesilab-cc",
		       trace_reader_name(r));
	if (!trace_reader_locations(r))
		ml_die(ML_EXIT_USAGE, "%s: its code locations follow the records: give a file, not a pipe",
		       trace_reader_name(r));
	if (trace_reader_header(r)->threads > SIM_MAX_CORES)
		ml_die(ML_EXIT_USAGE, "%s has %u threads; the simulator models at most %d cores",
		       trace_reader_name(r), trace_reader_header(r)->threads, SIM_MAX_CORES);
	sim_config_defaults(&cfg);
	/* A machine's lines are its own, whatever the tracing machine's. */
	if (machine)
		sim_machine_apply(machine, &cfg);
	else if (sim_line_of_trace(trace_reader_header(r)))
		cfg.l1.line = sim_line_of_trace(trace_reader_header(r));
	cfg.order = sim_order_of_trace(trace_reader_header(r));
	if (thread_turns(args->operands[0], &ex.turns, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (cli_given(args, OPT_ORDER)) {
		sim_order_parse(order_names[cli_choice(args, OPT_ORDER)], &cfg.order);
	} else if (cfg.order == SIM_ORDER_SYNCED && trace_reader_header(r)->threads > 1 &&
		   explain_turns_apart(&ex.turns)) {
		/* A run whose threads took turns (a busy machine, one PU) kept
		 * them apart: in its order they share next to nothing, and
		 * false sharing the program has would go unseen. */
		cfg.order = SIM_ORDER_TIMED;
		ex.timed_for_apart = true;
	}
	cfg.cores = trace_reader_header(r)->threads;
	cfg.classify_causes = true;
	if (args->seed_given)
		cfg.seed = args->seed;
	if (machine) {
		machine->cores_source = "the trace's threads, one core each";
		if (sim_config_check(&cfg, &err) < 0)
			ml_die(ML_EXIT_USAGE, "--machine %s: %s", machine->name, err.msg);
		if (machine->model.pus && cfg.cores > machine->model.pus)
			ml_warn("%s: %u cores simulated with the caches and latencies of %s, which used %u PU%s",
				trace_reader_name(r), cfg.cores, machine->name, machine->model.pus,
				machine->model.pus == 1 ? "" : "s");
	}

	host = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	run = cli_open_rundir(args, host, NULL);
	ex.records_at = trace_reader_offset(r);
	if (explain_replay_run(&(struct explain_source){ r, ex.records_at, r, 0 }, &cfg, chosen, (unsigned)n,
			       &main_replay, &err) < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	ex.s = main_replay.s;
	ex.a = main_replay.a;
	ex.accesses = main_replay.accesses;
	ex.trace = r;
	ex.path = args->operands[0];
	ex.cfg = &cfg;
	ex.protocols = chosen;
	ex.nprotocols = (unsigned)n;
	ex.top = (unsigned)cli_uint(args, OPT_TOP);
	ex.latent = !cli_given(args, OPT_NO_LATENT);
	ex.sym = trace_symbols_new(trace_reader_locations(r), args->quiet ? NULL : warn_symbols);
	sim_order_describe(ex.s, trace_reader_header(r), cli_given(args, OPT_ORDER), ex.accesses, ex.order,
			   sizeof(ex.order));
	ex.machine = machine;
	rc = explain_report(&ex, run, &err);
	if (rc == 0 && machine)
		rc = sim_machine_save(machine, &cfg, run, &err);
	if (rc < 0)
		ml_warn("%s", err.msg);
	if (!args->quiet)
		fprintf(stderr, "results in %s\n", rundir_path(run));
	if (rundir_finish(run, rc ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		rc = -1;
	}
	trace_symbols_free(ex.sym);
	explain_replay_free(&main_replay);
	topo_free(host);
	trace_reader_close(r);
	return rc < 0 ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_explain = {
	.name = "explain",
	.summary = "a traced program's misses by code line and data object, and its false sharing",
	.operands = "TRACE",
	.min_operands = 1,
	.max_operands = 1,
	.description =
		"Replays TRACE, a program's trace made with mesilab-cc, under each protocol\n"
		"as sim does, and attributes every miss (cold, capacity, conflict, true and\n"
		"false sharing), invalidation sent and cache-to-cache transfer to the code\n"
		"line that made the access and to the data object it touched (a global or\n"
		"static variable and, with -g, the struct member), and every invalidation\n"
		"received to the access that lost the copy. Prints the top lines and\n"
		"objects; for each falsely shared cache line, which threads touched which\n"
		"bytes, reading or writing, at which lines, the fix (padding, or each\n"
		"thread's data on lines of its own) and what it saves, computed by\n"
		"replaying the trace with the data so moved. Then latent false sharing:\n"
		"the lines that would share falsely with 32- or 128-byte lines, or with\n"
		"the data half a line further (a replay each; --no-latent: none).\n"
		"--machine RUN models the host a run directory measured, as sim does.\n"
		"Writes explain-lines.csv, explain-objects.csv, explain-falseshare.csv\n"
		"and explain-latent.csv (whether each latent replay was made), and with\n"
		"--machine sim-machine.csv, into the run directory.\n",
	.common = CLI_OUTPUT | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_explain,
};
