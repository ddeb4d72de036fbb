#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "json_read.h"
#include "path.h"
#include "run_meta.h"
#include "self_check.h"
#include "stats.h"
#include "xalloc.h"

const char *const self_check_verdict_names[3] = { "agrees", "disagrees", "not-checked" };

/* The run's result tables a check may read, and its meta.json; NULL
 * where the run has none. */
struct run_results {
	struct csv_file *levels, *bandwidth, *c2c, *states, *topology, *controls, *latency, *falseshare, *contention;
	struct json_value *meta;
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
 * says whether it did. */
#define TRANSFER_MOVED 1.5
bool controls_transfer_varied(const struct csv_file *controls, struct transfer_range *range)
{
	long at_lo = -1, at_hi = -1;

	range->lo = INFINITY;
	range->hi = 0;
	for (size_t r = 0; controls && r < csv_rows(controls); r++) {
		double v = csv_number_named(controls, r, "value");

		if (strcmp(csv_cell_named(controls, r, "control"), "transfer") != 0 || !(v > 0))
			continue;
		if (v < range->lo) {
			range->lo = v;
			at_lo = (long)r;
		}
		if (v > range->hi) {
			range->hi = v;
			at_hi = (long)r;
		}
	}
	if (at_lo < 0 || range->hi < range->lo * TRANSFER_MOVED)
		return false;
	range->lo_when = csv_cell_named(controls, (size_t)at_lo, "when");
	range->hi_when = csv_cell_named(controls, (size_t)at_hi, "when");
	return true;
}

/* The self-check's words for it, into WHY: the transfer figures already
 * disagree, and the control says the machine changed. */
static bool moved_between_pus(const struct run_results *in, char *why, size_t len)
{
	struct transfer_range range;

	if (!controls_transfer_varied(in->controls, &range))
		return false;
	snprintf(why, len, "the machine moved its PUs during the run (transfer control %.1f ns %s, %.1f ns %s)", range.hi,
		 range.hi_when, range.lo, range.lo_when);
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

/* The checks below flag outcomes that physics rules out, each judged with
 * the figures' own spread so that noise never raises one. When one is
 * seen, the likely cause is usually a machine that was not the
 * benchmark's alone; these say what the run recorded about that. */

/* What the spin guard (bench/spin_guard.c) counts as a PU a benchmark did
 * not have to itself, and a hypervisor's share of the CPU time that slows
 * what runs beside it. */
#define PU_SHARE_OK 0.9
#define STEAL_OK 0.05

/* A benchmark's conditions in meta.json whose verdict is not "ok": those
 * of BENCH, or (OTHER) of any other benchmark; NULL when there are none. */
static const struct json_value *bad_conditions(const struct json_value *meta, const char *bench, bool other)
{
	const struct json_value *list = json_lookup(meta, "conditions");

	for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->count; i++) {
		const char *b = json_lookup_string(list->items[i], "benchmark");
		const char *v = json_lookup_string(list->items[i], "verdict");

		if (b && v && strcmp(v, "ok") != 0 && (strcmp(b, bench) == 0) != other)
			return list->items[i];
	}
	return NULL;
}

/* The hypervisor's share of the CPU time while STAGE ran; NAN unknown. */
static double stage_steal(const struct json_value *meta, const char *stage)
{
	const struct json_value *list = json_lookup(meta, "steal");

	for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->count; i++) {
		const struct json_value *share = json_lookup(list->items[i], "share");
		const char *s = json_lookup_string(list->items[i], "stage");

		if (s && strcmp(s, stage) == 0 && share && share->type == JSON_NUMBER)
			return share->number;
	}
	return NAN;
}

/* The cpu control measured right after BENCH: the least share of its
 * probe a thread on any usable PU ran; NAN when the run has none. */
