/* The suite's simulation stage: the traces of the coherence kernels, made
 * with the same sources as the native runs, replayed under every protocol. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "interrupt.h"
#include "progress.h"
#include "protocol.h"
#include "replay.h"
#include "report.h"
#include "suite.h"
#include "trace_reader.h"
#include "workload.h"
#include "xalloc.h"

#define MAX_SETTINGS 4

/* A workload of the suite: the trace command it stands for. Each trace is
 * replayed in the order its header asks for (lock-step traces hold their
 * own interleaving, the others are per-core streams). */
static const struct suite_workload {
	const char *name;
	const char *workload;
	const char *settings[MAX_SETTINGS + 1]; /* "option=value" or "flag" */
	const char *what;
} suite_workloads[] = {
	{ "falseshare-8", "falseshare", { "threads=2", "distance=8" },
	  "two threads incrementing counters 8 bytes apart (one line)" },
	{ "falseshare-64", "falseshare", { "threads=2", "distance=64" },
	  "the same counters 64 bytes apart (a line each)" },
	{ "c2c", "c2c", { NULL }, "a line handed back and forth between two threads" },
	{ "states", "states", { NULL },
	  "lines left M, E, S or I by one thread, then loaded, stored, CASed, added, swapped by another" },
	{ "contention-tas", "contention", { "variant=tas", "threads=2" },
	  "two threads taking a test-and-test-and-set lock" },
	{ "contention-ticket", "contention", { "variant=ticket", "threads=2" },
	  "two threads taking a ticket lock" },
};

/* The workload's option values from the settings ("distance=8"). */
static const char **workload_values(const struct workload *w, const struct suite_workload *sw)
{
	const char **values = xcalloc(w->noptions + 1, sizeof(*values));

	for (size_t i = 0; sw->settings[i]; i++) {
		size_t len = strcspn(sw->settings[i], "=");

		for (size_t o = 0; o < w->noptions; o++)
			if (strlen(w->options[o].name) == len && strncmp(w->options[o].name, sw->settings[i], len) == 0)
				values[o] = sw->settings[i][len] ? sw->settings[i] + len + 1 : "";
	}
	return values;
}

/* Writes the workload's trace to PATH, replays it into TABLE; *ORDER:
 * the order it was replayed in. */
static int simulate(struct suite *s, const struct suite_workload *sw, const char *path,
		    struct table *table, enum sim_order *order, struct ml_error *err)
{
	const struct workload *w = workload_named(sw->workload);
	const struct protocol *protocols[SIM_MAX_PROTOCOLS];
	struct cli_args args = *s->args;
	struct trace_header h = { .threads = 1, .gap_unit = TRACE_GAP_CYCLES, .line_size = 64 };
	struct trace_reader *r;
	struct sim_config cfg;
	struct sim *sim;
	uint64_t done;
	int n;

	/* The workload reads its own options, by index. */
	args.options = w->options;
	args.values = workload_values(w, sw);
	snprintf(h.generator, sizeof(h.generator), "mesilab trace %s%s (the %s workload of mesilab run)",
		 sw->workload, s->args->quick ? " --quick" : "", sw->name);
	n = w->trace(&args, &h, path, err);
	free(args.values);
	if (n < 0)
		return -1;
	if (!(r = trace_reader_open(path, err)))
		return -1;
	sim_config_defaults(&cfg);
	cfg.cores = trace_reader_header(r)->threads;
	cfg.order = *order = sim_order_of_trace(trace_reader_header(r));
	n = protocol_parse_list("all", protocols, SIM_MAX_PROTOCOLS, NULL, 0);
	sim = sim_new(&cfg, protocols, (unsigned)n);
	done = sim_replay(sim, r, err);
	if (done != UINT64_MAX)
		sim_add_workload_rows(table, sim, sw->name);
	sim_free(sim);
	trace_reader_close(r);
	return done == UINT64_MAX ? -1 : 0;
}

int suite_sim_stage(struct suite *s, struct ml_error *err)
{
	struct table *t = sim_workloads_table();
	int rc = 0;

	for (size_t i = 0; i < sizeof(suite_workloads) / sizeof(suite_workloads[0]) && rc == 0; i++) {
		const struct suite_workload *sw = &suite_workloads[i];
		char *path = rundir_file(s->run, ".sim.trace"), key[64], settings[128] = "";
		enum sim_order order;

		if (interrupt_requested())
			break;
		progress_update("sim: %s under every protocol", sw->name);
		for (size_t k = 0; sw->settings[k]; k++)
			snprintf(settings + strlen(settings), sizeof(settings) - strlen(settings), " --%s",
				 sw->settings[k]);
		for (char *eq = strchr(settings, '='); eq; eq = strchr(eq, '='))
			*eq = ' ';
		rc = simulate(s, sw, path, t, &order, err);
		snprintf(key, sizeof(key), "sim.workload.%s", sw->name);
		if (rc == 0)
			rundir_setf(s->run, key, "%s: mesilab trace %s%s%s, replayed in %s order", sw->what,
				    sw->workload, settings, s->args->quick ? " --quick" : "", sim_order_names[order]);
		unlink(path);
		free(path);
	}
	progress_done();
	if (rc == 0 && table_rows(t))
		rc = rundir_save_table(s->run, "sim-workloads.csv", t, err);
	table_free(t);
	return rc;
}
