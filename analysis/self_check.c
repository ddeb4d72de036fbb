#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "self_check.h"
#include "stats.h"
#include "xalloc.h"

const char *const self_check_verdict_names[3] = { "agrees", "disagrees", "not-checked" };

/* The run's result tables a check may read; NULL where the run has none. */
struct run_results {
	struct csv_file *levels, *bandwidth, *c2c, *states, *topology, *controls;
};

static void say(struct self_check *c, enum self_check_verdict verdict, const char *fmt, ...) ML_PRINTF(3, 4);
static void say(struct self_check *c, enum self_check_verdict verdict, const char *fmt, ...)
{
	va_list ap;

	c->verdict = verdict;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

/* The row of levels.csv whose level is NAME, or -1. */
static long level_row(const struct csv_file *levels, const char *name)
{
	for (size_t i = 0; levels && i < csv_rows(levels); i++)
		if (strcmp(csv_cell_named(levels, i, "level"), name) == 0)
			return (long)i;
	return -1;
}

/* A hand-over of the ping-pong line is a load of the line the other core
 * left Modified, then a store that takes it back from the other core's
 * cache (an upgrade, or on some machines nothing more): the one-way time
 * lies between states' load of a Modified line and that load plus a
 * store to one, give or take TRANSFER_MARGIN for the two benchmarks'
 * different noise. */
#define TRANSFER_MARGIN 1.25

static bool same_pair(const struct csv_file *c2c, size_t i, const struct csv_file *states, size_t k)
{
	const char *a = csv_cell_named(c2c, i, "cpu_a"), *b = csv_cell_named(c2c, i, "cpu_b");
	const char *sa = csv_cell_named(states, k, "cpu_a"), *sb = csv_cell_named(states, k, "cpu_b");

	return (strcmp(a, sa) == 0 && strcmp(b, sb) == 0) || (strcmp(a, sb) == 0 && strcmp(b, sa) == 0);
}

/* States' row for OP on a Modified line between the PUs of c2c's row I,
 * or (not EXACT) between PUs of the same relation; -1 when there is none. */
static long modified_row(const struct csv_file *c2c, size_t i, const struct csv_file *states, const char *op,
			 bool exact)
{
	long match = -1;

	for (size_t k = 0; k < csv_rows(states); k++) {
		if (strcmp(csv_cell_named(states, k, "state"), "M") != 0 || strcmp(csv_cell_named(states, k, "op"), op) != 0)
			continue;
		if (same_pair(c2c, i, states, k))
			return (long)k;
		if (!exact && match < 0 &&
		    strcmp(csv_cell_named(c2c, i, "relation"), csv_cell_named(states, k, "relation")) == 0)
			match = (long)k;
	}
	return match;
}

/* A machine that moved its PUs apart or together during the run (a
 * hypervisor placing vCPUs on other dies) makes any two transfer figures
 * disagree: the run's transfer control, measured after each benchmark,
 * says whether it did. WHY gets the words. */
#define TRANSFER_MOVED 1.5
static bool moved_between_pus(const struct run_results *in, char *why, size_t len)
{
	double lo = INFINITY, hi = 0;
	long at_lo = -1, at_hi = -1;

	for (size_t r = 0; in->controls && r < csv_rows(in->controls); r++) {
		double v = csv_number_named(in->controls, r, "value");

		if (strcmp(csv_cell_named(in->controls, r, "control"), "transfer") != 0 || !(v > 0))
			continue;
		if (v < lo) {
			lo = v;
			at_lo = (long)r;
		}
		if (v > hi) {
			hi = v;
			at_hi = (long)r;
		}
	}
	if (at_lo < 0 || hi < lo * TRANSFER_MOVED)
		return false;
	snprintf(why, len,
		 "the machine moved its PUs during the run (transfer control %.1f ns %s, %.1f ns %s)",
		 hi, csv_cell_named(in->controls, (size_t)at_hi, "when"), lo, csv_cell_named(in->controls, (size_t)at_lo, "when"));
	return true;
}

static void check_c2c_vs_states(const struct run_results *in, struct self_check *c)
{
	char why[200];
	double worst = 0, transfer = 0, load = 0, store = 0;
	long worst_row = -1, worst_load = -1;

	if (!in->c2c || !in->states) {
		say(c, CHECK_NOT_CHECKED, "needs both c2c and states results");
		return;
	}
	/* The pairs states measured first: a hypervisor may give PUs of one
	 * relation in its topology very different distances (two vCPUs on
	 * one core's SMT siblings among others that are not), so the same
	 * relation is compared only when c2c has none of states' pairs. */
	for (int exact = 1; exact >= 0 && worst_row < 0; exact--) {
		for (size_t i = 0; i < csv_rows(in->c2c); i++) {
			long lr = modified_row(in->c2c, i, in->states, "load", exact);
			long sr = modified_row(in->c2c, i, in->states, "store", exact);
			double t, l, st, off;

			if (strcmp(csv_cell_named(in->c2c, i, "variant"), "store") != 0 || lr < 0 || sr < 0)
				continue;
			t = csv_number_named(in->c2c, i, "latency_ns");
			l = csv_number_named(in->states, (size_t)lr, "latency_ns");
			st = csv_number_named(in->states, (size_t)sr, "latency_ns");
			/* How far outside [load, load + store] the transfer lies, as a
			 * factor (1 inside). */
			off = t > l + st ? t / (l + st) : t < l ? l / t : 1;
			if (isfinite(off) && (worst_row < 0 || off > worst)) {
				worst = off;
				worst_row = (long)i;
				worst_load = lr;
				transfer = t;
				load = l;
				store = st;
			}
		}
	}
	if (worst_row < 0) {
		say(c, CHECK_NOT_CHECKED, "no store transfer of c2c has states' load and store of a Modified line beside it");
		return;
	}
	if (worst > TRANSFER_MARGIN && moved_between_pus(in, why, sizeof(why)))
		say(c, CHECK_DISAGREES,
		    "core-to-core transfer %s->%s %.1f ns, but a load of a line %s left Modified takes %.1f ns: %s",
		    csv_cell_named(in->c2c, (size_t)worst_row, "cpu_a"), csv_cell_named(in->c2c, (size_t)worst_row, "cpu_b"),
		    transfer, csv_cell_named(in->states, (size_t)worst_load, "cpu_b"), load, why);
	else if (worst <= TRANSFER_MARGIN)
		say(c, CHECK_AGREES,
		    "core-to-core transfer %s->%s %.1f ns lies between a load (%.1f ns) and a load and a store (%.1f ns) of a line %s left Modified",
		    csv_cell_named(in->c2c, (size_t)worst_row, "cpu_a"), csv_cell_named(in->c2c, (size_t)worst_row, "cpu_b"), transfer, load,
		    load + store, csv_cell_named(in->states, (size_t)worst_load, "cpu_b"));
	else
		say(c, CHECK_DISAGREES,
		    "core-to-core transfer %s->%s %.1f ns, but a load of a line %s left Modified takes %.1f ns and a load and a store %.1f ns: a hand-over is %s (%.2fx); one of them is not measuring the transfer",
		    csv_cell_named(in->c2c, (size_t)worst_row, "cpu_a"), csv_cell_named(in->c2c, (size_t)worst_row, "cpu_b"), transfer,
		    csv_cell_named(in->states, (size_t)worst_load, "cpu_b"), load, load + store,
		    transfer > load ? "at most the second" : "at least the first", worst);
}

/* Load-to-use latency of an L1 data cache: 3 to 6 cycles on the cores of
 * the last twenty years. Outside (with half a cycle of rounding) the
 * clock estimate or the L1 figure is wrong. */
#define L1_CYCLES_MIN 2.5
#define L1_CYCLES_MAX 6.5

static void check_l1_cycles(const struct run_results *in, struct self_check *c)
{
	long row = level_row(in->levels, "1");
	double cycles;

	if (row < 0) {
		say(c, CHECK_NOT_CHECKED, "needs the latency sweep's level 1");
		return;
	}
	cycles = csv_number_named(in->levels, (size_t)row, "latency_cycles");
	if (cycles < L1_CYCLES_MIN || cycles > L1_CYCLES_MAX)
		say(c, CHECK_DISAGREES,
		    "L1 latency %s ns is %.1f cycles of the measured clock, where L1 caches take 3 to 6: the clock estimate or the L1 figure is wrong",
		    csv_cell_named(in->levels, (size_t)row, "latency_ns"), cycles);
	else
		say(c, CHECK_AGREES, "L1 latency %s ns is %.1f cycles of the measured clock (L1 caches take 3 to 6)",
		    csv_cell_named(in->levels, (size_t)row, "latency_ns"), cycles);
}

/* Memory reached by the staircase's largest working sets and by a load of
 * a line flushed from every cache: both are a trip to DRAM, the first
 * with more page-table walks and fewer open DRAM rows. Beyond a factor of
 * 1.6 one of them is not a memory access. */
#define MEMORY_FACTOR 1.6

bool memory_latency_agrees(double ns, double states_ns)
{
	return ns > 0 && states_ns > 0 && ns <= states_ns * MEMORY_FACTOR && states_ns <= ns * MEMORY_FACTOR;
}

double states_memory_latency_ns(const struct csv_file *states)
{
	double *loads, median = NAN;
	size_t n = 0;
	struct stats st;

	if (!states)
		return NAN;
	loads = xcalloc(csv_rows(states) + 1, sizeof(*loads));
	for (size_t k = 0; k < csv_rows(states); k++)
		if (strcmp(csv_cell_named(states, k, "state"), "I") == 0 && strcmp(csv_cell_named(states, k, "op"), "load") == 0 &&
		    isfinite(csv_number_named(states, k, "latency_ns")))
			loads[n++] = csv_number_named(states, k, "latency_ns");
	if (n > 0) {
		stats_compute(loads, n, &st);
		median = st.median;
	}
	free(loads);
	return median;
}

static void check_memory_vs_states(const struct run_results *in, struct self_check *c)
{
	long row = level_row(in->levels, "memory");
	double memory, factor, states = states_memory_latency_ns(in->states);

	if (row < 0 || !in->states) {
		say(c, CHECK_NOT_CHECKED, "needs the latency sweep's memory level and states' loads of Invalid lines");
		return;
	}
	if (isnan(states)) {
		say(c, CHECK_NOT_CHECKED, "states measured no load of an Invalid line");
		return;
	}
	memory = csv_number_named(in->levels, (size_t)row, "latency_ns");
	factor = memory > states ? memory / states : states / memory;
	say(c, memory_latency_agrees(memory, states) ? CHECK_AGREES : CHECK_DISAGREES,
	    "memory latency %.1f ns from the sweep, %.1f ns from states' loads of Invalid lines (%.2fx)%s", memory,
	    states, factor, memory_latency_agrees(memory, states) ? "" : ": one of them is not a trip to memory");
}

/* A core keeps at most this many lines in flight (fill buffers and the
 * prefetchers' queues together; the widest cores have about 100). */
#define LINES_IN_FLIGHT_MAX 128

static double line_bytes(const struct run_results *in)
{
	double line = in->topology && csv_rows(in->topology) ? csv_number_named(in->topology, 0, "line_bytes") : NAN;

	return isfinite(line) && line > 0 ? line : 64;
}

/* The latencies around SIZE bytes per thread: *SLOW that of the first
 * level whose end lies beyond it, *FAST that of the level before (a
 * stream is served by a level past the edge a random chase sees: the
 * prefetchers and the chase's page walks move the edges apart). */
static void latencies_at(const struct csv_file *levels, double size, double *fast, double *slow)
{
	*fast = *slow = NAN;
	for (size_t i = 0; i < csv_rows(levels); i++) {
		double ends = csv_number_named(levels, i, "ends_bytes");

		if (strcmp(csv_cell_named(levels, i, "level"), "-") == 0)
			continue;
		*fast = isfinite(*slow) ? *slow : csv_number_named(levels, i, "latency_ns");
		*slow = csv_number_named(levels, i, "latency_ns");
		if (!isfinite(ends) || size <= ends)
			break;
	}
}

static void check_bandwidth_bound(const struct run_results *in, struct self_check *c)
{
	double line = line_bytes(in), most = 0, least = INFINITY;
	long over = -1, under = -1, checked = 0;

	if (!in->bandwidth || !in->levels) {
		say(c, CHECK_NOT_CHECKED, "needs bandwidth results and the latency sweep's levels");
		return;
	}
	/* A read streams at least a line per latency of its level (one at a
	 * time) and at most LINES_IN_FLIGHT_MAX lines per latency of the
	 * level, or the one before, per thread. */
	for (size_t i = 0; i < csv_rows(in->bandwidth); i++) {
		double gbs = csv_number_named(in->bandwidth, i, "bandwidth_gbs"), threads = csv_number_named(in->bandwidth, i, "threads");
		double fast, slow, in_flight_fast, in_flight_slow;

		latencies_at(in->levels, csv_number_named(in->bandwidth, i, "size_bytes"), &fast, &slow);
		if (strcmp(csv_cell_named(in->bandwidth, i, "op"), "read") != 0 || !isfinite(gbs) || !(fast > 0) ||
		    !(slow > 0) || !(threads > 0))
			continue;
		checked++;
		/* Lines per latency and thread: GB/s are bytes per ns. */
		in_flight_fast = gbs * fast / (threads * line);
		in_flight_slow = gbs * slow / (threads * line);
		if (in_flight_fast > most) {
			most = in_flight_fast;
			over = (long)i;
		}
		if (in_flight_slow < least) {
			least = in_flight_slow;
			under = (long)i;
		}
	}
	if (!checked) {
		say(c, CHECK_NOT_CHECKED, "no read bandwidth at a size the latency sweep covers");
		return;
	}
	if (most > LINES_IN_FLIGHT_MAX)
		say(c, CHECK_DISAGREES,
		    "read bandwidth %s GB/s at %s bytes per thread (%s threads) would need %.0f lines in flight per thread at its level's latency; no core keeps more than %d",
		    csv_cell_named(in->bandwidth, (size_t)over, "bandwidth_gbs"), csv_cell_named(in->bandwidth, (size_t)over, "size_bytes"),
		    csv_cell_named(in->bandwidth, (size_t)over, "threads"), most, LINES_IN_FLIGHT_MAX);
	else if (least < 1)
		say(c, CHECK_DISAGREES,
		    "read bandwidth %s GB/s at %s bytes per thread (%s threads) is less than one line at a time at its level's latency would give (%.2f lines in flight)",
		    csv_cell_named(in->bandwidth, (size_t)under, "bandwidth_gbs"), csv_cell_named(in->bandwidth, (size_t)under, "size_bytes"),
		    csv_cell_named(in->bandwidth, (size_t)under, "threads"), least);
	else
		say(c, CHECK_AGREES,
		    "every read bandwidth (%ld points) lies between one line at a time and %d in flight at its level's latency",
		    checked, LINES_IN_FLIGHT_MAX);
}

static void check_levels_vs_hwloc(const struct run_results *in, struct self_check *c)
{
	size_t compared = 0, coloured = 0;

	if (!in->levels) {
		say(c, CHECK_NOT_CHECKED, "needs the latency sweep's levels");
		return;
	}
	for (size_t i = 0; i < csv_rows(in->levels); i++) {
		const char *agrees = csv_cell_named(in->levels, i, "agrees");

		if (strcmp(agrees, "no") == 0) {
			if (strcmp(csv_cell_named(in->levels, i, "level"), "-") == 0)
				say(c, CHECK_DISAGREES, "hwloc's %s (%s) shows no level of its own in the latency curve",
				    csv_cell_named(in->levels, i, "hwloc_cache"), csv_cell_named(in->levels, i, "hwloc_size_bytes"));
			else
				say(c, CHECK_DISAGREES, "level %s ends near %s bytes, but hwloc says %s holds %s bytes",
				    csv_cell_named(in->levels, i, "level"), csv_cell_named(in->levels, i, "ends_bytes"),
				    csv_cell_named(in->levels, i, "hwloc_cache"), csv_cell_named(in->levels, i, "hwloc_size_bytes"));
			return;
		}
		compared += strcmp(agrees, "yes") == 0;
		coloured += strcmp(agrees, "page-colouring") == 0;
	}
	if (compared + coloured)
		say(c, CHECK_AGREES, "%zu detected level%s agree%s with hwloc's cache sizes%s", compared + coloured,
		    compared + coloured == 1 ? "" : "s", compared + coloured == 1 ? "s" : "",
		    coloured ? " (some short of it by page colouring with 4 KiB pages)" : "");
	else
		say(c, CHECK_NOT_CHECKED, "no detected level had a cache of hwloc to compare with");
}

static const struct {
	const char *name;
	void (*run)(const struct run_results *in, struct self_check *c);
} checks[] = {
	{ "c2c-vs-states-M", check_c2c_vs_states },
	{ "l1-cycles", check_l1_cycles },
	{ "memory-vs-states-I", check_memory_vs_states },
	{ "bandwidth-vs-latency", check_bandwidth_bound },
	{ "levels-vs-hwloc", check_levels_vs_hwloc },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

size_t self_checks_count(void)
{
	return NCHECKS;
}

static int load(const char *run, const char *name, struct csv_file **f, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", run, name);
	int rc = csv_read_optional(path, run, f, err);

	free(path);
	return rc;
}

int self_checks_run(const char *run, struct self_check *out, size_t max, struct ml_error *err)
{
	struct run_results in = { NULL, NULL, NULL, NULL, NULL, NULL };
	size_t n = 0;
	int rc = 0;

	if (load(run, "levels.csv", &in.levels, err) < 0 || load(run, "bandwidth.csv", &in.bandwidth, err) < 0 ||
	    load(run, "c2c.csv", &in.c2c, err) < 0 || load(run, "states.csv", &in.states, err) < 0 ||
	    load(run, "topology.csv", &in.topology, err) < 0 || load(run, "controls.csv", &in.controls, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < NCHECKS && n < max; i++, n++) {
		out[n].name = checks[i].name;
		checks[i].run(&in, &out[n]);
	}
	csv_free(in.levels);
	csv_free(in.bandwidth);
	csv_free(in.c2c);
	csv_free(in.states);
	csv_free(in.topology);
	csv_free(in.controls);
	return rc < 0 ? -1 : (int)n;
}