static double cpu_after(const struct run_results *in, const char *bench)
{
	char when[48];

	snprintf(when, sizeof(when), "after-%s", bench);
	for (size_t r = 0; in->controls && r < csv_rows(in->controls); r++)
		if (strcmp(csv_cell_named(in->controls, r, "when"), when) == 0 &&
		    strcmp(csv_cell_named(in->controls, r, "control"), "cpu") == 0)
			return csv_number_named(in->controls, r, "value");
	return NAN;
}

/* The conditions C's "why", or "" when it has none. */
static const char *conditions_why(const struct json_value *c)
{
	const char *why = json_lookup_string(c, "why");

	return why ? why : "";
}

/* How much of WHY to say: its first reason (they are joined by "; "), at
 * most 80 characters, which is all a detail has room for. */
static int first_reason(const char *why)
{
	size_t n = strcspn(why, ";");

	return n < 80 ? (int)n : 80;
}

/* Whether what the run recorded says the machine was busy while BENCH
 * ran: its conditions, the cpu control right after it, the hypervisor's
 * steal during its stage, else another benchmark's conditions (busy
 * during the run). WHY gets the words. */
static bool machine_busy(const struct run_results *in, const char *bench, char *why, size_t len)
{
	const struct json_value *c = bad_conditions(in->meta, bench, false);
	double share = cpu_after(in, bench), steal = stage_steal(in->meta, bench);

	if (c)
		snprintf(why, len, "the machine was %.16s while %s ran%s%.*s%s", json_lookup_string(c, "verdict"), bench,
			 *conditions_why(c) ? " (" : "", first_reason(conditions_why(c)), conditions_why(c),
			 *conditions_why(c) ? ")" : "");
	else if (share >= 0 && share < PU_SHARE_OK)
		snprintf(why, len, "the machine was busy: right after %s a PU ran a thread %.0f%% of 100 ms (cpu control)",
			 bench, 100 * share);
	else if (steal > STEAL_OK)
		snprintf(why, len, "the machine was busy: the hypervisor took %.0f%% of the CPU time while %s ran (steal)",
			 100 * steal, bench);
	else if ((c = bad_conditions(in->meta, bench, true)))
		snprintf(why, len, "the machine was busy during the run (%.16s was %.16s: %.*s)",
			 json_lookup_string(c, "benchmark"), json_lookup_string(c, "verdict"),
			 first_reason(conditions_why(c)), conditions_why(c));
	else
		return false;
	return true;
}

/* Counters that share a line cost at least what padded ones do: each
 * write takes the line from the other threads. A point is faster only
 * beyond its own spread (p5 to p95, and as much again for the padded
 * figure, whose repetitions the run does not keep) and this factor. */
#define SHARING_NOISE 0.95

static void check_falseshare(const struct run_results *in, struct self_check *c)
{
	const struct csv_file *f = in->falseshare;
	double line = run_meta_setting_number(in->meta, "falseshare.padded_bytes"), lowest = INFINITY, most = 0;
	long worst = -1, points = 0, faster = 0;
	char why[200];

	if (!f) {
		say(c, CHECK_NOT_CHECKED, "needs falseshare results");
		return;
	}
	if (!(line > 0))
		line = line_bytes(in);
	for (size_t i = 0; i < csv_rows(f); i++) {
		double slowdown = csv_number_named(f, i, "slowdown"), p5 = csv_number_named(f, i, "ns_per_op_p5");
		double p95 = csv_number_named(f, i, "ns_per_op_p95");

		/* One thread shares its line with nobody. */
		if (!(csv_number_named(f, i, "threads") >= 2) || !(csv_number_named(f, i, "distance_bytes") < line) ||
		    !(slowdown > 0) || !(p5 > 0) || !(p95 >= p5))
			continue;
		points++;
		if (slowdown * p95 / p5 >= SHARING_NOISE)
			continue;
		faster++;
		if (slowdown < lowest) {
			lowest = slowdown;
			most = slowdown * p95 / p5;
			worst = (long)i;
		}
	}
	if (!points) {
		say(c, CHECK_NOT_CHECKED, "falseshare measured no point of two threads or more on one line (with its p5 and p95)");
		return;
	}
	if (worst < 0) {
		say(c, CHECK_AGREES,
		    "every falseshare point of threads sharing a line (%ld) is as slow as padded counters or more, within its spread",
		    points);
		return;
	}
	if (!machine_busy(in, "falseshare", why, sizeof(why)))
		snprintf(why, sizeof(why), "the padded counters were slowed by something else, or the threads did not run at the same time");
	say(c, CHECK_DISAGREES,
	    "falseshare %.12s, %.0f threads %.0f bytes apart: %.2fx the padded time (%.2fx at most; %ld of %ld points below 1): sharing a line cannot beat padding it. Likely cause: %s",
	    csv_cell_named(f, (size_t)worst, "variant"), csv_number_named(f, (size_t)worst, "threads"),
	    csv_number_named(f, (size_t)worst, "distance_bytes"), lowest, most, faster, points, why);
}

