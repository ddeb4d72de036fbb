#include <config.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "csv_read.h"
#include "json_read.h"
#include "machine_model.h"
#include "model_error.h"
#include "run_meta.h"
#include "self_check.h"
#include "stats.h"
#include "xalloc.h"

/* More protocols than any registry holds: a file with more is not one
 * mesilab wrote. */
#define MAX_PROTOCOLS MODEL_ERROR_MAX_PROTOCOLS

enum kind { CALIBRATED, PREDICTED };
static const char *const kind_names[] = { "calibrated", "predicted" };
/* Calibrated figures are the model's own inputs, read back through it: a
 * tenth off is a fault of its construction. Predicted ones carry every
 * mechanism the model leaves out: a quarter off is the bar. */
static const unsigned kind_target[] = { 10, 25 };

/* What a run holds, each file NULL when it has none. */
struct sources {
	const char *run;
	struct json_value *meta;
	struct csv_file *levels, *c2c, *states, *falseshare, *contention, *sim, *machine;
	struct csv_file *falseshare_samples, *contention_samples, *controls;
	const char *protocols[MAX_PROTOCOLS];
	size_t nprotocols;
	double ghz;
};

/* A figure with a simulated twin. MEASURED: its value in the run, NAN
 * when the run lacks it (no row). SIMULATED: its value under PROTOCOL, NAN
 * with WHY when the run has no twin of it. A, B: the figure's parameters
 * (a variant, a workload). OVER and UNDER: why the model is off, when it
 * gives more or less than the machine. */
struct twin {
	const char *benchmark, *figure, *unit;
	enum kind kind;
	double (*measured)(const struct sources *s, const struct twin *t);
	double (*simulated)(const struct sources *s, const struct twin *t, const char *protocol, char *why, size_t len);
	const char *a, *b;
	const char *over, *under;
	/* The measured figure of each repetition, into OUT (at most MAX);
	 * how many. NULL: its repetitions are not kept (a median over pairs
	 * or a level's plateau). */
	size_t (*repetitions)(const struct sources *s, const struct twin *t, double measured, double *out, size_t max);
	/* The figures behind a miss, before OVER or UNDER, into BUF (LEN):
	 * what the run measured that shows it. NULL: none. */
	void (*figures)(const struct sources *s, double measured, double judged, char *buf, size_t len);
};

/* More repetitions than any profile makes: the rest are not read. */
#define MAX_REPETITIONS 1024

/* The row of F whose columns NAMES hold VALUES (N of them), or -1. */
static long find_row(const struct csv_file *f, const char *const *names, const char *const *values, size_t n)
{
	for (size_t r = 0; f && r < csv_rows(f); r++) {
		size_t i = 0;

		while (i < n && strcmp(csv_cell_named(f, r, names[i]), values[i]) == 0)
			i++;
		if (i == n)
			return (long)r;
	}
	return -1;
}

/* The median of COLUMN over the rows of F whose NAME holds VALUE and NAME2
 * VALUE2, those the model takes (machine_model_row_in_pass(): between
 * cores and judged stable where there are any); NAN without one. Its
 * unstable flags were checked as it was read. */
static double median_of(const struct csv_file *f, const char *column, const char *name, const char *value,
			const char *name2, const char *value2)
{
	struct ml_error unused;
	double *v, m;
	size_t n = 0;
	struct stats st;

	if (!f)
		return NAN;
	v = xcalloc(csv_rows(f) + 1, sizeof(*v));
	for (size_t pass = 0; pass < MACHINE_ROW_PASSES && n == 0; pass++)
		for (size_t r = 0; r < csv_rows(f); r++)
			if (strcmp(csv_cell_named(f, r, name), value) == 0 && strcmp(csv_cell_named(f, r, name2), value2) == 0 &&
			    machine_model_row_in_pass(f, r, pass, &unused) == 1 && !isnan(csv_number_named(f, r, column)))
				v[n++] = csv_number_named(f, r, column);
	stats_compute(v, n, &st);
	m = st.median;
	free(v);
	return m;
}

/* --- measured --- */

/* c2c.csv: a store's transfer between different cores, as the model
 * takes it. */
static double measured_c2c(const struct sources *s, const struct twin *t)
{
	(void)t;
	return median_of(s->c2c, "latency_cycles", "variant", "store", "variant", "store");
}

/* states.csv: a load of a line another core left in state A. */
static double measured_state(const struct sources *s, const struct twin *t)
{
	return median_of(s->states, "latency_cycles", "state", t->a, "op", "load");
}

/* states.csv: a store to a line both cores share (SA). */
static double measured_upgrade(const struct sources *s, const struct twin *t)
{
	return median_of(s->states, "latency_cycles", "state", t->a, "op", "store");
}

