#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "block.h"
#include "chase_set.h"
#include "controls.h"
#include "kernels.h"
#include "memory.h"
#include "pu_probe.h"
#include "stats.h"
#include "table.h"
#include "threads.h"
#include "timer.h"
#include "xalloc.h"

const struct control_info control_info[NCONTROLS] = {
	[CONTROL_CLOCK] = { "clock", "GHz", "the slowest usable PU's core clock: a dependent add chain on each" },
	[CONTROL_L1] = { "l1", "ns", "a pointer chase over 16 KiB (any L1 data cache): ns per load" },
	[CONTROL_MEMORY] = { "memory", "ns",
			     "a pointer chase in random order over a set beyond the caches (twice the largest, 16 to 64 MiB): ns per load" },
	[CONTROL_COPY] = { "copy", "GB/s", "one thread copying half of such a set onto its other half" },
	[CONTROL_CPU] = { "cpu", "share",
			  "the least share of 100 ms a thread on each usable PU ran (a CPU quota, a neighbour or a host taking a PU lower it)" },
	[CONTROL_TRANSFER] = { "transfer", "ns",
			       "a line handed back and forth between the first two usable PUs: one-way ns (a hypervisor that moves vCPUs to other dies changes it)" },
	[CONTROL_COPY_ALL] = { "copy-all", "GB/s",
			       "every usable PU (at most 64) copying a set of its own at once: GB/s together (the memory system as the benchmarks' threads share it)" },
	[CONTROL_L3] = { "l3", "ns",
			 "a pointer chase over a set inside the last-level cache (the geometric middle of the largest private cache and the last level, 2 to 32 MiB), each 256 KiB in random order: ns per load (how much of a shared last level the run gets)" },
};

#define SAMPLES 5
#define L1_BYTES (16u << 10)
#define L1_LOADS 200000u
#define MEMORY_MIN (16ull << 20)
#define MEMORY_MAX (64ull << 20)
#define MEMORY_STRIDE 256 /* a node every four lines: fewer nodes to link, each load a new line */
#define MEMORY_LOADS 40000u
/* The last-level cache's control: its set between the private caches and
 * the last level, where a neighbour's share of the last level decides
 * whether a working set hits there or goes to memory (a guest's share of
 * a host's L3 changes with the other guests). Chased in the latency
 * benchmark's default order (random within TLB-sized blocks), so that it
 * pays what those points pay, not page walks. */
#define L3_MIN (2ull << 20)
#define L3_MAX (32ull << 20)
#define L3_BLOCK (256u << 10)
#define L3_LOADS 100000u
/* Caches at this depth or above are the core's own (a hypervisor may
 * describe its L3 as each vCPU's: see bench/benchmarks.c). */
#define L3_PRIVATE_DEPTH 2
#define TRANSFER_ROUNDS 20000u
/* The PUs copying at once, and the least each copies. */
#define COPY_ALL_MAX_PUS 64u
#define COPY_ALL_MIN_BYTES (4u << 20)
/* A control that takes longer than this was not running: given up. */
#define CONTROL_DEADLINE_NS 5000000000ull
/* Longer than a CFS quota's period (100 ms), so that a quota shows. */
#define CPU_PROBE_NS 100000000ull

struct controls {
	const struct topo *topo;
	unsigned pu;
	struct chase_set l1, memory, l3; /* l3: no nodes without a last level beyond the private caches */
	unsigned char *copy;
	size_t copy_bytes;
	unsigned char **copies; /* one set per PU of copy-all */
	unsigned ncopies, *copy_pus;
	size_t copies_bytes;
	struct table *rows;
	double values[NCONTROLS], spreads[NCONTROLS];
};

enum { K_WHEN, K_CONTROL, K_VALUE, K_UNIT, K_SPREAD, NKCOLUMNS };

static const struct table_column columns[NKCOLUMNS] = {
	[K_WHEN] = { "when", "when", TABLE_LEFT },
	[K_CONTROL] = { "control", "control", TABLE_LEFT },
	[K_VALUE] = { "value", "value", TABLE_RIGHT },
	[K_UNIT] = { "unit", "unit", TABLE_LEFT },
	[K_SPREAD] = { "spread", "spread", TABLE_RIGHT },
};

/* The l3 control's set: the geometric middle of the largest private cache
 * and the last level (the middle of the sizes a latency sweep finds in the
 * last level, on a log scale), within L3_MIN to L3_MAX and at most half
 * the last level. None (0) when the last level is not at least four
 * times the private caches: no shared level to watch. */