/* A level's latency and the range its points' spread allows; NAN where
 * it is unknown. */
struct level_figure {
	long row;
	double ns, lo, hi;
};

static bool is_cache_level(const char *level)
{
	return *level && strspn(level, "0123456789") == strlen(level);
}

/* F's range from the main sweep's points (the order and pages of
 * latency.csv's first row) with working sets above ABOVE bytes and up to
 * UPTO: the lowest p5 and the highest p95 of them, as shares of each
 * point's median, applied to F's latency. */
static void level_spread(const struct csv_file *latency, double above, double upto, struct level_figure *f)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; latency && i < csv_rows(latency); i++) {
		double size = csv_number_named(latency, i, "size_bytes"), ns = csv_number_named(latency, i, "latency_ns");
		double p5 = csv_number_named(latency, i, "latency_ns_p5"), p95 = csv_number_named(latency, i, "latency_ns_p95");

		if (strcmp(csv_cell_named(latency, i, "order"), csv_cell_named(latency, 0, "order")) != 0 ||
		    strcmp(csv_cell_named(latency, i, "pages"), csv_cell_named(latency, 0, "pages")) != 0 ||
		    !(size > above) || !(size <= upto) || !(ns > 0) || !(p5 > 0) || !(p95 >= p5))
			continue;
		lo = p5 / ns < lo ? p5 / ns : lo;
		hi = p95 / ns > hi ? p95 / ns : hi;
	}
	f->lo = hi > 0 && f->ns > 0 ? f->ns * lo : NAN;
	f->hi = hi > 0 && f->ns > 0 ? f->ns * hi : NAN;
}

/* A machine has a handful of cache levels; a levels.csv from elsewhere
 * may have any number, of which this many are judged (each one reads the
 * whole of latency.csv). */
#define MAX_CACHE_LEVELS 16

/* The cache levels of levels.csv in order (not memory, not hwloc's caches
 * the curve does not show), each with its range, into OUT; returns how
 * many. *ENDS: where the last ends. */
static size_t cache_levels(const struct run_results *in, struct level_figure out[MAX_CACHE_LEVELS], double *ends)
{
	size_t n = 0;

	*ends = 0;
	for (size_t i = 0; in->levels && i < csv_rows(in->levels) && n < MAX_CACHE_LEVELS; i++) {
		double end = csv_number_named(in->levels, i, "ends_bytes");

		if (!is_cache_level(csv_cell_named(in->levels, i, "level")))
			continue;
		out[n].row = (long)i;
		out[n].ns = csv_number_named(in->levels, i, "latency_ns");
		level_spread(in->latency, *ends, end > *ends ? end : INFINITY, &out[n]);
		*ends = end > *ends ? end : *ends;
		n++;
	}
	return n;
}