/* falseshare.csv: two threads, counters 8 bytes apart. */
static double measured_falseshare(const struct sources *s, const struct twin *t)
{
	static const char *const names[] = { "variant", "threads", "distance_bytes" };
	const char *values[] = { t->a, "2", "8" };
	long r = find_row(s->falseshare, names, values, 3);

	return r < 0 ? NAN : csv_number_named(s->falseshare, (size_t)r, "slowdown");
}

static double measured_lock(const struct sources *s, const struct twin *t)
{
	static const char *const names[] = { "variant", "threads" };
	const char *values[] = { t->a, "2" };
	long r = find_row(s->contention, names, values, 2);

	return r < 0 ? NAN : csv_number_named(s->contention, (size_t)r, "ops_per_s");
}

/* The repetitions of a figure of one row: the samples rows with the
 * row's keys, each a share of the row's median NS_COLUMN; a figure that
 * falls as the time rises (a rate) with INVERSE. */
static size_t scaled_repetitions(const struct csv_file *f, const struct csv_file *samples, const char *const *names,
				 const char *const *values, size_t nkeys, const char *ns_column, bool inverse,
				 double measured, double *out, size_t max)
{
	long r = find_row(f, names, values, nkeys);
	double median = r < 0 ? NAN : csv_number_named(f, (size_t)r, ns_column);
	size_t n = 0;

	for (size_t i = 0; samples && median > 0 && i < csv_rows(samples) && n < max; i++) {
		size_t k = 0;
		double v = csv_number_named(samples, i, ns_column);

		while (k < nkeys && strcmp(csv_cell_named(samples, i, names[k]), values[k]) == 0)
			k++;
		if (k == nkeys && v > 0)
			out[n++] = inverse ? measured * median / v : measured * v / median;
	}
	return n;
}

static size_t falseshare_repetitions(const struct sources *s, const struct twin *t, double measured, double *out,
				     size_t max)
{
	static const char *const names[] = { "variant", "threads", "distance_bytes" };
	const char *values[] = { t->a, "2", "8" };

	return scaled_repetitions(s->falseshare, s->falseshare_samples, names, values, 3, "ns_per_op", false, measured,
				  out, max);
}

static size_t lock_repetitions(const struct sources *s, const struct twin *t, double measured, double *out,
			       size_t max)
{
	static const char *const names[] = { "variant", "threads" };
	const char *values[] = { t->a, "2" };

	return scaled_repetitions(s->contention, s->contention_samples, names, values, 2, "ns_per_op", true, measured,
				  out, max);
}

/* --- simulated --- */

/* A column of the workload's row under PROTOCOL, or NAN with WHY. */
static double workload_value(const struct sources *s, const char *workload, const char *protocol, const char *column,
			     char *why, size_t len)
{
	static const char *const names[] = { "workload", "protocol" };
	const char *values[] = { workload, protocol };
	long r = find_row(s->sim, names, values, 2);

	if (r < 0) {
		snprintf(why, len, "no twin: sim-workloads.csv has no workload %s", workload);
		return NAN;
	}
	return csv_number_named(s->sim, (size_t)r, column);
}

/* The operations the sim stage's workload performed (c2c's one-way
 * transfers, the locks taken), as meta.json says; NAN with WHY. */
static double workload_operations(const struct sources *s, const char *workload, char *why, size_t len)
{
	char key[96];
	double n;

	snprintf(key, sizeof(key), "sim.workload.%s.operations", workload);
	n = s->meta ? run_meta_setting_number(s->meta, key) : NAN;
	if (!(n > 0))
		snprintf(why, len, "meta.json has no setting %s (a simulation by an older mesilab)", key);
	return n > 0 ? n : NAN;
}

/* The row of the model's part in sim-machine.csv named PART (NULL: any)
 * whose source begins with the words SOURCE (NULL: any); -1 with WHY. */
static long machine_row(const struct sources *s, const char *part, const char *source, char *why, size_t len)
{
	if (!s->machine) {
		snprintf(why, len, "the run has no sim-machine.csv: its simulation did not model this host");
		return -1;
	}
	for (size_t r = 0; r < csv_rows(s->machine); r++) {
		const char *from = csv_cell_named(s->machine, r, "source");

		if (part && strcmp(csv_cell_named(s->machine, r, "part"), part) != 0)
			continue;
		if (source && (strncmp(from, source, strlen(source)) != 0 || from[strlen(source)] != ' '))
			continue;
		return (long)r;
	}
	snprintf(why, len, "no twin: no part of the model (sim-machine.csv) %s%s%s", part ? part : "",
		 part ? " " : "", source ? "comes from " : "");
	if (source)
		snprintf(why + strlen(why), len - strlen(why), "%s", source);
	return -1;
}