static uint64_t l3_bytes(const struct topo *t)
{
	uint64_t last = topo_largest_data_cache(t), own = topo_largest_private_cache(t, L3_PRIVATE_DEPTH), want;

	if (own == 0 || last < 4 * own)
		return 0;
	want = (uint64_t)sqrt((double)own * (double)last);
	want = want < L3_MIN ? L3_MIN : want > L3_MAX ? L3_MAX : want;
	return want > last / 2 ? last / 2 : want;
}

static int l3_build(struct controls *c, const struct topo *t, struct ml_error *err)
{
	uint64_t bytes = l3_bytes(t);
	bool capped;
	void *memory;

	bytes = bench_memory_cap(bytes, 1, &capped) / 64 * 64;
	if (bytes < L3_MIN)
		return 0;
	memory = xpages((size_t)bytes);
	if (chase_set_link(&c->l3, memory, (size_t)bytes, 64, L3_BLOCK, 3, err) < 0) {
		free(memory);
		return -1;
	}
	c->l3.owns_memory = 1;
	return 0;
}

struct controls *controls_new(const struct topo *t, unsigned pu, struct ml_error *err)
{
	struct controls *c = xcalloc(1, sizeof(*c));
	uint64_t want = 2 * topo_largest_data_cache(t);
	bool capped;

	want = want < MEMORY_MIN ? MEMORY_MIN : want > MEMORY_MAX ? MEMORY_MAX : want;
	/* The chase set and the copy's buffer, with the memory there is. */
	want = bench_memory_cap(2 * want, 1, &capped) / 2;
	c->topo = t;
	c->pu = pu;
	c->copy_bytes = (size_t)want / 128 * 128;
	if (chase_set_build(&c->l1, L1_BYTES, 64, 1, err) < 0 ||
	    chase_set_build(&c->memory, (size_t)want, MEMORY_STRIDE, 2, err) < 0) {
		controls_free(c);
		return NULL;
	}
	c->copy = xpages(c->copy_bytes);
	block_write(c->copy, c->copy_bytes, 1); /* touched once: no page faults in a timed copy */
	/* copy-all: the copy's set shared out among the PUs, each part still
	 * beyond a core's own caches. */
	c->ncopies = topo_usable_pus(t) < COPY_ALL_MAX_PUS ? topo_usable_pus(t) : COPY_ALL_MAX_PUS;
	c->copies_bytes = c->copy_bytes / (c->ncopies ? c->ncopies : 1) / 128 * 128;
	if (c->copies_bytes < COPY_ALL_MIN_BYTES)
		c->copies_bytes = bench_memory_cap(COPY_ALL_MIN_BYTES, c->ncopies, &capped) / 128 * 128;
	c->copies = xcalloc(c->ncopies + 1, sizeof(*c->copies));
	c->copy_pus = xcalloc(c->ncopies + 1, sizeof(*c->copy_pus));
	for (unsigned i = 0; i < c->ncopies; i++) {
		c->copies[i] = xpages(c->copies_bytes);
		block_write(c->copies[i], c->copies_bytes, 1);
		c->copy_pus[i] = topo_usable_pu_at(t, i);
	}
	if (l3_build(c, t, err) < 0) {
		controls_free(c);
		return NULL;
	}
	c->rows = table_new(columns, NKCOLUMNS);
	return c;
}

/* LOADS dependent loads with the benchmarks' own chase kernel: ns each. */
static double chase_ns(const struct chase_set *s, uint64_t loads)
{
	struct access_native ctx = { 0 };
	struct chase_args a = { chase_set_node(s, 0), loads };
	uint64_t start = timer_now_ns();

	chase_native(&ctx, &a);
	return (double)(timer_now_ns() - start) / (double)loads;
}

static double copy_gbs(unsigned char *buffer, size_t bytes)
{
	uint64_t start = timer_now_ns();

	block_copy(buffer + bytes / 2, buffer, bytes / 2);
	/* What it reads and what it writes, as bandwidth counts a copy. */
	return (double)bytes / (double)(timer_now_ns() - start);
}

static void median_of(double *samples, double *value, double *spread)
{
	struct stats st;

	stats_compute(samples, SAMPLES, &st);
	*value = st.median;
	*spread = st.median > 0 ? (st.p95 - st.p5) / st.median : 0;
}

/* On the pinned thread: every control but the PUs' share, SAMPLES times
 * each after a warm-up. */
