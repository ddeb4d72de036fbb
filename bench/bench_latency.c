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

enum { OPT_MIN, OPT_MAX, OPT_STRIDE, OPT_ORDER, OPT_TLB_BLOCK, OPT_PAGES, OPT_REPEAT, OPT_CPU, NOPTIONS };

static const char *const order_names[] = { "tlb", "random" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_MIN] = { .name = "min", .arg = "SIZE", .type = CLI_SIZE, .def = "1K", .help = "smallest working set" },
	[OPT_MAX] = { .name = "max", .arg = "SIZE", .type = CLI_SIZE,
		      .help = "largest working set (default 4x the last-level cache, at most 1G; 16M with --quick)" },
	[OPT_STRIDE] = { .name = "stride", .arg = "BYTES", .type = CLI_UINT, .min = 8, .max = 1 << 20, .def = "64",
			 .help = "distance between the chased nodes" },
	[OPT_ORDER] = { .name = "order", .arg = "ORDER", .type = CLI_CHOICE, CLI_CHOICES_OF(order_names), .def = "tlb",
			.help = "tlb: random order kept within --tlb-block blocks; random: across the whole set" },
	[OPT_TLB_BLOCK] = { .name = "tlb-block", .arg = "SIZE", .type = CLI_SIZE, .def = "256K",
			    .help = "the block of --order tlb; 256K is what 64 entries of 4 KiB pages cover" },
	[OPT_PAGES] = { .name = "pages", .arg = "KIND", .type = CLI_CHOICE, CLI_CHOICES_OF(page_kind_names), .def = "4k",
			.help = "4k, thp (transparent huge pages) or hugetlb" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .help = "timed repetitions per size" },
	[OPT_CPU] = { .name = "cpu", .arg = "N", .type = CLI_UINT, .max = UINT32_MAX,
		      .help = "the CPU to run on (default: the first one this process may use)" },
};