/* That part's value when it came from the run; NAN with WHY. */
static double machine_part(const struct sources *s, const char *part, const char *source, char *why, size_t len)
{
	long r = machine_row(s, part, source, why, len);

	if (r < 0)
		return NAN;
	if (strcmp(csv_cell_named(s->machine, (size_t)r, "from"), "run") != 0) {
		snprintf(why, len, "the model's %s is not the run's: %s", csv_cell_named(s->machine, (size_t)r, "part"),
			 csv_cell_named(s->machine, (size_t)r, "source"));
		return NAN;
	}
	return csv_number_named(s->machine, (size_t)r, "value");
}

/* One one-way transfer of the c2c twin. */
static double simulated_c2c(const struct sources *s, const struct twin *t, const char *protocol, char *why, size_t len)
{
	double cycles = workload_value(s, "c2c", protocol, "cycles", why, len);
	double n = isnan(cycles) ? NAN : workload_operations(s, "c2c", why, len);

	(void)t;
	return cycles / n;
}

/* What the model charges for the level B (levels.csv level N): the part
 * taken from it (every protocol alike). */
static double simulated_level(const struct sources *s, const struct twin *t, const char *protocol, char *why,
			      size_t len)
{
	(void)protocol;
	return machine_part(s, NULL, t->b, why, len);
}

/* What the model charges the states twin's access of a line in state A
 * another core left: the part B of the model (every protocol alike), a
 * load's transfer (c2c) or memory, a store's upgrade (bus). */
static double simulated_state(const struct sources *s, const struct twin *t, const char *protocol, char *why,
			      size_t len)
{
	(void)protocol;
	return machine_part(s, t->b, NULL, why, len);
}

/* The twin's cycles with counters 8 bytes apart over 64. */
static double simulated_falseshare(const struct sources *s, const struct twin *t, const char *protocol, char *why,
				   size_t len)
{
	char shared[64], padded[64];
	double a, b;

	snprintf(shared, sizeof(shared), "%s-8", t->b);
	snprintf(padded, sizeof(padded), "%s-64", t->b);
	a = workload_value(s, shared, protocol, "cycles", why, len);
	b = isnan(a) ? NAN : workload_value(s, padded, protocol, "cycles", why, len);
	return a / b;
}

/* The locks the twin took per second, its cycles at the run's clock. */
static double simulated_lock(const struct sources *s, const struct twin *t, const char *protocol, char *why,
			     size_t len)
{
	double cycles = workload_value(s, t->b, protocol, "cycles", why, len);
	double n = isnan(cycles) ? NAN : workload_operations(s, t->b, why, len);

	if (!isnan(n) && isnan(s->ghz)) {
		snprintf(why, len, "meta.json has no clock.core_ghz to turn cycles into seconds");
		return NAN;
	}
	return n / (cycles / (s->ghz * 1e9));
}

/* What the model of plain stores leaves out, now that it has a store
 * buffer (sim --store-buffer, on in the host's model): how many stores the
 * core combines while it owns the line. */
static const char store_buffer[] =
	"the model's store buffer joins a store only to its line's request still waiting and drains one request "
	"at a time, while the core combines more increments per transfer of the line; and how many join moves "
	"with how the two cores' stores fall in step, which the model's transfers, scattered only as much as "
	"c2c's repetitions (sim-machine.csv's spread), loosen less than the machine's scatter does. Under "
	"mesif-migratory a core's load takes the line whole, so the other core, whose stores had drained, waits "
	"for it back at its next load (with lines in flight, a hand-over); under mesif both keep a copy and go "
	"on, as the machine's cores do";

/* A lock's rate as locks in a hand-over's time (sim-machine.csv's
 * handover at the run's clock), the model's and the machine's: how many
 * times a holder takes the lock while the line could go once to the
 * other core. */
static void lock_figures(const struct sources *s, double measured, double judged, char *buf, size_t len)
{
	char why[320];
	long r = machine_row(s, "handover", NULL, why, sizeof(why));
	double cycles = r < 0 ? NAN : csv_number_named(s->machine, (size_t)r, "value");
	double seconds = cycles / (s->ghz * 1e9);

	if (cycles > 0 && seconds > 0)
		snprintf(buf, len, "the model takes %.1f locks in a hand-over's time (sim-machine.csv's handover, %.1f "
			 "cycles), the machine %.1f: ", judged * seconds, cycles, measured * seconds);
}

/* Why a lock's driven twin (see stage_sim_driven.c) takes more locks a
 * second than the machine: the test-and-set lock's, the ticket lock's. */