static const char *level_name(const struct run_results *in, const struct level_figure *f)
{
	return csv_cell_named(in->levels, (size_t)f->row, "level");
}

static void check_levels_rising(const struct run_results *in, struct self_check *c)
{
	struct level_figure l[MAX_CACHE_LEVELS];
	size_t n, judged = 0;
	long worst = -1;
	double ends, factor = 1;
	char why[200];

	if (!in->levels || !in->latency) {
		say(c, CHECK_NOT_CHECKED, "needs the latency sweep's levels and its points (latency.csv) for their spread");
		return;
	}
	n = cache_levels(in, l, &ends);
	for (size_t k = 1; k < n; k++) {
		if (!(l[k - 1].lo > 0) || !(l[k].hi > 0))
			continue;
		judged++;
		if (l[k].hi < l[k - 1].lo && l[k - 1].lo / l[k].hi > factor) {
			factor = l[k - 1].lo / l[k].hi;
			worst = (long)k;
		}
	}
	if (!judged)
		say(c, CHECK_NOT_CHECKED, "no two cache levels with points in latency.csv to give their spread");
	else if (worst < 0)
		say(c, CHECK_AGREES, "no cache level is faster than the one before it beyond their points' spread (%zu levels)", n);
	else {
		const struct level_figure *a = &l[worst - 1], *b = &l[worst];

		if (!machine_busy(in, "latency", why, sizeof(why)))
			snprintf(why, sizeof(why), "the smaller level's points were slowed, or levels.csv does not come from this sweep");
		say(c, CHECK_DISAGREES,
		    "level %.8s at %.2f ns (%.2f at most by its spread) is below level %.8s at %.2f ns (%.2f at least): a larger level cannot be faster. Likely cause: %s",
		    level_name(in, b), b->ns, b->hi, level_name(in, a), a->ns, a->lo, why);
	}
}

/* The highest p95 of states' loads of Invalid lines; NAN without one. */
static double states_memory_p95(const struct csv_file *states)
{
	double hi = NAN;

	for (size_t k = 0; states && k < csv_rows(states); k++) {
		double p95 = csv_number_named(states, k, "latency_ns_p95");

		if (strcmp(csv_cell_named(states, k, "state"), "I") == 0 &&
		    strcmp(csv_cell_named(states, k, "op"), "load") == 0 && p95 > 0 && !(p95 <= hi))
			hi = p95;
	}
	return hi;
}

static void check_memory_above_caches(const struct run_results *in, struct self_check *c)
{
	struct level_figure l[MAX_CACHE_LEVELS], memory = { -1, NAN, NAN, NAN };
	long row = level_row(in->levels, "memory");
	const char *source = "the sweep's memory level";
	double ends;
	size_t n;
	char why[200];

	if (!in->levels || !in->latency) {
		say(c, CHECK_NOT_CHECKED, "needs the latency sweep's levels and its points (latency.csv) for their spread");
		return;
	}
	n = cache_levels(in, l, &ends);
	if (row >= 0) {
		memory.ns = csv_number_named(in->levels, (size_t)row, "latency_ns");
		level_spread(in->latency, ends, INFINITY, &memory);
	} else {
		/* A sweep short of memory: a load of a line flushed from every
		 * cache is one. */
		source = "states' loads of Invalid lines";
		memory.ns = states_memory_latency_ns(in->states);
		memory.hi = states_memory_p95(in->states);
	}
	if (!n || !(l[n - 1].lo > 0) || !(memory.ns > 0) || !(memory.hi > 0))
		say(c, CHECK_NOT_CHECKED,
		    "needs a cache level with points in latency.csv, and a memory latency with its spread (the sweep's memory level, or states' loads of Invalid lines)");
	else if (memory.hi >= l[n - 1].lo)
		say(c, CHECK_AGREES, "memory latency %.1f ns (%s) is not below level %.8s's %.2f ns beyond their spread",
		    memory.ns, source, level_name(in, &l[n - 1]), l[n - 1].ns);
	else {
		if (!machine_busy(in, "latency", why, sizeof(why)))
			snprintf(why, sizeof(why), "the memory figure came from a cache, or the level's points were slowed");
		say(c, CHECK_DISAGREES,
		    "memory latency %.1f ns (%s; %.1f at most) is below level %.8s at %.2f ns (%.2f at least): memory cannot answer faster than a cache. Likely cause: %s",
		    memory.ns, source, memory.hi, level_name(in, &l[n - 1]), l[n - 1].ns, l[n - 1].lo, why);
	}
}

