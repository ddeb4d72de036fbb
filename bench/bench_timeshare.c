/* 'mesilab bench timeshare': what sharing one PU between two tasks costs.
 * The direct cost is the switch itself: a pass of the turn there and back
 * (two switches) less the system calls of the hand-off made without one,
 * halved, as lmbench's lat_ctx reckons it. The indirect cost is what the
 * caches lose: after the other task read its working set, the time the
 * first needs to chase its own once more, less the time of a chase right
 * after (the same turn's warm one). */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "chase_set.h"
#include "interrupt.h"
#include "memory.h"
#include "memory_avail.h"
#include "progress.h"
#include "turns.h"
#include "units.h"
#include "xalloc.h"

struct timeshare_config {
	struct cli_list own, competitor; /* empty: from the caches */
	bool tasks[TURNS_NTASKS], handoffs[TURNS_NHANDOFFS];
	unsigned repeat, cpu;
	bool cpu_given; /* else the first PU this process may use */
};

enum { OPT_OWN, OPT_COMPETITOR, OPT_TASKS, OPT_HANDOFF, OPT_REPEAT, OPT_CPU, NOPTIONS };

#define FIELD(member) CLI_FIELD(struct timeshare_config, member)

static const struct cli_option options[NOPTIONS] = {
	[OPT_OWN] = { .name = "own", .arg = "LIST", .type = CLI_SIZES, .min = 2 * 64, FIELD(own),
		      .help = "the timed task's working sets (default: half of each data cache level, at most 4M; the first two with --quick)" },
	[OPT_COMPETITOR] = { .name = "competitor", .arg = "LIST", .type = CLI_SIZES, FIELD(competitor),
			     .help = "the other task's working sets, 0 for none (default: 0, then 4K doubling up to 4x the largest cache, at most 256M; quadrupling up to 16M with --quick)" },
	[OPT_TASKS] = { .name = "tasks", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(turns_task_names), FIELD(tasks),
			.help = "process (separate address spaces, as lat_ctx) and thread (one process); default both, the first for the refill" },
	[OPT_HANDOFF] = { .name = "handoff", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(turns_handoff_names),
			  FIELD(handoffs), .help = "pipe (as lat_ctx) and futex; default both, the first for the refill" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "7", .quick = "3",
			 .full = "15", FIELD(repeat), .help = "timed repetitions per point" },
	[OPT_CPU] = { .name = "cpu", .arg = "N", .type = CLI_UINT, .max = UINT32_MAX, FIELD(cpu),
		      .help = "the PU both tasks share (default: the first one this process may use)" },
};

/* The timed task chases its set twice a turn: 64 Ki lines of 4 MiB take
 * milliseconds from memory, and larger ones add little (the curve has
 * levelled off by then). */
#define OWN_CAP (4u << 20)
#define COMPETITOR_CAP (256u << 20)
#define QUICK_COMPETITOR_CAP (16u << 20)
#define COMPETITOR_SMALLEST (4u << 10)
/* When hwloc knows no cache: an L1 and an L2 of a small core. */
#define FALLBACK_OWN_SMALL (16u << 10)
#define FALLBACK_OWN_LARGE (256u << 10)
#define FALLBACK_CACHE (32u << 20)
/* A repetition of the switch: this long or this many passes. */
#define SWITCH_PASSES 20000
/* A repetition of a refill point: at least MIN_TURNS turns, more while
 * under its time, at most MAX_TURNS. */
#define MIN_TURNS 3
#define MAX_TURNS 64
#define WARMUP_PASSES 200

struct settings {
	const struct bench_context *ctx;
	unsigned repeat, line;
	double rep_ns;
	uint64_t seed;
};

/* Half of each data cache level: a set that fits it with room to spare. */
static size_t default_own(const struct topo *t, bool quick, uint64_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < topo_cache_levels(t) && n < (quick ? 2u : CLI_LIST_MAX); i++) {
		const struct topo_cache_level *c = topo_cache_level(t, i);
		uint64_t half = c->size / 2 < OWN_CAP ? c->size / 2 : OWN_CAP;

		if (c->type != TOPO_CACHE_INSTRUCTION && half >= 2 * 64 && (n == 0 || out[n - 1] != half))
			out[n++] = half;
	}
	if (n == 0) {
		out[n++] = FALLBACK_OWN_SMALL;
		out[n++] = FALLBACK_OWN_LARGE;
	}
	return n;
}

