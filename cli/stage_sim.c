/* The suite's simulation stage: the traces of the coherence kernels, made
 * with the same sources as the native runs, replayed under every protocol. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "interrupt.h"
#include "memory_avail.h"
#include "progress.h"
#include "protocol.h"
#include "replay.h"
#include "report.h"
#include "sim_machine.h"
#include "suite.h"
#include "trace_reader.h"
#include "units.h"
#include "workload.h"
#include "xalloc.h"

/* The suite's settings of a workload, over the profile's defaults: two
 * threads, their counters 8 bytes apart (one line) or 64 (a line each),
 * both writing or thread 0 writing and thread 1 reading (read-mostly).
 * c2c's ping-pong and the locks are not traced: see stage_sim_driven.c. */
static void falseshare_8(void *config)
{
	struct falseshare_workload *c = config;

	c->threads = 2;
	c->distance = 8;
}

static void falseshare_64(void *config)
{
	struct falseshare_workload *c = config;

	c->threads = 2;
	c->distance = 64;
}

static void falseshare_readmostly_8(void *config)
{
	falseshare_8(config);
	((struct falseshare_workload *)config)->read_mostly = true;
}

static void falseshare_readmostly_64(void *config)
{
	falseshare_64(config);
	((struct falseshare_workload *)config)->read_mostly = true;
}

/* A workload of the suite: a kernel's trace, set as the suite sets it.
 * Each trace is replayed in the order its header asks for (lock-step
 * traces hold their own interleaving, the others are per-core streams). */
static const struct suite_workload {
	const char *name;
	const struct workload *workload;
	void (*set)(void *config); /* NULL: the profile's defaults */
	const char *what;
} suite_workloads[] = {
	{ "falseshare-8", &workload_falseshare, falseshare_8, "two threads incrementing counters 8 bytes apart (one line)" },
	{ "falseshare-64", &workload_falseshare, falseshare_64, "the same counters 64 bytes apart (a line each)" },
	{ "falseshare-readmostly-8", &workload_falseshare, falseshare_readmostly_8,
	  "thread 0 incrementing its counter, thread 1 reading its own 8 bytes away (one line)" },
	{ "falseshare-readmostly-64", &workload_falseshare, falseshare_readmostly_64,
	  "the same counters 64 bytes apart (a line each)" },
	{ "states", &workload_states, NULL,
	  "lines left M, E, S or I by one thread, then loaded, stored, CASed, added, swapped by another" },
};

/* Writes the workload's trace to PATH, as the suite sets it; COMMAND: the
 * trace command it stands for. */
static int generate(struct suite *s, const struct suite_workload *sw, const char *path, char *command, size_t len,
		    struct ml_error *err)
{
	const struct workload *w = sw->workload;
	enum cli_profile profile = s->args->quick ? CLI_PROFILE_QUICK : CLI_PROFILE_DEFAULT;
	void *config = xcalloc(1, w->config_size);
	struct trace_header h = { .threads = 1, .gap_unit = TRACE_GAP_CYCLES, .line_size = 64 };
	char words[128];
	int n;

	workload_configure(w, profile, NULL, config);
	if (sw->set)
		sw->set(config);
	cli_describe(w->options, w->noptions, profile, config, words, sizeof(words));
	snprintf(command, len, "mesilab trace %s%s%s", w->name, words, s->args->quick ? " --quick" : "");
	snprintf(h.generator, sizeof(h.generator), "mesilab trace %s%s (the %s workload of mesilab run)", w->name,
		 s->args->quick ? " --quick" : "", sw->name);
	n = w->generate(config, s->args->seed_given ? &s->args->seed : NULL, &h, path, err);
	free(config);
	return n < 0 ? -1 : 0;
}

/* Replays the trace at PATH on the machine BASE under the N PROTOCOLS: a
 * simulation for the caller to read and free, NULL with ERR; *ORDER: the
 * order it was replayed in. */
static struct sim *replay(const char *path, const struct sim_config *base, const struct protocol *const *protocols,
			  unsigned n, enum sim_order *order, struct ml_error *err)
{
	struct trace_reader *r = trace_reader_open(path, err);
	struct sim_config cfg = *base;
	struct sim *sim;

	if (!r)
		return NULL;
	cfg.cores = trace_reader_header(r)->threads;
	cfg.order = *order = sim_order_of_trace(trace_reader_header(r));
	sim = sim_new(&cfg, protocols, n);
	if (sim_replay(sim, r, err) == UINT64_MAX) {
		sim_free(sim);
		sim = NULL;
	}
	trace_reader_close(r);
	return sim;
}