/* The least an L1 hit takes by the run's figures: the sweep's level 1 at
 * the low end of its points' spread, else the l1 control's lowest value
 * less its spread. NAN with neither; *SOURCE says which. */
static double l1_hit_least(const struct run_results *in, const char **source)
{
	struct level_figure l[MAX_CACHE_LEVELS];
	double ends, least = NAN;
	size_t n = cache_levels(in, l, &ends);

	*source = "the sweep's level 1";
	for (size_t k = 0; k < n; k++)
		if (strcmp(level_name(in, &l[k]), "1") == 0 && l[k].lo > 0)
			least = l[k].lo;
	if (least > 0)
		return least;
	*source = "the l1 control";
	for (size_t r = 0; in->controls && r < csv_rows(in->controls); r++) {
		double v = csv_number_named(in->controls, r, "value"), spread = csv_number_named(in->controls, r, "spread");

		if (strcmp(csv_cell_named(in->controls, r, "control"), "l1") == 0 && v > 0 && spread >= 0 && spread < 1 &&
		    !(v * (1 - spread) >= least))
			least = v * (1 - spread);
	}
	return least;
}

static void check_c2c_above_l1(const struct run_results *in, struct self_check *c)
{
	const char *source;
	double l1 = in->c2c ? l1_hit_least(in, &source) : NAN, fastest = INFINITY;
	long row = -1;

	for (size_t i = 0; in->c2c && i < csv_rows(in->c2c); i++) {
		double p95 = csv_number_named(in->c2c, i, "latency_ns_p95");

		if (p95 > 0 && p95 < fastest) {
			fastest = p95;
			row = (long)i;
		}
	}
	if (row < 0 || !(l1 > 0)) {
		say(c, CHECK_NOT_CHECKED,
		    "needs c2c results with their p95 and an L1 latency (the sweep's level 1 with its points, or the l1 control)");
		return;
	}
	if (fastest >= l1)
		say(c, CHECK_AGREES, "every core-to-core transfer at its p95 is slower than an L1 hit (the fastest, %.8s->%.8s %.8s: %.1f ns; L1: %.2f ns, %s)",
		    csv_cell_named(in->c2c, (size_t)row, "cpu_a"), csv_cell_named(in->c2c, (size_t)row, "cpu_b"),
		    csv_cell_named(in->c2c, (size_t)row, "variant"), fastest, l1, source);
	else
		say(c, CHECK_DISAGREES,
		    "core-to-core transfer %.8s->%.8s %.8s takes %.2f ns (p95 %.2f), less than an L1 hit (%.2f ns at least, %s): a line cannot come from another core sooner than from the core's own L1. Likely cause: the threads did not hand the line over, or the timer is wrong",
		    csv_cell_named(in->c2c, (size_t)row, "cpu_a"), csv_cell_named(in->c2c, (size_t)row, "cpu_b"),
		    csv_cell_named(in->c2c, (size_t)row, "variant"), csv_number_named(in->c2c, (size_t)row, "latency_ns"),
		    fastest, l1, source);
}

/* Threads on one line take turns with it: together they do at most what
 * each would alone. The operations per second and the time per operation
 * are different medians (the slowest thread's, the threads' average):
 * room for that. */
#define SCALING_MARGIN 1.1