/* 0, then from 4 KiB by doubling (quadrupling with --quick) up to 4x the
 * largest cache, where the other task has evicted all it can, and at least
 * to twice the largest own set. */
static size_t default_competitor(const struct topo *t, bool quick, uint64_t own_max, uint64_t *out)
{
	uint64_t largest = topo_largest_data_cache(t), top = 4 * (largest ? largest : FALLBACK_CACHE);
	uint64_t available = memory_available(NULL) / 4;
	size_t n = 0;

	top = top < COMPETITOR_CAP ? top : COMPETITOR_CAP;
	if (quick && top > QUICK_COMPETITOR_CAP)
		top = QUICK_COMPETITOR_CAP;
	top = top > 2 * own_max ? top : 2 * own_max;
	top = top < available ? top : available;
	out[n++] = 0;
	for (uint64_t b = COMPETITOR_SMALLEST; b <= top && n < CLI_LIST_MAX; b *= quick ? 4 : 2)
		out[n++] = b;
	return n;
}

/* The names chosen, in their order, as indexes into OUT; returns how many. */
static size_t chosen_list(const bool *chosen, size_t n, unsigned *out)
{
	size_t count = 0;

	for (size_t k = 0; k < n; k++)
		if (chosen[k])
			out[count++] = (unsigned)k;
	return count;
}

enum { W_TASKS, W_HANDOFF, W_SWITCH, W_P5, W_P95, W_MAD, W_PASS, W_OVERHEAD, W_UNSTABLE, NWCOLUMNS };

static const struct bench_column switch_columns[NWCOLUMNS] = {
	[W_TASKS] = BENCH_KEY("tasks", "tasks", TABLE_LEFT),
	[W_HANDOFF] = BENCH_KEY("handoff", "hand-off", TABLE_LEFT),
	[W_SWITCH] = BENCH_STAT("switch_ns", "switch ns", FROM_MEDIAN, "%.1f"),
	[W_P5] = BENCH_STAT("switch_ns_p5", "p5", FROM_P5, "%.1f"),
	[W_P95] = BENCH_STAT("switch_ns_p95", "p95", FROM_P95, "%.1f"),
	[W_MAD] = BENCH_STAT("switch_ns_mad", "mad", FROM_MAD, "%.1f"),
	[W_PASS] = BENCH_KEY("pass_ns", "pass ns", TABLE_RIGHT),
	[W_OVERHEAD] = BENCH_KEY("overhead_ns", "overhead ns", TABLE_RIGHT),
	[W_UNSTABLE] = BENCH_KEY("unstable", "stable", TABLE_LEFT), /* judged on the passes */
};

static const struct bench_column switch_sample_columns[] = {
	BENCH_KEY("tasks", "tasks", TABLE_LEFT),
	BENCH_KEY("handoff", "hand-off", TABLE_LEFT),
	BENCH_REP,
	BENCH_SAMPLE("switch_ns", "switch ns", "%.1f"),
};

enum { R_TASKS, R_HANDOFF, R_OWN, R_COMPETITOR, R_REFILL, R_P5, R_P95, R_MAD, R_PER_LINE, R_WARM, R_UNSTABLE, NRCOLUMNS };

static const struct bench_column refill_columns[NRCOLUMNS] = {
	[R_TASKS] = BENCH_KEY("tasks", "tasks", TABLE_LEFT),
	[R_HANDOFF] = BENCH_KEY("handoff", "hand-off", TABLE_LEFT),
	[R_OWN] = BENCH_KEY("own_bytes", "own", TABLE_RIGHT),
	[R_COMPETITOR] = BENCH_KEY("competitor_bytes", "competitor", TABLE_RIGHT),
	[R_REFILL] = BENCH_STAT("refill_ns", "refill ns", FROM_MEDIAN, "%.0f"),
	[R_P5] = BENCH_STAT("refill_ns_p5", "p5", FROM_P5, "%.0f"),
	[R_P95] = BENCH_STAT("refill_ns_p95", "p95", FROM_P95, "%.0f"),
	[R_MAD] = BENCH_STAT("refill_ns_mad", "mad", FROM_MAD, "%.0f"),
	[R_PER_LINE] = BENCH_KEY("refill_ns_per_line", "ns/line", TABLE_RIGHT),
	[R_WARM] = BENCH_KEY("warm_ns", "warm chase ns", TABLE_RIGHT),
	[R_UNSTABLE] = BENCH_KEY("unstable", "stable", TABLE_LEFT), /* judged on the chases after the switch */
};