static const char tas_over[] =
	"the model's holder takes the lock again, its line still in its cache, more often than the machine's: a "
	"line that has just landed stays with its new owner for half a hand-over (the snoop's way to it, taken as "
	"half of the hand-over: no benchmark of the run measures it), in which the holder releases and takes the "
	"lock again at an uncontended lock's cost, and a test-and-set waiter that then finds it taken looks again "
	"only after a spin-wait hint of the run's clock.pause_ns";

static const char ticket_over[] =
	"a ticket lock hands its line over at every lock, and the model's in one hand-over, its new owner keeping "
	"the line for half a hand-over, time for the holder's accesses; the machine's takes longer a lock: the "
	"waiter's looks, and the holder's next ticket, an atomic on the lock's line, take the line back between "
	"the holder's accesses, each a transfer";

/* Why they take fewer. */
static const char lock_under[] =
	"the model charges every hand-over of the lock's line c2c's one-way time, and the holder's own look at "
	"a line the waiter took a transfer, overlapping nothing else: on the machine the waiter's look and the "
	"holder's release overlap";

/* Why a figure calibrated on the run's own measure is off: the model was
 * not built from it. */
#define NOT_FROM_THIS(file) \
	"the model's part is this figure, read back: it is off only where sim-machine.csv was not built from this " file

static const struct twin twins[] = {
	{ "c2c", "c2c store transfer", "cycles", CALIBRATED, measured_c2c, simulated_c2c, NULL, NULL,
	  "the model's hand-over (sim-machine.csv's handover) is c2c's one-way time, so that its twin, driven with "
	  "lines in flight, reproduces it where the protocol gives a line another core has written to its reader "
	  "whole (migratory sharing); a protocol that gives it Shared adds the store's upgrade (sim-machine.csv's "
	  "bus) to every hand-over, and a protocol judged so is not the machine's. Off too where sim-machine.csv "
	  "was not built from this c2c.csv",
	  "the model's hand-over (sim-machine.csv's handover) is c2c's one-way time, so that its twin reproduces it; "
	  "it is off only where the hand-over's half for the snoop lets the waiting core take the line before its "
	  "new owner's store, or where sim-machine.csv was not built from this c2c.csv", NULL, NULL },
	{ "states", "states load of a Modified line", "cycles", CALIBRATED, measured_state, simulated_state, "M", "c2c",
	  NOT_FROM_THIS("states.csv (its source says so: a load of a Modified line no slower than the core's own "
			"caches is taken as no transfer, and c2c's hand-over stands for it)"),
	  NOT_FROM_THIS("states.csv (its source says so: a load of a Modified line no slower than the core's own "
			"caches is taken as no transfer, and c2c's hand-over stands for it)"),
	  NULL, NULL },
	{ "states", "states load of an Invalid line", "cycles", CALIBRATED, measured_state, simulated_state, "I", "memory",
	  "the model's memory is the latency sweep's, from a chase that defeats the prefetchers; states' lines are "
	  "loaded in an order the adjacent-line prefetcher may follow",
	  "the model's memory is the latency sweep's, a line evicted by capacity; states loads lines just flushed "
	  "(clflush), which can cost more than lines evicted (the flush's own cost, which a trace cannot hold: the "
	  "twin's lines are fresh)", NULL, NULL },
	{ "states", "states store to a line shared with another core", "cycles", CALIBRATED, measured_upgrade,
	  simulated_state, "SA", "bus", NOT_FROM_THIS("states.csv (its source says why)"),
	  NOT_FROM_THIS("states.csv (its source says why)"), NULL, NULL },
	{ "falseshare", "falseshare slowdown 2 threads 8 B (plain)", "x", PREDICTED, measured_falseshare,
	  simulated_falseshare, "plain", "falseshare", store_buffer,
	  "the model has no memory-level parallelism lost to false sharing: it counts each transfer alone",
	  falseshare_repetitions, NULL },
	{ "falseshare", "falseshare slowdown 2 threads 8 B (read-mostly)", "x", PREDICTED, measured_falseshare,
	  simulated_falseshare, "readmostly", "falseshare-readmostly", store_buffer, store_buffer, falseshare_repetitions, NULL },
	{ "contention", "contention tas 2 threads", "ops/s", PREDICTED, measured_lock, simulated_lock, "tas",
	  "contention-tas",
	  tas_over, lock_under, lock_repetitions, lock_figures },
	{ "contention", "contention ticket 2 threads", "ops/s", PREDICTED, measured_lock, simulated_lock, "ticket",
	  "contention-ticket",
	  ticket_over, lock_under, lock_repetitions, lock_figures },
};

/* Why the model is off by ERROR on T: its own reason, unless the machine's
 * figure is one no model should meet (a slowdown under 1: sharing a line
 * cannot beat padding it, which the run's self-checks say too). */