/* contention has five variants; a file from elsewhere may name any
 * number, of which this many are judged. */
#define MAX_VARIANTS 16

/* Among the N rows ROWS of F, the first of VARIANT, or -1. */
static long row_of_variant(const struct csv_file *f, const size_t *rows, size_t n, const char *variant)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(csv_cell_named(f, rows[k], "variant"), variant) == 0)
			return (long)rows[k];
	return -1;
}

/* The first one-thread row of each variant of F into ONE; how many. */
static size_t one_thread_rows(const struct csv_file *f, size_t one[MAX_VARIANTS])
{
	size_t n = 0;

	for (size_t i = 0; i < csv_rows(f) && n < MAX_VARIANTS; i++)
		if (csv_number_named(f, i, "threads") == 1 && row_of_variant(f, one, n, csv_cell_named(f, i, "variant")) < 0)
			one[n++] = i;
	return n;
}

static void check_contention_scaling(const struct run_results *in, struct self_check *c)
{
	const struct csv_file *f = in->contention;
	long worst = -1, worst_one = -1, judged = 0;
	double factor = 1, least = 0, ceiling = 0;
	size_t ones[MAX_VARIANTS], nones;
	char why[200];

	if (!f) {
		say(c, CHECK_NOT_CHECKED, "needs contention results");
		return;
	}
	nones = one_thread_rows(f, ones);
	for (size_t i = 0; i < csv_rows(f); i++) {
		long one = row_of_variant(f, ones, nones, csv_cell_named(f, i, "variant"));
		double threads = csv_number_named(f, i, "threads"), ops = csv_number_named(f, i, "ops_per_s");
		double ns = csv_number_named(f, i, "ns_per_op"), p95 = csv_number_named(f, i, "ns_per_op_p95");
		double ops1, ns1, p5_1, lo, hi;

		if (one < 0 || !(threads >= 2))
			continue;
		ops1 = csv_number_named(f, (size_t)one, "ops_per_s");
		ns1 = csv_number_named(f, (size_t)one, "ns_per_op");
		p5_1 = csv_number_named(f, (size_t)one, "ns_per_op_p5");
		if (!(ops > 0) || !(ns > 0) || !(p95 >= ns) || !(ops1 > 0) || !(p5_1 > 0) || !(ns1 >= p5_1))
			continue;
		judged++;
		/* A rate is lowest at the slowest time, highest at the fastest. */
		lo = ops * ns / p95;
		hi = threads * ops1 * ns1 / p5_1;
		if (lo > hi * SCALING_MARGIN && lo / hi > factor) {
			factor = lo / hi;
			worst = (long)i;
			worst_one = one;
			least = lo;
			ceiling = hi;
		}
	}
	if (!judged) {
		say(c, CHECK_NOT_CHECKED, "contention measured no variant with one thread and more (with their spread)");
		return;
	}
	if (worst < 0) {
		say(c, CHECK_AGREES, "no contention point (%ld) does more operations per second than its threads would each alone", judged);
		return;
	}
	/* A busy machine slows the one thread's figure, which sets the bound. */
	if (!machine_busy(in, "contention", why, sizeof(why)))
		snprintf(why, sizeof(why), "the one-thread figure was slowed by something else, or the threads did not share the line");
	say(c, CHECK_DISAGREES,
	    "contention %.12s, %.0f threads: %.1f M ops/s (%.1f at least), over %.0f times one thread's %.1f M (%.1f at most): threads sharing a line cannot outdo each alone. Likely cause: %s",
	    csv_cell_named(f, (size_t)worst, "variant"), csv_number_named(f, (size_t)worst, "threads"),
	    csv_number_named(f, (size_t)worst, "ops_per_s") / 1e6, least / 1e6, csv_number_named(f, (size_t)worst, "threads"),
	    csv_number_named(f, (size_t)worst_one, "ops_per_s") / 1e6, ceiling / 1e6, why);
}