static const struct bench_column refill_sample_columns[] = {
	BENCH_KEY("tasks", "tasks", TABLE_LEFT),
	BENCH_KEY("handoff", "hand-off", TABLE_LEFT),
	BENCH_KEY("own_bytes", "own", TABLE_RIGHT),
	BENCH_KEY("competitor_bytes", "competitor", TABLE_RIGHT),
	BENCH_REP,
	BENCH_SAMPLE("refill_ns", "refill ns", "%.0f"),
};

/* The results of a run: the switch's and the refill's. */
struct timeshare_tables {
	struct bench_series *sw, *refill;
};

/* The switch of one kind of task and hand-off: REPEAT repetitions, each
 * passes for REP_NS and the hand-off's calls made as often without one. */
static int measure_switch(const struct settings *s, enum turns_tasks tasks, enum turns_handoff handoff,
			  struct timeshare_tables *tt, struct ml_error *err)
{
	struct turns *turns = turns_start(tasks, handoff, 0, s->line, err);
	double *sw = xcalloc(s->repeat, sizeof(*sw)), *pass = xcalloc(s->repeat, sizeof(*pass));
	double *over = xcalloc(s->repeat, sizeof(*over));
	struct stats pass_st, over_st;
	int rc = turns ? 0 : -1;

	for (unsigned i = 0; i < WARMUP_PASSES && rc == 0; i++)
		rc = turns_pass(turns, err);
	for (unsigned r = 0; r < s->repeat && rc == 0; r++) {
		uint64_t start = timer_now_ns(), n = 0;

		bench_progress(s->ctx, "switch, %s, %s, %u of %u", turns_task_names[tasks], turns_handoff_names[handoff],
			       r + 1, s->repeat);
		while (rc == 0 && n < SWITCH_PASSES && (double)(timer_now_ns() - start) < s->rep_ns) {
			rc = turns_pass(turns, err);
			n++;
		}
		pass[r] = (double)(timer_now_ns() - start) / (double)n;
		over[r] = turns_overhead_ns(turns, n);
		sw[r] = (pass[r] - over[r]) / 2;
	}
	turns_stop(turns);
	if (rc == 0) {
		struct bench_series *t = tt->sw;

		stats_compute(pass, s->repeat, &pass_st);
		stats_compute(over, s->repeat, &over_st);
		bench_point(t);
		bench_set(t, W_TASKS, turns_task_names[tasks], NULL);
		bench_set(t, W_HANDOFF, turns_handoff_names[handoff], NULL);
		bench_setf(t, W_PASS, "%.1f", pass_st.median);
		bench_setf(t, W_OVERHEAD, "%.1f", over_st.median);
		/* Judged on the passes: the switch is their difference with
		 * the overhead and may be small beside either. */
		bench_stability(t, W_UNSTABLE, &pass_st);
		bench_samples(t, sw, s->repeat, NULL);
	}
	free(sw);
	free(pass);
	free(over);
	return rc;
}

struct refill_point {
	double refill, first, warm; /* medians over the turns of a repetition */
};

/* One repetition of a point: turns for REP_NS (MIN_TURNS to MAX_TURNS),
 * each a pass, the chase after it and the warm chase right after. */
static int refill_repetition(const struct settings *s, struct turns *turns, const struct chase_set *set,
			     const uint64_t **from, struct refill_point *p, struct ml_error *err)
{
	double refill[MAX_TURNS], first[MAX_TURNS], warm[MAX_TURNS];
	uint64_t start = timer_now_ns();
	struct stats st;
	unsigned n = 0;

	while (n < MAX_TURNS && (n < MIN_TURNS || (double)(timer_now_ns() - start) < s->rep_ns)) {
		if (turns_pass(turns, err) < 0)
			return -1;
		first[n] = chase_set_time(set->nodes, from);
		warm[n] = chase_set_time(set->nodes, from);
		refill[n] = first[n] - warm[n];
		n++;
	}
	stats_compute(refill, n, &st);
	p->refill = st.median;
	stats_compute(first, n, &st);
	p->first = st.median;
	stats_compute(warm, n, &st);
	p->warm = st.median;
	return 0;
}