static const char *why_off(const struct twin *t, double measured, double error)
{
	if (strcmp(t->unit, "x") == 0 && measured < 1)
		return "the measured slowdown is under 1, and sharing a line cannot beat padding it: the measurement, not "
		       "the model, is off (a busy machine; see the self-checks)";
	return error > 0 ? t->over : t->under;
}

/* --- the table --- */

/* The protocol closest to the hardware: x86 parts are MESIF-like (Intel's
 * Forward state supplies a clean shared line) or MOESI-like (AMD's Owned
 * state supplies a dirty one without writing it back), told by the CPU's
 * name; others, and a name that says neither, MESI.
 *
 * Intel's also give a line another core has written to its reader whole,
 * so that the reader's store needs no upgrade (migratory sharing, Cox and
 * Fowler, ISCA 1993): c2c's one-way time, a load then a store, is shorter
 * than states' load of a Modified line and upgrade of a shared one
 * together. mesif-migratory models it, and is judged; plain MESIF's
 * column beside it adds the upgrade to every hand-over. */
#define INTEL_WHY                                                                                   \
	"an Intel CPU: its caches forward clean shared lines (MESIF) and give a line another core has "     \
	"written to its reader whole (migratory sharing: c2c's hand-over, a load then a store, holds no "   \
	"upgrade), as mesif-migratory models"
/* Each vendor's protocols, the closest first: the first simulated is
 * judged. */
static const struct {
	const char *name, *const protocols[2], *why;
} vendors[] = {
	{ "Intel", { "mesif-migratory", "mesif" }, INTEL_WHY },
	{ "Xeon", { "mesif-migratory", "mesif" }, INTEL_WHY },
	{ "AMD", { "moesi" }, "an AMD CPU: its caches share dirty lines in the Owned state (MOESI)" },
	{ "EPYC", { "moesi" }, "an AMD CPU: its caches share dirty lines in the Owned state (MOESI)" },
	{ "Ryzen", { "moesi" }, "an AMD CPU: its caches share dirty lines in the Owned state (MOESI)" },
	{ "Turin", { "moesi" }, "an AMD Turin CPU: its caches share dirty lines in the Owned state (MOESI)" },
	{ "Genoa", { "moesi" }, "an AMD Genoa CPU: its caches share dirty lines in the Owned state (MOESI)" },
};

static bool simulated(const struct sources *s, const char *protocol)
{
	for (size_t i = 0; i < s->nprotocols; i++)
		if (strcmp(s->protocols[i], protocol) == 0)
			return true;
	return false;
}

static const char *closest_protocol(const struct sources *s, char *why, size_t len)
{
	const char *model = s->meta ? json_lookup_string(s->meta, "topology.cpu_model") : NULL;

	snprintf(why, len, "MESI: the CPU's name (%s) says neither Intel nor AMD", model ? model : "unknown");
	for (size_t i = 0; model && i < sizeof(vendors) / sizeof(vendors[0]); i++) {
		if (!strstr(model, vendors[i].name))
			continue;
		snprintf(why, len, "%s, by meta.json's cpu_model (%s)", vendors[i].why, model);
		for (size_t k = 0; k < 2 && vendors[i].protocols[k]; k++) {
			if (simulated(s, vendors[i].protocols[k]))
				return vendors[i].protocols[k];
			snprintf(why + strlen(why), len - strlen(why), "; %s not simulated", vendors[i].protocols[k]);
		}
		break;
	}
	if (strncmp(why, "MESI:", 5) != 0)
		snprintf(why + strlen(why), len - strlen(why), ", so MESI");
	return "mesi";
}