/* How many bytes a stream of each operation counts, at most, for every
 * byte the copy controls count when both move them through memory: a
 * copy counts what it reads and writes, 2 of the 3 it moves (a
 * write-allocate reads each line it writes first); a read, a write or a
 * non-temporal stream counts at most every byte it moves. */
static const struct {
	const char *op;
	double factor;
} memory_traffic[] = {
	{ "copy", 1 },
	{ "read", 1.5 },
	{ "write", 1.5 },
	{ "stream", 1.5 },
};
/* Memory moves bytes of one direction somewhat faster than a mix of reads
 * and writes (no turnarounds), and threads placed otherwise than the
 * controls' may find it a little faster still: room for both. */
#define MEMORY_CEILING_MARGIN 1.25

/* The largest cache instance: topology.csv's, else levels.csv's sizes. */
static double largest_cache(const struct run_results *in)
{
	double most = 0;

	for (size_t r = 0; in->topology && r < csv_rows(in->topology); r++) {
		double size = csv_number_named(in->topology, r, "size_bytes");

		if (strcmp(csv_cell_named(in->topology, r, "type"), "instruction") != 0 && size > most)
			most = size;
	}
	for (size_t r = 0; !(most > 0) && in->levels && r < csv_rows(in->levels); r++) {
		double size = csv_number_named(in->levels, r, "hwloc_size_bytes"), ends = csv_number_named(in->levels, r, "ends_bytes");

		most = size > most ? size : most;
		most = ends > most ? ends : most;
	}
	return most;
}

/* The most the copy controls saw memory give, each at the top of its
 * spread: *ONE by one thread or all PUs (copy, copy-all), *ALL by all
 * PUs alone (several threads may beat one). 0 when there is none. */
static void copy_ceilings(const struct csv_file *controls, double *one, double *all)
{
	*one = *all = 0;
	for (size_t r = 0; controls && r < csv_rows(controls); r++) {
		const char *name = csv_cell_named(controls, r, "control");
		double v = csv_number_named(controls, r, "value"), spread = csv_number_named(controls, r, "spread");
		bool copy_all = strcmp(name, "copy-all") == 0;

		if ((!copy_all && strcmp(name, "copy") != 0) || !(v > 0) || !(spread >= 0))
			continue;
		v *= 1 + spread;
		*one = v > *one ? v : *one;
		*all = copy_all && v > *all ? v : *all;
	}
}

/* The least cpu control of the run; NAN without one. */
static double least_cpu_share(const struct csv_file *controls)
{
	double least = NAN;

	for (size_t r = 0; controls && r < csv_rows(controls); r++) {
		double v = csv_number_named(controls, r, "value");

		if (strcmp(csv_cell_named(controls, r, "control"), "cpu") == 0 && v >= 0 && !(v >= least))
			least = v;
	}
	return least;
}