static void add_refill_row(struct timeshare_tables *tt, enum turns_tasks tasks, enum turns_handoff handoff,
			   uint64_t own, uint64_t competitor, const struct refill_point *reps, unsigned n, size_t nodes)
{
	struct bench_series *t = tt->refill;
	double *refill = xcalloc(n, sizeof(*refill)), *first = xcalloc(n, sizeof(*first)), *warm = xcalloc(n, sizeof(*warm));
	struct stats st, first_st, warm_st;

	for (unsigned r = 0; r < n; r++) {
		refill[r] = reps[r].refill;
		first[r] = reps[r].first;
		warm[r] = reps[r].warm;
	}
	stats_compute(first, n, &first_st);
	stats_compute(warm, n, &warm_st);
	bench_point(t);
	bench_set(t, R_TASKS, turns_task_names[tasks], NULL);
	bench_set(t, R_HANDOFF, turns_handoff_names[handoff], NULL);
	bench_setf(t, R_OWN, "%" PRIu64, own);
	bench_setf(t, R_COMPETITOR, "%" PRIu64, competitor);
	bench_setf(t, R_WARM, "%.0f", warm_st.median);
	/* Judged on the chases after the switch: the refill is a difference
	 * that is near nothing while the other task evicts nothing. */
	bench_stability(t, R_UNSTABLE, &first_st);
	bench_samples(t, refill, n, &st);
	bench_setf(t, R_PER_LINE, "%.2f", st.median / (double)nodes);
	free(refill);
	free(first);
	free(warm);
}

/* The refill of every own set against every competitor, with one kind of
 * task and hand-off. */
static int measure_refill(const struct settings *s, enum turns_tasks tasks, enum turns_handoff handoff,
			  const uint64_t *own, size_t nown, const uint64_t *competitor, size_t ncompetitor,
			  struct timeshare_tables *tt, struct ml_error *err)
{
	uint64_t most = 0;
	struct refill_point *reps = xcalloc(s->repeat, sizeof(*reps));
	struct turns *turns;
	int rc = 0;

	for (size_t c = 0; c < ncompetitor; c++)
		most = competitor[c] > most ? competitor[c] : most;
	turns = turns_start(tasks, handoff, most, s->line, err);
	if (!turns)
		rc = -1;
	for (size_t o = 0; o < nown && rc == 0; o++) {
		struct chase_set set;
		const uint64_t *from;

		if (chase_set_build(&set, own[o], s->line, s->seed + o, err) < 0) {
			rc = -1;
			break;
		}
		from = chase_set_node(&set, 0);
		for (size_t c = 0; c < ncompetitor && rc == 0; c++) {
			char own_text[16], competitor_text[16];
			struct refill_point warmup;

			units_format_size(own[o], own_text, sizeof(own_text));
			units_format_size(competitor[c], competitor_text, sizeof(competitor_text));
			bench_progress(s->ctx, "refill of %s after %s, %zu of %zu", own_text, competitor_text,
				       o * ncompetitor + c + 1, nown * ncompetitor);
			turns_set_competitor(turns, competitor[c]);
			/* The other task's new pages are written in this one. */
			rc = refill_repetition(s, turns, &set, &from, &warmup, err);
			for (unsigned r = 0; r < s->repeat && rc == 0; r++)
				rc = refill_repetition(s, turns, &set, &from, &reps[r], err);
			if (rc == 0)
				add_refill_row(tt, tasks, handoff, own[o], competitor[c], reps, s->repeat, set.nodes);
		}
		chase_set_free(&set);
	}
	turns_stop(turns);
	free(reps);
	return rc;
}

static unsigned line_size(const struct topo *t)
{
	for (size_t i = 0; i < topo_cache_levels(t); i++)
		if (topo_cache_level(t, i)->type != TOPO_CACHE_INSTRUCTION && topo_cache_level(t, i)->line)
			return topo_cache_level(t, i)->line;
	return 64;
}

/* The own and competitor sets, given or from the caches, into OWN and
 * COMPETITOR; *OWN_MAX: the largest own set. */
static void working_sets(const struct bench_context *ctx, const struct timeshare_config *c, struct cli_list *own,
			 struct cli_list *competitor, uint64_t *own_max)
{
	*own = c->own;
	*competitor = c->competitor;
	if (!own->n)
		own->n = default_own(ctx->topo, ctx->quick, own->v);
	*own_max = 0;
	for (size_t o = 0; o < own->n; o++)
		*own_max = own->v[o] > *own_max ? own->v[o] : *own_max;
	if (!competitor->n)
		competitor->n = default_competitor(ctx->topo, ctx->quick, *own_max, competitor->v);
}