static void measure_all(void *arg, struct access_native *ctx)
{
	struct controls *c = arg;
	double samples[NCONTROLS][SAMPLES];

	(void)ctx;
	chase_ns(&c->l1, L1_LOADS);
	chase_ns(&c->memory, MEMORY_LOADS);
	copy_gbs(c->copy, c->copy_bytes);
	for (unsigned i = 0; i < SAMPLES; i++) {
		samples[CONTROL_L1][i] = chase_ns(&c->l1, L1_LOADS);
		samples[CONTROL_MEMORY][i] = chase_ns(&c->memory, MEMORY_LOADS);
		samples[CONTROL_COPY][i] = copy_gbs(c->copy, c->copy_bytes);
	}
	for (int k = CONTROL_L1; k <= CONTROL_COPY; k++)
		median_of(samples[k], &c->values[k], &c->spreads[k]);
	c->values[CONTROL_L3] = NAN;
	if (!c->l3.nodes)
		return;
	/* A whole lap first: the set must be in the last level before its
	 * loads say whether it stays there. */
	chase_ns(&c->l3, c->l3.nodes);
	for (unsigned i = 0; i < SAMPLES; i++)
		samples[CONTROL_L3][i] = chase_ns(&c->l3, L3_LOADS);
	median_of(samples[CONTROL_L3], &c->values[CONTROL_L3], &c->spreads[CONTROL_L3]);
}

/* What each usable PU gives: its clock and its share of the time. */
struct pu_reading {
	double ghz, spread, share;
};

static void read_pu(void *arg, struct access_native *ctx)
{
	struct pu_reading *r = (struct pu_reading *)arg + ctx->thread;
	struct clock_calibration clock;

	timer_calibrate(&clock, SAMPLES);
	r->ghz = clock.cycles_per_ns;
	r->spread = clock.spread;
	r->share = pu_probe_available(CPU_PROBE_NS, ctx);
}

/* The slowest clock and the least share of its PU any thread got, all at
 * once: a PU that runs slower, or that a neighbour, a quota or the host
 * takes away, slows every benchmark that uses it. */
static int measure_pus(struct controls *c, struct threads_outcome *outcome, struct ml_error *err)
{
	unsigned n = topo_usable_pus(c->topo), *pus = xcalloc(n, sizeof(*pus));
	struct pu_reading *r = xcalloc(n, sizeof(*r));
	uint64_t *elapsed = xcalloc(n, sizeof(*elapsed));
	int rc;

	for (unsigned i = 0; i < n; i++)
		pus[i] = topo_usable_pu_at(c->topo, i);
	rc = threads_run(c->topo, n, pus, read_pu, r, CONTROL_DEADLINE_NS, elapsed, outcome, err);
	c->values[CONTROL_CLOCK] = INFINITY;
	c->values[CONTROL_CPU] = 1;
	c->spreads[CONTROL_CPU] = 0;
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		if (r[i].ghz < c->values[CONTROL_CLOCK]) {
			c->values[CONTROL_CLOCK] = r[i].ghz;
			c->spreads[CONTROL_CLOCK] = r[i].spread;
		}
		c->values[CONTROL_CPU] = r[i].share < c->values[CONTROL_CPU] ? r[i].share : c->values[CONTROL_CPU];
	}
	free(pus);
	free(r);
	free(elapsed);
	return rc;
}

static void copy_part(void *arg, struct access_native *ctx)
{
	struct controls *c = arg;

	copy_gbs(c->copies[ctx->thread], c->copies_bytes);
}

/* Every PU copying at once: what the memory gives the benchmarks' threads
 * together, which a neighbour streaming memory takes from, though one
 * thread alone may not notice. */
static int measure_copy_all(struct controls *c, struct threads_outcome *outcome, struct ml_error *err)
{
	uint64_t *elapsed = xcalloc(c->ncopies + 1, sizeof(*elapsed));
	double samples[SAMPLES];
	int rc = 0;

	c->values[CONTROL_COPY_ALL] = NAN;
	for (unsigned i = 0; i <= SAMPLES && rc == 0 && !outcome->gave_up && c->ncopies > 0; i++) {
		uint64_t slowest = 0;

		rc = threads_run(c->topo, c->ncopies, c->copy_pus, copy_part, c, CONTROL_DEADLINE_NS, elapsed, outcome,
				 err);
		for (unsigned t = 0; t < c->ncopies; t++)
			slowest = elapsed[t] > slowest ? elapsed[t] : slowest;
		/* the first warms up */
		if (i > 0)
			samples[i - 1] = (double)c->copies_bytes * c->ncopies / (double)(slowest ? slowest : 1);
	}
	if (rc == 0 && !outcome->gave_up && c->ncopies > 0)
		median_of(samples, &c->values[CONTROL_COPY_ALL], &c->spreads[CONTROL_COPY_ALL]);
	free(elapsed);
	return rc;
}