static void check_bandwidth_vs_copy(const struct run_results *in, struct self_check *c)
{
	const struct csv_file *f = in->bandwidth;
	double cache = largest_cache(in), one, all, factor = 1, allowed = 0, share;
	long worst = -1, judged = 0;
	char why[200];

	copy_ceilings(in->controls, &one, &all);
	if (!f || !(one > 0) || !(cache > 0)) {
		say(c, CHECK_NOT_CHECKED, "needs bandwidth results, the copy controls (controls.csv) and the caches' sizes");
		return;
	}
	for (size_t i = 0; i < csv_rows(f); i++) {
		double p5 = csv_number_named(f, i, "bandwidth_gbs_p5"), threads = csv_number_named(f, i, "threads");
		double ceiling = threads == 1 ? one : all, most;
		size_t k = 0;

		while (k < sizeof(memory_traffic) / sizeof(memory_traffic[0]) &&
		       strcmp(memory_traffic[k].op, csv_cell_named(f, i, "op")) != 0)
			k++;
		/* Twice the largest cache per thread: its set streams from memory. */
		if (k == sizeof(memory_traffic) / sizeof(memory_traffic[0]) ||
		    !(csv_number_named(f, i, "size_bytes") >= 2 * cache) || !(threads >= 1) || !(ceiling > 0) || !(p5 > 0))
			continue;
		judged++;
		most = ceiling * memory_traffic[k].factor * MEMORY_CEILING_MARGIN;
		if (p5 > most && p5 / most > factor) {
			factor = p5 / most;
			worst = (long)i;
			allowed = most;
		}
	}
	if (!judged) {
		say(c, CHECK_NOT_CHECKED, "no bandwidth point with each thread's set twice the largest cache (%.0f bytes) or more",
		    cache);
		return;
	}
	if (worst < 0) {
		say(c, CHECK_AGREES, "every bandwidth beyond the caches (%ld points) is within what the copy controls saw memory give (%.1f GB/s)",
		    judged, all > one ? all : one);
		return;
	}
	share = least_cpu_share(in->controls);
	if (share < PU_SHARE_OK)
		snprintf(why, sizeof(why), "the copy controls ran on a busy machine (a PU ran a thread %.0f%% of 100 ms)", 100 * share);
	else
		snprintf(why, sizeof(why), "the set was served from a cache larger than the run's topology says");
	say(c, CHECK_DISAGREES,
	    "%.8s bandwidth %.1f GB/s (p5 %.1f) of %.0f threads with %.0f bytes each, beyond the caches, is above the %.1f GB/s the copy controls allow memory: no stream from memory outruns it. Likely cause: %s",
	    csv_cell_named(f, (size_t)worst, "op"), csv_number_named(f, (size_t)worst, "bandwidth_gbs"),
	    csv_number_named(f, (size_t)worst, "bandwidth_gbs_p5"), csv_number_named(f, (size_t)worst, "threads"),
	    csv_number_named(f, (size_t)worst, "size_bytes"), allowed, why);
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
	{ "falseshare-slowdown", check_falseshare },
	{ "levels-rising", check_levels_rising },
	{ "memory-above-caches", check_memory_above_caches },
	{ "c2c-above-l1", check_c2c_above_l1 },
	{ "contention-scaling", check_contention_scaling },
	{ "bandwidth-vs-copy", check_bandwidth_vs_copy },
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

/* The run's meta.json into *META (NULL when there is none): 0, or -1 with
 * ERR when it is there but cannot be read. */
static int load_meta(const char *run, struct json_value **meta, struct ml_error *err)
{
	char *path = xasprintf("%s/meta.json", run);
	bool there = path_exists(path);

	*meta = there ? json_parse_file(path, run, err) : NULL;
	free(path);
	return *meta || !there ? 0 : -1;
}

int self_checks_run(const char *run, struct self_check *out, size_t max, struct ml_error *err)
{
	struct run_results in = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	const struct {
		const char *name;
		struct csv_file **f;
	} tables[] = {
		{ "levels.csv", &in.levels },
		{ "bandwidth.csv", &in.bandwidth },
		{ "c2c.csv", &in.c2c },
		{ "states.csv", &in.states },
		{ "topology.csv", &in.topology },
		{ "controls.csv", &in.controls },
		{ "latency.csv", &in.latency },
		{ "falseshare.csv", &in.falseshare },
		{ "contention.csv", &in.contention },
	};
	size_t n = 0;
	int rc = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]) && rc == 0; t++)
		rc = load(run, tables[t].name, tables[t].f, err);
	if (rc == 0)
		rc = load_meta(run, &in.meta, err);
	for (size_t i = 0; rc == 0 && i < NCHECKS && n < max; i++, n++) {
		out[n].name = checks[i].name;
		checks[i].run(&in, &out[n]);
	}
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		csv_free(*tables[t].f);
	json_value_free(in.meta);
	return rc < 0 ? -1 : (int)n;
}
