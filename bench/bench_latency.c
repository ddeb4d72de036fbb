/* 'mesilab bench latency': load-to-use latency by working-set size. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "interrupt.h"
#include "chase_set.h"
#include "levels.h"
#include "memory.h"
#include "progress.h"
#include "stats.h"
#include "units.h"
#include "xalloc.h"

enum order { ORDER_TLB, ORDER_RANDOM };
static const char *const order_names[] = { [ORDER_TLB] = "tlb", [ORDER_RANDOM] = "random" };

struct latency_config {
	uint64_t min, max, block; /* MAX 0: 4x the last-level cache, at most 1G (16M quick) */
	unsigned stride, repeat, cpu;
	bool cpu_given; /* else the first PU this process may use */
	enum order order;
	enum page_kind pages;
};

enum { OPT_MIN, OPT_MAX, OPT_STRIDE, OPT_ORDER, OPT_TLB_BLOCK, OPT_PAGES, OPT_REPEAT, OPT_CPU, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct latency_config, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_MIN] = { .name = "min", .arg = "SIZE", .type = CLI_SIZE, .def = "1K", FIELD(min), .help = "smallest working set" },
	[OPT_MAX] = { .name = "max", .arg = "SIZE", .type = CLI_SIZE, .min = 1, FIELD(max),
		      .help = "largest working set (default 4x the last-level cache, at most 1G; 16M with --quick)" },
	[OPT_STRIDE] = { .name = "stride", .arg = "BYTES", .type = CLI_UINT, .min = 8, .max = 1 << 20, .def = "64",
			 FIELD(stride), .help = "distance between the chased nodes" },
	[OPT_ORDER] = { .name = "order", .arg = "ORDER", .type = CLI_CHOICE, CLI_CHOICES_OF(order_names), .def = "tlb",
			FIELD(order), .help = "tlb: random order kept within --tlb-block blocks; random: across the whole set" },
	[OPT_TLB_BLOCK] = { .name = "tlb-block", .arg = "SIZE", .type = CLI_SIZE, .def = "256K", FIELD(block),
			    .help = "the block of --order tlb; 256K is what 64 entries of 4 KiB pages cover" },
	[OPT_PAGES] = { .name = "pages", .arg = "KIND", .type = CLI_CHOICE, CLI_CHOICES_OF(page_kind_names), .def = "4k",
			FIELD(pages), .help = "4k, thp (transparent huge pages) or hugetlb" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .full = "15", FIELD(repeat), .help = "timed repetitions per size" },
	[OPT_CPU] = { .name = "cpu", .arg = "N", .type = CLI_UINT, .max = UINT32_MAX, FIELD(cpu),
		      .help = "the CPU to run on (default: the first one this process may use)" },
};

/* How every point is measured: its node spacing and TLB block, its
 * repetitions of batches of about TARGET_NS, the seeds of its orders. */
struct sweep {
	uint64_t stride, block;
	unsigned repeat;
	double target_ns;
	bool seed_given;
	uint64_t seed;
};

struct policy {
	bool random_order;
	enum page_kind pages;
};

struct point {
	uint64_t size;
	struct policy policy;
	const char *pages_got;
	struct chase_set set;
	const uint64_t *at; /* where the next batch starts */
	uint64_t loads;     /* per batch */
	double *samples;    /* ns per load, one per repetition */
	unsigned done;      /* repetitions measured */
	struct stats st;
};

/* Working-set sizes: powers of two from MIN to MAX with points between
 * (three per doubling up to 64 MiB, where caches are, none beyond), and
 * more around every cache size hwloc reports. */