static void transfer_side(void *arg, struct access_native *ctx)
{
	struct pingpong_args a = { arg, TRANSFER_ROUNDS, ctx->thread, false, 0, 0 };

	pingpong_native(ctx, &a);
}

/* A line handed back and forth between the first two usable PUs, as c2c
 * does without a pause: what a coherence benchmark's threads pay, which
 * moves when a hypervisor puts the two vCPUs on other dies. NaN on a
 * machine of one PU. */
static int measure_transfer(struct controls *c, struct threads_outcome *outcome, struct ml_error *err)
{
	unsigned pus[2];
	double samples[SAMPLES];
	uint64_t *flag = xpages(4096), elapsed[2];
	int rc = 0;

	c->values[CONTROL_TRANSFER] = NAN;
	if (topo_usable_pus(c->topo) < 2) {
		free(flag);
		return 0;
	}
	pus[0] = topo_usable_pu_at(c->topo, 0);
	pus[1] = topo_usable_pu_at(c->topo, 1);
	for (unsigned i = 0; i <= SAMPLES && rc == 0 && !outcome->gave_up; i++) {
		*flag = 0;
		rc = threads_run(c->topo, 2, pus, transfer_side, flag, CONTROL_DEADLINE_NS, elapsed, outcome, err);
		/* the first round trips warm up */
		if (i > 0)
			samples[i - 1] = (double)(elapsed[0] > elapsed[1] ? elapsed[0] : elapsed[1]) / (2.0 * TRANSFER_ROUNDS);
	}
	if (rc == 0 && !outcome->gave_up)
		median_of(samples, &c->values[CONTROL_TRANSFER], &c->spreads[CONTROL_TRANSFER]);
	free(flag);
	return rc;
}

int controls_measure(struct controls *c, const char *when, struct ml_error *err)
{
	uint64_t elapsed;
	struct threads_outcome outcome = { false, 0 };

	if (threads_run(c->topo, 1, &c->pu, measure_all, c, CONTROL_DEADLINE_NS, &elapsed, &outcome, err) < 0 ||
	    (!outcome.gave_up && measure_pus(c, &outcome, err) < 0) ||
	    (!outcome.gave_up && measure_transfer(c, &outcome, err) < 0) ||
	    (!outcome.gave_up && measure_copy_all(c, &outcome, err) < 0))
		return -1;
	if (outcome.gave_up)
		return 0; /* a stop request, or a machine too busy to say anything */
	for (int k = 0; k < NCONTROLS; k++) {
		if (isnan(c->values[k]))
			continue; /* a transfer on one PU, no copy-all, no last level to watch */
		table_add_row(c->rows);
		table_set(c->rows, K_WHEN, when, NULL);
		table_set(c->rows, K_CONTROL, control_info[k].name, NULL);
		table_setf(c->rows, K_VALUE, "%.4g", c->values[k]);
		table_set(c->rows, K_UNIT, control_info[k].unit, NULL);
		table_setf(c->rows, K_SPREAD, "%.3f", c->spreads[k]);
	}
	return 0;
}

int controls_save(struct controls *c, struct rundir *r, struct ml_error *err)
{
	for (int k = 0; k < NCONTROLS; k++) {
		char key[32];

		snprintf(key, sizeof(key), "controls.%s", control_info[k].name);
		rundir_set(r, key, control_info[k].what);
	}
	rundir_setf(r, "controls.memory_bytes", "%zu", c->memory.bytes);
	if (c->l3.nodes)
		rundir_setf(r, "controls.l3_bytes", "%zu", c->l3.bytes);
	return table_rows(c->rows) ? rundir_save_table(r, "controls.csv", c->rows, err) : 0;
}

void controls_free(struct controls *c)
{
	if (!c)
		return;
	chase_set_free(&c->l1);
	chase_set_free(&c->memory);
	chase_set_free(&c->l3);
	free(c->copy);
	for (unsigned i = 0; c->copies && i < c->ncopies; i++)
		free(c->copies[i]);
	free(c->copies);
	free(c->copy_pus);
	table_free(c->rows);
	free(c);
}