struct policy {
	int random_order;
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
static int prepare(struct point *p, void *memory, uint64_t stride, uint64_t block, unsigned repeat,
		   double target_ns, uint64_t seed, struct ml_error *err)
{
	const uint64_t *start;
	uint64_t warm;
	double ns;

	if (chase_set_link(&p->set, memory, p->size, stride, p->policy.random_order ? p->size : block, seed,
			   err) < 0)
		return -1;
	start = p->at = chase_set_node(&p->set, 0);
	ns = chase_set_time(100000, &p->at);
	p->loads = (uint64_t)(target_ns / (ns / 100000.0));
	if (p->loads < 100000)
		p->loads = 100000;
	warm = p->loads * repeat < p->set.nodes ? p->loads * repeat : p->set.nodes < 10000 ? 10000 : p->set.nodes;
	p->at = start;
	chase_set_time(warm, &p->at);
	p->at = start;
	p->samples = xcalloc(repeat, sizeof(*p->samples));
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
static long measure_interleaved(struct point *points, size_t nsets, uint64_t bytes, uint64_t stride,
				uint64_t block, unsigned repeat, double target_ns, const struct cli_args *args,
				struct ml_error *err)
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

		progress_update("latency: linking %zu of %zu sets", ready + 1, nsets);
		p->pages_got = page_kind_names[mem.got];
		if (prepare(p, (unsigned char *)mem.base + offset, stride, block, repeat, target_ns,
			    args->seed_given ? args->seed : ready + 1, err) < 0)
			break;
		offset += region_bytes(p->size, p->policy.pages);
	}
	for (unsigned r = 0; r < repeat && ready == nsets && !interrupt_requested(); r++)
		for (size_t i = 0; i < nsets && !interrupt_requested(); i++) {
			char size[32];

			units_format_size(points[i].size, size, sizeof(size));
			progress_update("latency: round %u of %u, %s", r + 1, repeat, size);
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
static int measure_alone(struct point *p, struct bench_memory *mem, uint64_t stride, uint64_t block,
			 unsigned repeat, double target_ns, uint64_t seed, struct ml_error *err)
{
	p->pages_got = page_kind_names[mem->got];
	if (prepare(p, mem->base, stride, block, repeat, target_ns, seed, err) < 0)
		return -1;
	for (unsigned r = 0; r < repeat; r++)
		measure_rep(p, false);
	return 0;
}

enum { L_SIZE, L_ORDER, L_PAGES, L_LOADS, L_NS, L_CYCLES, L_MIN, L_P5, L_P95, L_MAD, L_UNSTABLE, NLCOLUMNS };

static const struct table_column latency_columns[NLCOLUMNS] = {
	[L_SIZE] = { "size_bytes", "working set", TABLE_RIGHT },
	[L_ORDER] = { "order", "order", TABLE_LEFT },
	[L_PAGES] = { "pages", "pages", TABLE_LEFT },
	[L_LOADS] = { "loads", "loads", TABLE_RIGHT },
	[L_NS] = { "latency_ns", "ns", TABLE_RIGHT },
	[L_CYCLES] = { "latency_cycles", "cycles", TABLE_RIGHT },
	[L_MIN] = { "latency_ns_min", "min", TABLE_RIGHT },
	[L_P5] = { "latency_ns_p5", "p5", TABLE_RIGHT },
	[L_P95] = { "latency_ns_p95", "p95", TABLE_RIGHT },
	[L_MAD] = { "latency_ns_mad", "MAD", TABLE_RIGHT },
	[L_UNSTABLE] = { "unstable", "stable", TABLE_LEFT },
};

enum { S_SIZE, S_ORDER, S_PAGES, S_REP, S_NS, NSCOLUMNS };

static const struct table_column sample_columns[NSCOLUMNS] = {
	[S_SIZE] = { "size_bytes", "working set", TABLE_RIGHT },
	[S_ORDER] = { "order", "order", TABLE_LEFT },
	[S_PAGES] = { "pages", "pages", TABLE_LEFT },
	[S_REP] = { "rep", "rep", TABLE_RIGHT },
	[S_NS] = { "latency_ns", "ns", TABLE_RIGHT },
};

static void add_point_rows(struct table *t, struct table *samples, const struct point *p, double ghz)
{
	char size[32], size_csv[32];
	const char *order = p->policy.random_order ? "random" : "tlb";

	units_format_size(p->size, size, sizeof(size));
	snprintf(size_csv, sizeof(size_csv), "%" PRIu64, p->size);
	table_add_row(t);
	table_set(t, L_SIZE, size_csv, size);
	table_set(t, L_ORDER, order, NULL);
	table_set(t, L_PAGES, p->pages_got, NULL);
	table_setf(t, L_LOADS, "%" PRIu64, p->loads);
	table_setf(t, L_NS, "%.3f", p->st.median);
	table_setf(t, L_CYCLES, "%.2f", p->st.median * ghz);
	table_setf(t, L_MIN, "%.3f", p->st.min);
	table_setf(t, L_P5, "%.3f", p->st.p5);
	table_setf(t, L_P95, "%.3f", p->st.p95);
	table_setf(t, L_MAD, "%.3f", p->st.mad);
	bench_set_stability(t, L_UNSTABLE, &p->st);
	for (size_t r = 0; r < p->st.n; r++) {
		table_add_row(samples);
		table_set(samples, S_SIZE, size_csv, NULL);
		table_set(samples, S_ORDER, order, NULL);
		table_set(samples, S_PAGES, p->pages_got, NULL);
		table_setf(samples, S_REP, "%zu", r);
		table_setf(samples, S_NS, "%.4f", p->samples[r]);
	}
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

static int run_latency(struct bench_context *ctx, struct ml_error *err)
{
	const struct cli_args *args = ctx->args;
	uint64_t llc = topo_largest_data_cache(ctx->topo);
	uint64_t min = cli_size(args, OPT_MIN);
	uint64_t max_default = args->quick ? 16u << 20 : llc ? (4 * llc < DEFAULT_MAX_CAP ? 4 * llc : DEFAULT_MAX_CAP)
										    : DRAM_POINT;
	uint64_t max = cli_given(args, OPT_MAX) ? cli_size(args, OPT_MAX) : max_default;
	uint64_t stride = cli_uint(args, OPT_STRIDE);
	uint64_t block = cli_size(args, OPT_TLB_BLOCK);
	unsigned repeat = (unsigned)cli_uint(args, OPT_REPEAT);
	unsigned cpu = cli_given(args, OPT_CPU) ? (unsigned)cli_uint(args, OPT_CPU) : topo_usable_pu_at(ctx->topo, 0);
	double target_ns = args->quick ? 1.5e6 : 10e6, ghz = ctx->clock->cycles_per_ns;
	struct policy main_policy = { 0, PAGES_4K };
	struct bench_memory mem;
	struct point *points;
	uint64_t *sizes;
	size_t n, npoints = 0;
	struct table *t, *samples, *levels;
	uint64_t *lv_sizes;
	double *lv_ns;
	struct level lv[LEVELS_MAX];
	size_t nlevels;
	unsigned disagreements;
	int rc = 0;

	main_policy.random_order = cli_choice(args, OPT_ORDER) == 1;
	main_policy.pages = (enum page_kind)cli_choice(args, OPT_PAGES);
	if (stride % 8)
		cli_usage_error(args, "invalid --stride '%s' (a multiple of 8)", args->values[OPT_STRIDE]);
	if (args->values[OPT_MAX]) {
		bench_memory_must_fit(args, OPT_MAX, max, 1);
	} else {
		bool capped;

		max = bench_memory_cap(max, 1, &capped);
		if (capped)
			rundir_setf(ctx->run, "latency.max_note",
				    "the largest working set is %" PRIu64 " bytes: half the memory available", max);
	}
	if (min > max || max < 2 * stride)
		cli_usage_error(args, "--min must be at most --max, and --max at least two strides");
	if (topo_pin_current_thread(ctx->topo, cpu, err) < 0)
		rundir_unavailable(ctx->run, "latency pinning", err->msg);

	n = sweep_sizes(ctx->topo, min, max, stride, args->quick, &sizes);
	points = xcalloc(n + 2, sizeof(*points));
	for (size_t i = 0; i < n; i++)
		points[i] = (struct point){ .size = sizes[i], .policy = main_policy };
	{
		uint64_t bytes;
		size_t nsets = interleaved_points(points, n, bench_turns_limit(ctx->topo), &bytes);
		long measured = measure_interleaved(points, nsets, bytes, stride, block, repeat, target_ns, args, err);

		if (measured < 0)
			rc = -1;
		else
			npoints = (size_t)measured;
		/* The larger sets, one after another in one mapping. */
		if (rc == 0 && nsets < n && !interrupt_requested()) {
			if (bench_memory_map(&mem, max, main_policy.pages, err) < 0)
				rc = -1;
			for (size_t i = nsets; rc == 0 && i < n && !interrupt_requested(); i++) {
				char size[32];

				units_format_size(sizes[i], size, sizeof(size));
				progress_update("latency: %s (%zu of %zu)", size, i + 1, n);
				rc = measure_alone(&points[i], &mem, stride, block, repeat, target_ns,
						   args->seed_given ? args->seed : i + 1, err);
				npoints += rc == 0;
			}
			bench_memory_unmap(&mem);
		}
	}
	/* At a DRAM size, the other page policies: what the TLB costs. */
	if (rc == 0 && !args->quick && max >= DRAM_POINT && !interrupt_requested()) {
		const struct policy extras[] = { { !main_policy.random_order, PAGES_4K }, { main_policy.random_order, PAGES_THP } };

		for (size_t k = 0; k < 2 && rc == 0; k++) {
			progress_update("latency: %s order, %s pages at 256 MiB", extras[k].random_order ? "random" : "tlb",
					page_kind_names[extras[k].pages]);
			if (bench_memory_map(&mem, DRAM_POINT, extras[k].pages, err) < 0) {
				rc = -1;
				break;
			}
			points[npoints] = (struct point){ .size = DRAM_POINT, .policy = extras[k] };
			rc = measure_alone(&points[npoints], &mem, stride, block, repeat, target_ns, 7, err);
			npoints += rc == 0;
			if (mem.note[0])
				rundir_set(ctx->run, "latency.pages_note", mem.note);
			bench_memory_unmap(&mem);
		}
	}
	progress_done();

	t = table_new(latency_columns, NLCOLUMNS);
	samples = table_new(sample_columns, NSCOLUMNS);
	lv_sizes = xcalloc(npoints + 1, sizeof(*lv_sizes));
	lv_ns = xcalloc(npoints + 1, sizeof(*lv_ns));
	nlevels = 0;
	for (size_t i = 0; i < npoints; i++) {
		stats_compute(points[i].samples, points[i].done, &points[i].st);
		add_point_rows(t, samples, &points[i], ghz);
		if (points[i].policy.random_order == main_policy.random_order &&
		    points[i].policy.pages == main_policy.pages && i < n) {
			lv_sizes[nlevels] = points[i].size;
			lv_ns[nlevels++] = points[i].st.median;
		}
	}
	nlevels = levels_detect(lv_sizes, lv_ns, nlevels, 0.15, lv, LEVELS_MAX);
	levels = levels_table(ctx->topo, lv, nlevels, ghz, max, npoints > 0 && strcmp(points[0].pages_got, "4k") == 0,
			      &disagreements);
	if (ctx->out && args->csv) {
		table_print_csv(t, ctx->out);
	} else if (ctx->out) {
		char block_text[32];

		units_format_size(block, block_text, sizeof(block_text));
		fprintf(ctx->out, "load-to-use latency, %s order%s%s%s, %s pages, %" PRIu64 "-byte stride, CPU %u, core clock %.2f GHz\n\n",
			main_policy.random_order ? "random" : "tlb-block", main_policy.random_order ? "" : " (",
			main_policy.random_order ? "" : block_text, main_policy.random_order ? "" : " blocks)",
			page_kind_names[main_policy.pages], stride, cpu, ghz);
		table_print_human(t, ctx->out);
		fprintf(ctx->out, "\ndetected levels beside hwloc's%s\n\n", disagreements ? " (disagreements flagged)" : "");
		table_print_human(levels, ctx->out);
	}
	rundir_set(ctx->run, "latency.order", main_policy.random_order ? "random" : "tlb");
	rundir_setf(ctx->run, "latency.tlb_block_bytes", "%" PRIu64, block);
	rundir_set(ctx->run, "latency.pages_asked", page_kind_names[main_policy.pages]);
	rundir_setf(ctx->run, "latency.stride_bytes", "%" PRIu64, stride);
	rundir_setf(ctx->run, "latency.cpu", "%u", cpu);
	if (!args->values[OPT_MAX] && !args->quick && llc && 4 * llc > DEFAULT_MAX_CAP)
		rundir_set(ctx->run, "latency.max_note", "4x the last-level cache exceeds 1 GiB: capped (use --max)");
	if (rc == 0 && (rundir_save_table(ctx->run, "latency.csv", t, err) < 0 ||
			rundir_save_table(ctx->run, "latency-samples.csv", samples, err) < 0 ||
			rundir_save_table(ctx->run, "levels.csv", levels, err) < 0))
		rc = -1;
	table_free(t);
	table_free(samples);
	table_free(levels);
	for (size_t i = 0; i < n + 2; i++)
		free(points[i].samples);
	free(points);
	free(sizes);
	free(lv_sizes);
	free(lv_ns);
	return rc;
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
	.run = run_latency,
};