static size_t sweep_sizes(const struct topo *t, uint64_t min, uint64_t max, uint64_t stride, bool quick,
			  uint64_t **out)
{
	size_t n = 0, cap = 256;
	uint64_t *sizes = xmalloc(cap * sizeof(*sizes));

	for (uint64_t s = 1; s <= max && n + 4 < cap; s *= 2) {
		unsigned between = quick ? 1 : s < (64u << 20) ? 3 : 0;

		for (unsigned k = 0; k <= between; k++) {
			uint64_t size = s + s * k / (between + 1);

			if (size >= min && size <= max)
				sizes[n++] = size;
		}
	}
	for (size_t i = 0; i < topo_cache_levels(t) && !quick; i++) {
		const struct topo_cache_level *c = topo_cache_level(t, i);

		if (c->type == TOPO_CACHE_INSTRUCTION)
			continue;
		for (int k = -1; k <= 1 && n < cap; k += 2) {
			uint64_t size = c->size + (int64_t)k * (int64_t)(c->size / 8);

			if (size >= min && size <= max)
				sizes[n++] = size;
		}
	}
	for (size_t i = 0; i < n; i++)
		sizes[i] = sizes[i] / stride * stride;
	/* Sorted, without duplicates. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && sizes[j - 1] > sizes[j]; j--) {
			uint64_t x = sizes[j];

			sizes[j] = sizes[j - 1];
			sizes[j - 1] = x;
		}
	{
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (sizes[i] >= 2 * stride && (m == 0 || sizes[i] != sizes[m - 1]))
				sizes[m++] = sizes[i];
		n = m;
	}
	*out = sizes;
	return n;
}

/* Links P's set in MEMORY, sets its batch to TARGET_NS and walks it once:
 * the first walk over nodes just linked is slower than the next ones (by a
 * third at 128 MiB on this project's VM, page by page), so the timed
 * batches walk again nodes a warm-up has walked, as tools that chase for
 * seconds and drop their first sample do. A set smaller than the batches
 * gets one whole lap. */
static int prepare(struct point *p, void *memory, const struct sweep *sw, uint64_t seed, struct ml_error *err)
{
	const uint64_t *start;
	uint64_t warm;
	double ns;

	if (chase_set_link(&p->set, memory, p->size, sw->stride, p->policy.random_order ? p->size : sw->block, seed,
			   err) < 0)
		return -1;
	start = p->at = chase_set_node(&p->set, 0);
	ns = chase_set_time(100000, &p->at);
	p->loads = (uint64_t)(sw->target_ns / (ns / 100000.0));
	if (p->loads < 100000)
		p->loads = 100000;
	warm = p->loads * sw->repeat < p->set.nodes ? p->loads * sw->repeat
		: p->set.nodes < 10000		   ? 10000
						   : p->set.nodes;
	p->at = start;
	chase_set_time(warm, &p->at);
	p->at = start;
	p->samples = xcalloc(sw->repeat, sizeof(*p->samples));
	return 0;
}

/* Walks P's set lap after lap until a lap is no longer faster than the one
 * before, at most a batch's worth: after other sets ran, even a set of half
 * the L2 takes three or four laps to be back where it lives when it runs
 * alone (the lines the first lap brings conflict, and come back through
 * the next level). Laps of at least some thousand loads, for the clock. */
static void rewarm(struct point *p)
{
	uint64_t lap = p->set.nodes > 4096 ? p->set.nodes : 4096, walked = 0;
	double previous = INFINITY;

	while (walked < p->loads) {
		double ns = chase_set_time(lap, &p->at) / (double)lap;

		walked += lap;
		if (ns > previous * 0.95)
			break;
		previous = ns;
	}
}

/* The next repetition of P; REWARM_FIRST when other sets ran since its
 * last (or since it was prepared). */
static void measure_rep(struct point *p, bool rewarm_first)
{
	if (rewarm_first)
		rewarm(p);
	p->samples[p->done++] = chase_set_time(p->loads, &p->at) / (double)p->loads;
}

/* A set's room in the mapping of the sets that take turns: aligned as its
 * pages are. */
static uint64_t region_bytes(uint64_t size, enum page_kind pages)
{
	uint64_t align = pages != PAGES_4K && size >= BENCH_HUGE_PAGE ? BENCH_HUGE_PAGE : 4096;

	return (size + align - 1) / align * align;
}

/* The main sweep's points take turns up to bench_turns_limit, each in its
 * own set, in one mapping: how many of the first points (no larger than
 * LIMIT), which need *BYTES. */
static size_t interleaved_points(const struct point *points, size_t n, uint64_t limit, uint64_t *bytes)
{
	size_t k = 0;

	*bytes = 0;
	for (; k < n && points[k].size <= limit; k++)
		*bytes += region_bytes(points[k].size, points[k].policy.pages);
	return k;
}

/* Measures the first NSETS POINTS in rounds (see interleaved_points);
 * returns how many were measured at least once, or -1. */
static long measure_interleaved(const struct bench_context *ctx, struct point *points, size_t nsets, uint64_t bytes,
				const struct sweep *sw, struct ml_error *err)
{
	struct bench_memory mem;
	uint64_t offset = 0;
	size_t ready = 0;

	if (nsets == 0)
		return 0;
	if (bench_memory_map(&mem, bytes, points[0].policy.pages, err) < 0)
		return -1;
	for (; ready < nsets && !interrupt_requested(); ready++) {
		struct point *p = &points[ready];

		bench_progress(ctx, "linking %zu of %zu sets", ready + 1, nsets);
		p->pages_got = page_kind_names[mem.got];
		if (prepare(p, (unsigned char *)mem.base + offset, sw, sw->seed_given ? sw->seed : ready + 1, err) < 0)
			break;
		offset += region_bytes(p->size, p->policy.pages);
	}
	for (unsigned r = 0; r < sw->repeat && ready == nsets && !interrupt_requested(); r++)
		for (size_t i = 0; i < nsets && !interrupt_requested(); i++) {
			char size[32];

			units_format_size(points[i].size, size, sizeof(size));
			bench_progress(ctx, "round %u of %u, %s", r + 1, sw->repeat, size);
			measure_rep(&points[i], true);
		}
	bench_memory_unmap(&mem);
	if (ready < nsets)
		return interrupt_requested() ? 0 : -1;
	while (ready > 0 && points[ready - 1].done == 0)
		ready--;
	return (long)ready;
}

/* Measures P alone in MEM, all its repetitions one after another. */
static int measure_alone(struct point *p, struct bench_memory *mem, const struct sweep *sw, uint64_t seed,
			 struct ml_error *err)
{
	p->pages_got = page_kind_names[mem->got];
	if (prepare(p, mem->base, sw, seed, err) < 0)
		return -1;
	for (unsigned r = 0; r < sw->repeat; r++)
		measure_rep(p, false);
	return 0;
}

enum { L_SIZE, L_ORDER, L_PAGES, L_LOADS, L_NS, L_CYCLES, L_MIN, L_P5, L_P95, L_MAD, L_UNSTABLE, NLCOLUMNS };

static const struct bench_column latency_columns[NLCOLUMNS] = {
	[L_SIZE] = BENCH_KEY("size_bytes", "working set", TABLE_RIGHT),
	[L_ORDER] = BENCH_KEY("order", "order", TABLE_LEFT),
	[L_PAGES] = BENCH_KEY("pages", "pages", TABLE_LEFT),
	[L_LOADS] = BENCH_KEY("loads", "loads", TABLE_RIGHT),
	[L_NS] = BENCH_STAT("latency_ns", "ns", FROM_MEDIAN, "%.3f"),
	[L_CYCLES] = BENCH_STAT("latency_cycles", "cycles", FROM_CYCLES, "%.2f"),
	[L_MIN] = BENCH_STAT("latency_ns_min", "min", FROM_MIN, "%.3f"),
	[L_P5] = BENCH_STAT("latency_ns_p5", "p5", FROM_P5, "%.3f"),
	[L_P95] = BENCH_STAT("latency_ns_p95", "p95", FROM_P95, "%.3f"),
	[L_MAD] = BENCH_STAT("latency_ns_mad", "MAD", FROM_MAD, "%.3f"),
	[L_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("size_bytes", "working set", TABLE_RIGHT),
	BENCH_KEY("order", "order", TABLE_LEFT),
	BENCH_KEY("pages", "pages", TABLE_LEFT),
	BENCH_REP,
	BENCH_SAMPLE("latency_ns", "ns", "%.4f"),
};

static void add_point(struct bench_series *s, struct point *p)
{
	char size[32], size_csv[32];

	units_format_size(p->size, size, sizeof(size));
	snprintf(size_csv, sizeof(size_csv), "%" PRIu64, p->size);
	bench_point(s);
	bench_set(s, L_SIZE, size_csv, size);
	bench_set(s, L_ORDER, p->policy.random_order ? "random" : "tlb", NULL);
	bench_set(s, L_PAGES, p->pages_got, NULL);
	bench_setf(s, L_LOADS, "%" PRIu64, p->loads);
	bench_samples(s, p->samples, p->done, &p->st);
}

enum { V_LEVEL, V_NS, V_CYCLES, V_ENDS, V_HWLOC, V_HWLOC_SIZE, V_AGREES, NVCOLUMNS };

static const struct table_column level_columns[NVCOLUMNS] = {
	[V_LEVEL] = { "level", "level", TABLE_LEFT },
	[V_NS] = { "latency_ns", "ns", TABLE_RIGHT },
	[V_CYCLES] = { "latency_cycles", "cycles", TABLE_RIGHT },
	[V_ENDS] = { "ends_bytes", "ends at", TABLE_RIGHT },
	[V_HWLOC] = { "hwloc_cache", "hwloc says", TABLE_LEFT },
	[V_HWLOC_SIZE] = { "hwloc_size_bytes", "of", TABLE_RIGHT },
	[V_AGREES] = { "agrees", "agrees", TABLE_LEFT },
};

/* A physically indexed cache larger than a page times its ways has several
 * page colours: with 4 KiB pages placed wherever the kernel has room, some
 * colours get more of a working set than their sets hold, and the cache
 * misses before it is full (a 1 MiB L2 seems to end near 0.8 MiB). */
static bool coloured(const struct topo_cache_level *c)
{
	uint64_t ways = c->ways > 0 ? (uint64_t)c->ways : 16; /* unknown: a usual 16 */

	return c->ways != -1 && c->size / ways > 4096;
}

/* Detected levels beside hwloc's data caches, in order; a level agrees
 * when hwloc's size lies within one sweep step of where it ends. With
 * 4 KiB pages a coloured cache's edge may lie up to half its size early
 * ("page-colouring": the machine is as it says, the pages are not). A cache
 * whose edge lies beyond the sweep (which ends at SWEEP_MAX) cannot be
 * seen, which is no disagreement; and the last plateau is memory only
 * when the sweep went well past the largest cache. */
static struct table *levels_table(const struct topo *t, const struct level *lv, size_t n, double ghz,
				  uint64_t sweep_max, bool small_pages, unsigned *disagreements)
{
	struct table *tab = table_new(level_columns, NVCOLUMNS);
	size_t next_cache = 0, rows = n > 0 ? n : 0;
	bool memory_reached = (double)sweep_max >= 2.0 * (double)topo_largest_data_cache(t);

	*disagreements = 0;
	for (size_t i = 0; i < rows || next_cache < topo_cache_levels(t); i++) {
		const struct topo_cache_level *c = NULL;
		bool is_memory = memory_reached && i + 1 == n, detected = i < n;
		bool last_plateau = i + 1 == n && !memory_reached;
		char ends[32], ends_csv[24], hw[32], hw_csv[24];

		while (next_cache < topo_cache_levels(t) &&
		       topo_cache_level(t, next_cache)->type == TOPO_CACHE_INSTRUCTION)
			next_cache++;
		if ((detected && !is_memory) || !detected)
			c = next_cache < topo_cache_levels(t) ? topo_cache_level(t, next_cache++) : NULL;
		if (!detected && !c)
			break;
		table_add_row(tab);
		if (detected) {
			table_setf(tab, V_LEVEL, "%s", is_memory ? "memory" : "");
			if (!is_memory)
				table_setf(tab, V_LEVEL, "%zu", i + 1);
			table_setf(tab, V_NS, "%.2f", lv[i].latency_ns);
			table_setf(tab, V_CYCLES, "%.1f", lv[i].latency_ns * ghz);
			if (!is_memory && !last_plateau) {
				units_format_size((uint64_t)lv[i].capacity / 1024 * 1024, ends, sizeof(ends));
				snprintf(ends_csv, sizeof(ends_csv), "%.0f", lv[i].capacity);
				table_set(tab, V_ENDS, ends_csv, ends);
			}
		} else {
			table_set(tab, V_LEVEL, "-", "(not seen)");
		}
		if (c) {
			units_format_size(c->size, hw, sizeof(hw));
			snprintf(hw_csv, sizeof(hw_csv), "%" PRIu64, c->size);
			table_set(tab, V_HWLOC, c->name, NULL);
			table_set(tab, V_HWLOC_SIZE, hw_csv, hw);
			if ((double)c->size * 1.25 > (double)sweep_max) {
				/* its edge would lie past the largest working set:
				 * whatever level the curve shows here is not it */
				table_set(tab, V_AGREES, "beyond-sweep", "beyond the sweep");
			} else if (detected && !is_memory) {
				/* within one sweep step (a quarter doubling) either way */
				bool agrees = (double)c->size <= lv[i].capacity * 1.25 &&
					      (double)c->size * 1.25 >= lv[i].capacity;
				bool colouring = !agrees && small_pages && coloured(c) &&
						 lv[i].capacity < (double)c->size && lv[i].capacity >= 0.5 * (double)c->size;

				if (colouring)
					table_set(tab, V_AGREES, "page-colouring", "short: 4 KiB pages");
				else
					table_set(tab, V_AGREES, agrees ? "yes" : "no", agrees ? "yes" : "NO");
				*disagreements += !agrees && !colouring;
			} else {
				table_set(tab, V_AGREES, "no", "NO");
				(*disagreements)++;
			}
		}
	}
	return tab;
}

#define DEFAULT_MAX_CAP (1ull << 30)
#define DRAM_POINT (256ull << 20)

/* The largest working set: MAX when given, else 4x the last-level cache,
 * at most 1 GiB (16 MiB quick), capped to half the memory available
 * (*CAPPED). */
static uint64_t largest_set(const struct bench_context *ctx, const struct latency_config *c, bool *capped)
{
	uint64_t llc = topo_largest_data_cache(ctx->topo);
	uint64_t want = ctx->quick ? 16u << 20 : llc ? (4 * llc < DEFAULT_MAX_CAP ? 4 * llc : DEFAULT_MAX_CAP) : DRAM_POINT;

	*capped = false;
	return c->max ? c->max : bench_memory_cap(want, 1, capped);
}

static void check_latency(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	struct latency_config *c = config;
	bool capped;
	uint64_t max = largest_set(ctx, c, &capped);

	c->cpu_given = cli_given(args, OPT_CPU);
	if (c->stride % 8)
		cli_usage_error(args, "invalid --stride '%s' (a multiple of 8)", args->values[OPT_STRIDE]);
	if (c->max)
		bench_memory_must_fit(args, OPT_MAX, c->max, 1);
	if (c->min > max || max < 2 * c->stride)
		cli_usage_error(args, "--min must be at most --max, and --max at least two strides");
}

/* The main sweep's NPOINTS (sizes from MIN to MAX): those that fit the
 * private caches take turns, the larger ones run one after another in one
 * mapping. Returns how many were measured, or -1. */
static long measure_sweep(const struct bench_context *ctx, struct point *points, size_t npoints, uint64_t max,
			  const struct sweep *sw, struct ml_error *err)
{
	struct bench_memory mem;
	uint64_t bytes;
	size_t nsets = interleaved_points(points, npoints, bench_turns_limit(ctx->topo), &bytes);
	long measured = measure_interleaved(ctx, points, nsets, bytes, sw, err);

	if (measured < 0 || nsets == npoints || interrupt_requested())
		return measured;
	if (bench_memory_map(&mem, max, points[0].policy.pages, err) < 0)
		return -1;
	for (size_t i = nsets; i < npoints && !interrupt_requested(); i++) {
		char size[32];

		units_format_size(points[i].size, size, sizeof(size));
		bench_progress(ctx, "%s (%zu of %zu)", size, i + 1, npoints);
		if (measure_alone(&points[i], &mem, sw, sw->seed_given ? sw->seed : i + 1, err) < 0) {
			measured = -1;
			break;
		}
		measured++;
	}
	bench_memory_unmap(&mem);
	return measured;
}

/* At a DRAM size, the other page policies than POLICY: what the TLB costs.
 * Into POINTS; returns how many were measured, or -1. */
static long measure_policies(const struct bench_context *ctx, struct policy policy, struct point *points,
			     const struct sweep *sw, struct ml_error *err)
{
	const struct policy extras[] = { { !policy.random_order, PAGES_4K }, { policy.random_order, PAGES_THP } };
	struct bench_memory mem;
	long measured = 0;

	for (size_t k = 0; k < 2 && !interrupt_requested(); k++) {
		bench_progress(ctx, "%s order, %s pages at 256 MiB", extras[k].random_order ? "random" : "tlb",
			       page_kind_names[extras[k].pages]);
		if (bench_memory_map(&mem, DRAM_POINT, extras[k].pages, err) < 0)
			return -1;
		points[measured] = (struct point){ .size = DRAM_POINT, .policy = extras[k] };
		if (measure_alone(&points[measured], &mem, sw, 7, err) < 0) {
			bench_memory_unmap(&mem);
			return -1;
		}
		measured++;
		if (mem.note[0])
			rundir_set(ctx->run, "latency.pages_note", mem.note);
		bench_memory_unmap(&mem);
	}
	return measured;
}

/* The points' rows, and the levels their main sweep's latencies show
 * beside hwloc's caches. */
static void add_results(const struct bench_context *ctx, struct bench_result *r, struct point *points,
			size_t npoints, size_t nsweep, uint64_t max)
{
	struct bench_series *s = bench_series(r, "latency", NULL, latency_columns, NLCOLUMNS, sample_columns,
					      sizeof(sample_columns) / sizeof(sample_columns[0]));
	uint64_t *sizes = xcalloc(npoints + 1, sizeof(*sizes));
	double *ns = xcalloc(npoints + 1, sizeof(*ns)), ghz = ctx->clock->cycles_per_ns;
	struct level lv[LEVELS_MAX];
	size_t nlevels = 0;
	unsigned disagreements;
	struct table *levels;
	char caption[96];

	for (size_t i = 0; i < npoints; i++) {
		add_point(s, &points[i]);
		if (i < nsweep) {
			sizes[nlevels] = points[i].size;
			ns[nlevels++] = points[i].st.median;
		}
	}
	nlevels = levels_detect(sizes, ns, nlevels, 0.15, lv, LEVELS_MAX);
	levels = levels_table(ctx->topo, lv, nlevels, ghz, max, npoints > 0 && strcmp(points[0].pages_got, "4k") == 0,
			      &disagreements);
	snprintf(caption, sizeof(caption), "\ndetected levels beside hwloc's%s\n\n",
		 disagreements ? " (disagreements flagged)" : "");
	bench_table(r, "levels.csv", levels, caption);
	free(sizes);
	free(ns);
}

static int measure_latency(const struct bench_context *ctx, const void *config, struct bench_result *r,
			   struct ml_error *err)
{
	const struct latency_config *c = config;
	struct policy policy = { c->order == ORDER_RANDOM, c->pages };
	struct sweep sw = { c->stride, c->block, c->repeat, ctx->quick ? 1.5e6 : 10e6, ctx->seed_given, ctx->seed };
	unsigned cpu = c->cpu_given ? c->cpu : topo_usable_pu_at(ctx->topo, 0);
	uint64_t llc = topo_largest_data_cache(ctx->topo), *sizes;
	bool capped;
	uint64_t max = largest_set(ctx, c, &capped);
	size_t n = sweep_sizes(ctx->topo, c->min, max, c->stride, ctx->quick, &sizes), npoints = 0;
	struct point *points = xcalloc(n + 2, sizeof(*points));
	long measured;
	char block[32];

	if (capped)
		rundir_setf(ctx->run, "latency.max_note",
			    "the largest working set is %" PRIu64 " bytes: half the memory available", max);
	if (topo_pin_current_thread(ctx->topo, cpu, err) < 0)
		rundir_unavailable(ctx->run, "latency pinning", err->msg);
	for (size_t i = 0; i < n; i++)
		points[i] = (struct point){ .size = sizes[i], .policy = policy };
	measured = measure_sweep(ctx, points, n, max, &sw, err);
	npoints = measured > 0 ? (size_t)measured : 0;
	if (measured >= 0 && npoints == n && !ctx->quick && max >= DRAM_POINT && !interrupt_requested()) {
		long extra = measure_policies(ctx, policy, points + npoints, &sw, err);

		measured = extra < 0 ? -1 : measured;
		npoints += extra > 0 ? (size_t)extra : 0;
	}
	add_results(ctx, r, points, npoints, n, max);
	units_format_size(c->block, block, sizeof(block));
	bench_heading(r, "load-to-use latency, %s order%s%s%s, %s pages, %u-byte stride, CPU %u, core clock %.2f GHz\n\n",
		      policy.random_order ? "random" : "tlb-block", policy.random_order ? "" : " (",
		      policy.random_order ? "" : block, policy.random_order ? "" : " blocks)", page_kind_names[policy.pages],
		      c->stride, cpu, ctx->clock->cycles_per_ns);
	rundir_set(ctx->run, "latency.order", order_names[c->order]);
	rundir_setf(ctx->run, "latency.tlb_block_bytes", "%" PRIu64, c->block);
	rundir_set(ctx->run, "latency.pages_asked", page_kind_names[policy.pages]);
	rundir_setf(ctx->run, "latency.stride_bytes", "%u", c->stride);
	rundir_setf(ctx->run, "latency.cpu", "%u", cpu);
	if (!c->max && !ctx->quick && llc && 4 * llc > DEFAULT_MAX_CAP)
		rundir_set(ctx->run, "latency.max_note", "4x the last-level cache exceeds 1 GiB: capped (use --max)");
	for (size_t i = 0; i < n + 2; i++)
		free(points[i].samples);
	free(points);
	free(sizes);
	return measured < 0 ? -1 : 0;
}

const struct benchmark bench_latency = {
	.name = "latency",
	.summary = "load-to-use latency by working-set size, and the levels it reveals",
	.description =
		"Chases pointers through one random cycle of cache lines (no prefetcher or\n"
		"out-of-order execution can hide a load), for working sets from --min to --max,\n"
		"timing batches of loads over several repetitions. Finds the plateaus of the\n"
		"curve and sets them beside the caches hwloc reports. At 256 MiB it also\n"
		"measures the other page policies, to show what the TLB costs.\n",
	.options = options,
	.noptions = NOPTIONS,
	.config_size = sizeof(struct latency_config),
	.check = check_latency,
	.measure = measure_latency,
};