/* Writes the workload's trace to PATH, replays it into TABLE on the
 * machine BASE under every protocol; *ORDER: the order it was replayed
 * in; COMMAND: the trace command it stands for. */
static int simulate(struct suite *s, const struct suite_workload *sw, const struct sim_config *base, const char *path,
		    struct table *table, enum sim_order *order, char *command, size_t len, struct ml_error *err)
{
	const struct protocol *protocols[SIM_MAX_PROTOCOLS];
	int n = protocol_parse_list(SIM_MACHINE_PROTOCOLS, protocols, SIM_MAX_PROTOCOLS, NULL, 0);
	/* With lines in flight each protocol replays on its own: replayed
	 * together, the first protocol's lines in flight would order them all
	 * (a false-sharing twin's slowdown under one protocol moved twofold
	 * with the protocol listed first). */
	unsigned each = base->in_flight ? 1 : (unsigned)n;
	struct sim *sim;

	if (generate(s, sw, path, command, len, err) < 0)
		return -1;
	for (int k = 0; k < n; k += (int)each) {
		if (!(sim = replay(path, base, protocols + k, each, order, err)))
			return -1;
		sim_add_workload_rows(table, sim, sw->name);
		sim_free(sim);
	}
	return 0;
}

/* A last level too large for this machine's memory under every protocol
 * (a machine of a gigabyte of cache, a host with little memory) is left
 * out, said, rather than left to the out-of-memory killer. */
static void too_big(struct sim_machine *machine, struct sim_config *cfg)
{
	const struct protocol *protocols[SIM_MAX_PROTOCOLS];
	struct sim_config two = *cfg;
	const char *why;
	char need_text[32], available_text[32];
	uint64_t need, available = memory_available(&why);
	int n = protocol_parse_list(SIM_MACHINE_PROTOCOLS, protocols, SIM_MAX_PROTOCOLS, NULL, 0);

	two.cores = 2; /* the suite's workloads: two threads */
	need = sim_memory_estimate(&two, (unsigned)n);
	if (available == UINT64_MAX || need <= available / 2 || !cfg->llc.size)
		return;
	units_format_size(need, need_text, sizeof(need_text));
	units_format_size(available, available_text, sizeof(available_text));
	cfg->llc.size = 0;
	machine->model.part[MACHINE_LLC].from_run = false;
	snprintf(machine->model.part[MACHINE_LLC].source, sizeof(machine->model.part[MACHINE_LLC].source),
		 "default: the run's %s would need about %s of memory under every protocol, over half the %s available (%s)",
		 machine->model.cache_name[MACHINE_LLC], need_text, available_text, why);
}

/* The host's model from what the run measured before this stage (its
 * topology, latency, c2c and states files): saved as sim-machine.csv; the
 * parts the run lacks (benchmarks skipped) keep the defaults, said there. */
static int host_machine(struct suite *s, struct sim_config *cfg, struct ml_error *err)
{
	struct sim_machine machine;

	sim_config_defaults(cfg);
	if (sim_machine_read(&machine, rundir_path(s->run), "this run", err) < 0)
		return -1;
	sim_machine_apply(&machine, cfg);
	if (sim_config_check(cfg, err) < 0)
		return -1;
	too_big(&machine, cfg);
	cfg->spread = machine.model.spread;
	machine.spread_applied = true;
	machine.cores_source = "each workload's threads, one core each";
	cfg->cores = 0;
	return sim_machine_save(&machine, cfg, s->run, err);
}

int suite_sim_stage(struct suite *s, struct ml_error *err)
{
	struct table *t = sim_workloads_table();
	struct sim_config base;
	int rc = host_machine(s, &base, err);

	for (size_t i = 0; i < sizeof(suite_workloads) / sizeof(suite_workloads[0]) && rc == 0; i++) {
		const struct suite_workload *sw = &suite_workloads[i];
		char *path = rundir_file(s->run, ".sim.trace"), key[64], command[256];
		enum sim_order order = SIM_ORDER_TIMED;

		if (interrupt_requested())
			break;
		progress_update("sim: %s under every protocol", sw->name);
		rc = simulate(s, sw, &base, path, t, &order, command, sizeof(command), err);
		snprintf(key, sizeof(key), "sim.workload.%s", sw->name);
		if (rc == 0)
			rundir_setf(s->run, key, "%s: %s, replayed in %s order", sw->what, command, sim_order_names[order]);
		unlink(path);
		free(path);
	}
	if (rc == 0 && !interrupt_requested())
		rc = suite_sim_driven(s, &base, t, err);
	progress_done();
	if (rc == 0 && table_rows(t))
		rc = rundir_save_table(s->run, "sim-workloads.csv", t, err);
	table_free(t);
	return rc;
}