static void format_value(char *buf, size_t len, double v)
{
	if (isnan(v))
		buf[0] = '\0';
	else if (fabs(v) >= 1000) /* a rate: whole operations */
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

/* One row: the figure's twin under every protocol, judged on PROTOCOL. */
static void add_row(struct table *out, struct table *samples, const struct sources *s, const struct twin *t,
		    const char *figure, double measured, const char *protocol)
{
	double reps[MAX_REPETITIONS];
	size_t nreps;
	char why[320] = "", cell[32], other[320];
	double judged = NAN, error;
	unsigned target = kind_target[t->kind];

	table_add_row(out);
	table_set(out, ME_BENCHMARK, t->benchmark, NULL);
	table_set(out, ME_FIGURE, figure, NULL);
	table_set(out, ME_KIND, kind_names[t->kind], NULL);
	table_set(out, ME_UNIT, t->unit, NULL);
	format_value(cell, sizeof(cell), measured);
	table_set(out, ME_MEASURED, cell, NULL);
	table_set(out, ME_PROTOCOL, protocol, NULL);
	table_setf(out, ME_TARGET, "%u", target);
	for (size_t p = 0; p < s->nprotocols; p++) {
		double v = t->simulated(s, t, s->protocols[p], other, sizeof(other));

		format_value(cell, sizeof(cell), v);
		table_set(out, ME_NFIXED + p, cell, NULL);
		if (strcmp(s->protocols[p], protocol) == 0) {
			judged = v;
			if (isnan(v))
				snprintf(why, sizeof(why), "%s", other);
		}
	}
	/* Simulated on another machine than the host (the defaults): no
	 * figure of it is the model's error. */
	if (!s->machine)
		snprintf(why, sizeof(why), "the run has no sim-machine.csv: its simulation did not model this host");
	if (!s->machine || isnan(judged) || !(measured > 0) || !(judged > 0)) {
		if (!why[0])
			snprintf(why, sizeof(why), "%s", !(measured > 0) ? "the measured figure is not positive"
							      : "the simulated figure is not positive");
		table_set(out, ME_MET, "not-judged", NULL);
		table_set(out, ME_WHY, why, NULL);
		return;
	}
	error = (judged - measured) / measured * 100;
	format_value(cell, sizeof(cell), judged);
	table_set(out, ME_SIMULATED, cell, NULL);
	table_setf(out, ME_ERROR, "%.1f", error);
	table_setf(out, ME_FACTOR, "%.3f", fmax(judged / measured, measured / judged));
	table_set(out, ME_MET, fabs(error) <= target ? "yes" : "no", NULL);
	if (fabs(error) > target) {
		char figures[320] = "", moved[320] = "";
		struct transfer_range range;

		/* Figures of two cores measured apart, on a machine that
		 * changed between them: part of the miss may be the machine's. */
		if (strcmp(t->benchmark, "latency") != 0 && controls_transfer_varied(s->controls, &range))
			snprintf(moved, sizeof(moved),
				 "; also the run's transfer between two cores, measured at its start and after each benchmark "
				 "(controls.csv), went from %.1f ns (%s) to %.1f ns (%s): the machine changed under the run (its "
				 "PUs moved, or it was busy), and figures measured apart may disagree",
				 range.lo, range.lo_when, range.hi, range.hi_when);

		if (t->figures && strcmp(why_off(t, measured, error), error > 0 ? t->over : t->under) == 0)
			t->figures(s, measured, judged, figures, sizeof(figures));
		table_setf(out, ME_WHY, "%s%s%s", figures, why_off(t, measured, error), moved);
	}
	/* The error of each repetition: how far the model is, as the
	 * measure scatters, for compare to judge a change against. */
	nreps = t->repetitions ? t->repetitions(s, t, measured, reps, MAX_REPETITIONS) : 0;
	for (size_t i = 0; i < nreps; i++) {
		table_add_row(samples);
		table_set(samples, MS_BENCHMARK, t->benchmark, NULL);
		table_set(samples, MS_FIGURE, figure, NULL);
		table_setf(samples, MS_REP, "%zu", i);
		table_setf(samples, MS_FACTOR, "%.4f", fmax(judged / reps[i], reps[i] / judged));
	}
}

/* The levels: each level's latency against the part of the model taken
 * from it (sim-machine.csv's source names the level). The model keeps a
 * latency to a sixteenth of a cycle, so only a model built from another
 * levels.csv is off by more. */
static const char level_off[] =
	"the model's cycles differ from the level's by more than the sixteenth of a cycle it rounds to: sim-machine.csv "
	"was not built from this levels.csv";

static void level_rows(struct table *out, struct table *samples, const struct sources *s, const char *protocol)
{
	for (size_t r = 0; s->levels && r < csv_rows(s->levels); r++) {
		const char *name = csv_cell_named(s->levels, r, "level");
		char figure[64], source[64];
		const struct twin t = {
			"latency", figure, "cycles", CALIBRATED, NULL, simulated_level, NULL, source,
			level_off, level_off,
			NULL, NULL,
		};

		snprintf(figure, sizeof(figure), strcmp(name, "memory") == 0 ? "memory latency" : "level %s latency", name);
		snprintf(source, sizeof(source), "levels.csv level %s", name);
		add_row(out, samples, s, &t, figure, csv_number_named(s->levels, r, "latency_cycles"), protocol);
	}
}

/* The most any figure of the model's inputs can be (cycles of a whole
 * simulation, locks a second): beyond it a cell is no measure. */
#define MAX_FIGURE 1e18

/* Column C of F: numbers from 0 to MAX_FIGURE, or empty or nan (no
 * figure); 0, or -1 with ERR naming the file and line. */
static int require_figures(const struct csv_file *f, size_t c, struct ml_error *err)
{
	if (csv_require_numbers(f, c, err) < 0)
		return -1;
	for (size_t r = 0; r < csv_rows(f); r++) {
		double v = csv_number(f, r, c);

		if (!isnan(v) && !(v >= 0 && v <= MAX_FIGURE)) {
			ml_error_set(err, "%s:%zu: %s '%.40s' is out of range", csv_path(f), csv_line(f, r), csv_header(f, c),
				     csv_cell(f, r, c));
			return -1;
		}
	}
	return 0;
}

/* F's unstable column, where it has one: flags, as the model reads them. */
static int require_flags(const struct csv_file *f, struct ml_error *err)
{
	for (size_t r = 0; r < csv_rows(f); r++)
		if (machine_model_row_in_pass(f, r, 0, err) < 0)
			return -1;
	return 0;
}

/* Reads NAME of the run into *F (NULL when absent) and checks that its
 * columns NUMBERS (NULL-terminated) hold figures, and its unstable column
 * flags. */
static int read_file(const struct sources *s, const char *name, struct csv_file **f, const char *const *numbers,
		     struct ml_error *err)
{
	char *path = xasprintf("%s/%s", s->run, name);
	int rc = csv_read_optional(path, s->run, f, err);

	free(path);
	for (size_t i = 0; rc == 0 && *f && numbers[i]; i++) {
		int c = csv_column(*f, numbers[i]);

		if (c < 0) {
			ml_error_set(err, "%s:1: no column '%s'", csv_path(*f), numbers[i]);
			rc = -1;
		} else {
			rc = require_figures(*f, (size_t)c, err);
		}
	}
	if (rc == 0 && *f)
		rc = require_flags(*f, err);
	return rc;
}

/* sim-machine.csv's latencies are numbers, its caches SIZE:WAYS:LINE. */
static int check_machine(const struct csv_file *f, struct ml_error *err)
{
	static const char *const latencies[] = { "hit", "l2_hit", "llc_hit", "memory", "c2c", "bus" };

	for (size_t r = 0; f && r < csv_rows(f); r++)
		for (size_t i = 0; i < sizeof(latencies) / sizeof(latencies[0]); i++)
			if (strcmp(csv_cell_named(f, r, "part"), latencies[i]) == 0 &&
			    !(csv_number_named(f, r, "value") >= 0)) {
				ml_error_set(err, "%s:%zu: the latency '%s' is not a number of cycles", csv_path(f),
					     csv_line(f, r), csv_cell_named(f, r, "value"));
				return -1;
			}
	return 0;
}

/* The protocols of sim-workloads.csv, in their order of appearance. */
static int list_protocols(struct sources *s, struct ml_error *err)
{
	for (size_t r = 0; r < csv_rows(s->sim); r++) {
		const char *p = csv_cell_named(s->sim, r, "protocol");
		size_t i = 0;

		while (i < s->nprotocols && strcmp(s->protocols[i], p) != 0)
			i++;
		if (i < s->nprotocols)
			continue;
		if (!p[0] || s->nprotocols == MAX_PROTOCOLS) {
			ml_error_set(err, "%s:%zu: %s", csv_path(s->sim), csv_line(s->sim, r),
				     p[0] ? "more protocols than any simulation has" : "a row without a protocol");
			return -1;
		}
		s->protocols[s->nprotocols++] = p;
	}
	return 0;
}

static int read_sources(struct sources *s, struct ml_error *err)
{
	static const char *const none[] = { NULL };
	static const char *const levels[] = { "latency_cycles", NULL };
	static const char *const c2c[] = { "latency_cycles", NULL };
	static const char *const falseshare[] = { "slowdown", "ns_per_op", NULL };
	static const char *const contention[] = { "ops_per_s", "ns_per_op", NULL };
	static const char *const sim[] = { "cycles", NULL };
	static const char *const samples[] = { "ns_per_op", NULL };
	char *meta = xasprintf("%s/meta.json", s->run);
	const struct json_value *ghz;

	s->meta = json_parse_file(meta, s->run, err);
	free(meta);
	if (!s->meta)
		return -1;
	ghz = json_lookup(s->meta, "clock.core_ghz");
	s->ghz = ghz && ghz->type == JSON_NUMBER && ghz->number > 0.01 && ghz->number < 100 ? ghz->number : NAN;
	if (read_file(s, "sim-workloads.csv", &s->sim, sim, err) < 0 || !s->sim)
		return s->sim ? -1 : 0;
	if (read_file(s, "levels.csv", &s->levels, levels, err) < 0 || read_file(s, "c2c.csv", &s->c2c, c2c, err) < 0 ||
	    read_file(s, "states.csv", &s->states, c2c, err) < 0 ||
	    read_file(s, "falseshare.csv", &s->falseshare, falseshare, err) < 0 ||
	    read_file(s, "contention.csv", &s->contention, contention, err) < 0 ||
	    read_file(s, "falseshare-samples.csv", &s->falseshare_samples, samples, err) < 0 ||
	    read_file(s, "contention-samples.csv", &s->contention_samples, samples, err) < 0 ||
	    read_file(s, "controls.csv", &s->controls, none, err) < 0 ||
	    read_file(s, "sim-machine.csv", &s->machine, none, err) < 0 || check_machine(s->machine, err) < 0)
		return -1;
	return list_protocols(s, err);
}

static void free_sources(struct sources *s)
{
	json_value_free(s->meta);
	csv_free(s->levels);
	csv_free(s->c2c);
	csv_free(s->states);
	csv_free(s->falseshare);
	csv_free(s->contention);
	csv_free(s->sim);
	csv_free(s->machine);
	csv_free(s->falseshare_samples);
	csv_free(s->contention_samples);
	csv_free(s->controls);
}

static const struct table_column sample_columns[MS_NCOLUMNS] = {
	[MS_BENCHMARK] = { "benchmark", "benchmark", TABLE_LEFT },
	[MS_FIGURE] = { "figure", "figure", TABLE_LEFT },
	[MS_REP] = { "rep", "rep", TABLE_RIGHT },
	[MS_FACTOR] = { "error_factor", "off by", TABLE_RIGHT },
};

static const struct table_column fixed[ME_NFIXED] = {
	[ME_BENCHMARK] = { "benchmark", "benchmark", TABLE_LEFT },
	[ME_FIGURE] = { "figure", "figure", TABLE_LEFT },
	[ME_KIND] = { "kind", "kind", TABLE_LEFT },
	[ME_UNIT] = { "unit", "unit", TABLE_LEFT },
	[ME_MEASURED] = { "measured", "measured", TABLE_RIGHT },
	[ME_PROTOCOL] = { "protocol", "protocol", TABLE_LEFT },
	[ME_SIMULATED] = { "simulated", "simulated", TABLE_RIGHT },
	[ME_ERROR] = { "error_pct", "error %", TABLE_RIGHT },
	[ME_FACTOR] = { "error_factor", "off by", TABLE_RIGHT },
	[ME_TARGET] = { "target_pct", "target %", TABLE_RIGHT },
	[ME_MET] = { "met", "met", TABLE_LEFT },
	[ME_WHY] = { "why", "why", TABLE_LEFT },
};

int model_error_build(const char *run, struct model_error *m, struct ml_error *err)
{
	struct sources s = { .run = run };
	struct table_column columns[ME_NFIXED + MAX_PROTOCOLS];
	const char *protocol;

	memset(m, 0, sizeof(*m));
	if (read_sources(&s, err) < 0) {
		free_sources(&s);
		return -1;
	}
	if (!s.sim) {
		free_sources(&s);
		return 0;
	}
	memcpy(columns, fixed, sizeof(fixed));
	for (size_t p = 0; p < s.nprotocols; p++) {
		snprintf(m->names[p], sizeof(m->names[p]), "sim_%s", s.protocols[p]);
		snprintf(m->titles[p], sizeof(m->titles[p]), "%s", s.protocols[p]);
		columns[ME_NFIXED + p] = (struct table_column){ m->names[p], m->titles[p], TABLE_RIGHT };
	}
	m->table = table_new(columns, ME_NFIXED + s.nprotocols);
	protocol = closest_protocol(&s, m->protocol_why, sizeof(m->protocol_why));
	m->samples = table_new(sample_columns, MS_NCOLUMNS);
	level_rows(m->table, m->samples, &s, protocol);
	for (size_t i = 0; i < sizeof(twins) / sizeof(twins[0]); i++) {
		double measured = twins[i].measured(&s, &twins[i]);

		if (!isnan(measured)) /* a figure the run did not measure has no row */
			add_row(m->table, m->samples, &s, &twins[i], twins[i].figure, measured, protocol);
	}
	free_sources(&s);
	return 0;
}

/* T as the run's own file NAME (atomic_file_unlink_special: what the run
 * holds by that name is replaced, never written through). */
static int save_in_run(const char *run, const char *name, const struct table *t, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", run, name);
	int rc = atomic_file_unlink_special(path, err);

	if (rc == 0)
		rc = table_save_csv(t, path, err);
	free(path);
	return rc;
}

int model_error_save(const char *run, const struct model_error *m, struct ml_error *err)
{
	if (save_in_run(run, "model-error.csv", m->table, err) < 0)
		return -1;
	return save_in_run(run, "model-error-samples.csv", m->samples, err);
}

void model_error_free(struct model_error *m)
{
	table_free(m->table);
	table_free(m->samples);
	m->table = m->samples = NULL;
}