static void check_timeshare(const struct cli_args *args, const struct bench_context *ctx, void *config)
{
	struct timeshare_config *c = config;
	struct cli_list own, competitor;
	uint64_t own_max;
	unsigned cpu = cli_given(args, OPT_CPU) ? c->cpu : topo_usable_pu_at(ctx->topo, 0);

	c->cpu_given = cli_given(args, OPT_CPU);
	working_sets(ctx, c, &own, &competitor, &own_max);
	for (size_t i = 0; i < competitor.n; i++)
		bench_memory_must_fit(args, OPT_COMPETITOR, competitor.v[i] + own_max, 1);
	if (!topo_pu_usable(ctx->topo, cpu)) {
		char *usable = topo_usable_list(ctx->topo);

		cli_usage_error(args, "--cpu %u is not a PU this process may use (%s)", cpu, usable);
	}
}

static int measure_timeshare(const struct bench_context *ctx, const void *config, struct bench_result *r,
			     struct ml_error *err)
{
	const struct timeshare_config *c = config;
	struct settings s = { .ctx = ctx, .repeat = c->repeat, .line = line_size(ctx->topo),
			      .rep_ns = ctx->quick ? 5e6 : 30e6, .seed = ctx->seed_given ? ctx->seed : 1 };
	unsigned cpu = c->cpu_given ? c->cpu : topo_usable_pu_at(ctx->topo, 0);
	unsigned tasks[TURNS_NTASKS], handoffs[TURNS_NHANDOFFS];
	size_t ntasks = chosen_list(c->tasks, TURNS_NTASKS, tasks);
	size_t nhandoffs = chosen_list(c->handoffs, TURNS_NHANDOFFS, handoffs);
	struct timeshare_tables tt = {
		bench_series(r, "timeshare", NULL, switch_columns, NWCOLUMNS, switch_sample_columns,
			     sizeof(switch_sample_columns) / sizeof(switch_sample_columns[0])),
		bench_series(r, "timeshare-refill", "\n", refill_columns, NRCOLUMNS, refill_sample_columns,
			     sizeof(refill_sample_columns) / sizeof(refill_sample_columns[0])),
	};
	struct cli_list own, competitor;
	uint64_t own_max;
	int rc = 0;

	working_sets(ctx, c, &own, &competitor, &own_max);
	/* Both tasks on one PU: the partner inherits the caller's affinity. */
	if (topo_pin_current_thread(ctx->topo, cpu, err) < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		ml_error_set(err, "timeshare: %s: both tasks must share one PU", why);
		rc = -1;
	}
	rundir_setf(ctx->run, "timeshare.cpu", "%u", cpu);
	rundir_setf(ctx->run, "timeshare.line_bytes", "%u", s.line);
	for (size_t k = 0; k < ntasks && rc == 0; k++)
		for (size_t h = 0; h < nhandoffs && rc == 0; h++)
			rc = measure_switch(&s, tasks[k], handoffs[h], &tt, err);
	if (rc == 0)
		rc = measure_refill(&s, tasks[0], handoffs[0], own.v, own.n, competitor.v, competitor.n, &tt, err);
	progress_done();
	if (rc == 0 && interrupt_check(err))
		rc = -1;
	return rc;
}

const struct benchmark bench_timeshare = {
	.name = "timeshare",
	.summary = "two tasks taking turns on one PU: the switch, and the caches it costs",
	.description =
		"Pins itself to one PU (--cpu) and starts a second task there, a process or a\n"
		"thread (--tasks), the two handing the turn to each other through a pipe or a\n"
		"futex (--handoff). The direct cost of a switch: the time of a pass there and\n"
		"back less the hand-off's system calls made without a switch, halved (how\n"
		"lmbench's lat_ctx reckons it). The indirect cost, for every pair of the timed\n"
		"task's working set (--own) and the other's (--competitor): after the other task\n"
		"read its set, the time the first needs to chase its own set once (a dependent\n"
		"load per line, in random order), less the time of the chase right after; it\n"
		"grows with the other's set until that has evicted all the first could keep.\n"
		"Writes timeshare.csv (the switch) and timeshare-refill.csv (the refill), with\n"
		"every repetition in timeshare-samples.csv and timeshare-refill-samples.csv.\n",
	.options = options,
	.noptions = NOPTIONS,
	.config_size = sizeof(struct timeshare_config),
	.check = check_timeshare,
	.measure = measure_timeshare,
};
