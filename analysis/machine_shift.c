#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "machine_shift.h"
#include "stats.h"
#include "xalloc.h"

const char *const shift_control_names[SHIFT_CONTROLS] = { "clock", "l1", "memory", "copy", "cpu", "transfer", "copy-all",
							   "l3" };
enum { CLOCK, L1, MEMORY, COPY, CPU, TRANSFER, COPY_ALL, L3 };

/* The benchmarks whose threads hand lines to one another: their points
 * move with a transfer between PUs (a hypervisor that moves vCPUs to other
 * dies), whatever their working set. */
static const char *const coherence_benchmarks[] = { "c2c", "states", "contention", "falseshare" };

#define MAX_OCCASIONS (SHIFT_MAX_STAGES + 1)

/* One run's controls: the occasions in order ("start", "after-latency"),
 * each control's value and spread on each. */
struct run_controls {
	size_t n;
	char when[MAX_OCCASIONS][40];
	double value[MAX_OCCASIONS][SHIFT_CONTROLS], spread[MAX_OCCASIONS][SHIFT_CONTROLS];
	bool time_like[SHIFT_CONTROLS]; /* ns: lower is better; GHz, GB/s: higher */
	char unit[SHIFT_CONTROLS][8];
	double cache_bytes, private_bytes;
};

static int control_index(const char *name)
{
	for (int k = 0; k < SHIFT_CONTROLS; k++)
		if (strcmp(shift_control_names[k], name) == 0)
			return k;
	return -1;
}

static long occasion(struct run_controls *rc, const char *when)
{
	for (size_t i = 0; i < rc->n; i++)
		if (strcmp(rc->when[i], when) == 0)
			return (long)i;
	if (rc->n == MAX_OCCASIONS)
		return -1;
	snprintf(rc->when[rc->n], sizeof(rc->when[rc->n]), "%s", when);
	for (int k = 0; k < SHIFT_CONTROLS; k++)
		rc->value[rc->n][k] = NAN;
	return (long)rc->n++;
}

/* Where a level of the run's latency sweep ends: where the sweep saw it
 * end, else where hwloc says (a level the sweep did not reach the end of,
 * a guest's share of a host's L3). */
static double level_end(const struct csv_file *f, int ends, size_t row, double hwloc)
{
	double e = ends < 0 ? NAN : csv_number(f, row, (size_t)ends);

	return isfinite(e) && e > 0 ? e : hwloc;
}

/* From the run's levels.csv: where its last level ends (beyond: memory)
 * and where the level below it ends (beyond, up to the last's end: the
 * last level's points). Without hwloc's sizes, the largest end the sweep
 * saw and no private level. */
static void run_cache_sizes(const char *run, struct run_controls *rc, struct ml_error *err)
{
	char *path = xasprintf("%s/levels.csv", run);
	struct csv_file *f;
	long last = -1, below = -1;
	double last_size = 0, below_size = 0;

	if (csv_read_optional(path, run, &f, err) == 0 && f) {
		int ends = csv_column(f, "ends_bytes"), size = csv_column(f, "hwloc_size_bytes");

		for (size_t r = 0; r < csv_rows(f); r++) {
			double h = size < 0 ? NAN : csv_number(f, r, (size_t)size);

			if (!(h > 0))
				continue;
			if (h > last_size) {
				below = last;
				below_size = last_size;
				last = (long)r;
				last_size = h;
			} else if (h < last_size && h > below_size) {
				below = (long)r;
				below_size = h;
			}
		}
		for (size_t r = 0; last < 0 && r < csv_rows(f); r++)
			rc->cache_bytes = fmax(rc->cache_bytes, level_end(f, ends, r, 0));
		if (last >= 0)
			rc->cache_bytes = level_end(f, ends, (size_t)last, last_size);
		if (below >= 0)
			rc->private_bytes = level_end(f, ends, (size_t)below, below_size);
		if (rc->private_bytes >= rc->cache_bytes)
			rc->private_bytes = 0;
		csv_free(f);
	}
	free(path);
}

/* 1 read, 0 when the run has no controls, -1 with ERR. */
static int read_controls(const char *run, struct run_controls *rc, struct ml_error *err)
{
	char *path = xasprintf("%s/controls.csv", run);
	struct csv_file *f;
	int when, control, value, unit, spread, rc_read;

	memset(rc, 0, sizeof(*rc));
	rc_read = csv_read_optional(path, run, &f, err);
	free(path);
	if (rc_read < 0)
		return -1;
	if (!f)
		return 0;
	when = csv_column(f, "when");
	control = csv_column(f, "control");
	value = csv_column(f, "value");
	unit = csv_column(f, "unit");
	spread = csv_column(f, "spread");
	if (when < 0 || control < 0 || value < 0 || unit < 0 || spread < 0) {
		ml_error_set(err, "%s: not a controls table (when, control, value, unit, spread)", csv_path(f));
		csv_free(f);
		return -1;
	}
	for (size_t r = 0; r < csv_rows(f); r++) {
		int k = control_index(csv_cell(f, r, (size_t)control));
		long o = occasion(rc, csv_cell(f, r, (size_t)when));
		double v = csv_number(f, r, (size_t)value);

		if (k < 0 || o < 0 || !(v > 0))
			continue;
		rc->value[o][k] = v;
		rc->spread[o][k] = csv_number(f, r, (size_t)spread);
		rc->time_like[k] = strcmp(csv_cell(f, r, (size_t)unit), "ns") == 0;
		snprintf(rc->unit[k], sizeof(rc->unit[k]), "%s", csv_cell(f, r, (size_t)unit));
	}
	csv_free(f);
	run_cache_sizes(run, rc, err);
	return rc->n > 0;
}

static double median(const double *v, size_t n)
{
	struct stats st;

	stats_compute(v, n, &st);
	return st.median;
}

/* A control's value in time terms (a higher one is slower). */
static double as_time(const struct run_controls *rc, int k, double v)
{
	return rc->time_like[k] ? v : 1 / v;
}

/* How far control K wandered over RC's occasions: its slowest over its
 * fastest, in time terms (1 with fewer than two). */
static double wander(const struct run_controls *rc, int k)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; i < rc->n; i++)
		if (rc->value[i][k] > 0) {
			double t = as_time(rc, k, rc->value[i][k]);

			lo = t < lo ? t : lo;
			hi = t > hi ? t : hi;
		}
	return hi > lo ? hi / lo : 1;
}

/* The control K during STAGE: the geometric mean of the occasions just
 * before and just after it; over every occasion when STAGE is NULL or was
 * not bracketed. In time terms; its spread in *SPREAD; in *MOVE how far
 * it moved from before the stage to after it, a log ratio; for a stage
 * not bracketed (a run whose controls gave up on a machine too busy to
 * measure them), how far it wandered over the whole run, all there is to
 * go by. */
static double during(const struct run_controls *rc, const char *stage, int k, double *spread, double *move)
{
	char after[48];
	double logsum = 0;
	size_t n = 0, from = 0, to = rc->n;
	bool bracketed = false;

	*move = 0;
	if (stage) {
		snprintf(after, sizeof(after), "after-%s", stage);
		for (size_t i = 1; i < rc->n; i++)
			if (strcmp(rc->when[i], after) == 0) {
				from = i - 1;
				to = i + 1;
				bracketed = true;
			}
	}
	*spread = 0;
	for (size_t i = from; i < to; i++)
		if (rc->value[i][k] > 0) {
			logsum += log(as_time(rc, k, rc->value[i][k]));
			*spread = rc->spread[i][k] > *spread ? rc->spread[i][k] : *spread;
			n++;
		}
	if (bracketed && n == 2)
		*move = fabs(log(as_time(rc, k, rc->value[from + 1][k]) / as_time(rc, k, rc->value[from][k])));
	else if (stage)
		*move = log(wander(rc, k));
	return n ? exp(logsum / (double)n) : NAN;
}

/* The stages the new run's controls were measured after ("after-NAME"
 * occasions), whether or not an occasion before them brackets them. */
static void collect_stages(struct machine_shift *s, const struct run_controls *rc)
{
	for (size_t i = 0; i < rc->n && s->nstages < SHIFT_MAX_STAGES; i++)
		if (strncmp(rc->when[i], "after-", 6) == 0)
			snprintf(s->stages[s->nstages++].stage, sizeof(s->stages[0].stage), "%s", rc->when[i] + 6);
}

/* Whether the new value NEW of a control moved against the base runs'
 * values BASE (time terms): by more than the threshold, and beyond its
 * noise: the spread of its samples against one base run, the range of its
 * values against several (a prediction interval of so few values would
 * rarely let a real shift count). */
static bool moved(const double *base, size_t nbase, double new, double spread, double threshold_pct)
{
	double lo = INFINITY, hi = -INFINITY, mid;
	struct stats st;

	stats_compute(base, nbase, &st);
	mid = st.median;
	if (!(fabs(new / mid - 1) * 100 >= threshold_pct))
		return false;
	if (nbase == 1)
		return fabs(new / mid - 1) > spread;
	for (size_t i = 0; i < nbase; i++) {
		lo = base[i] < lo ? base[i] : lo;
		hi = base[i] > hi ? base[i] : hi;
	}
	return new < lo || new > hi;
}

int machine_shift_measure(struct machine_shift *s, const char *const *base_runs, size_t nbase, const char *new_run,
			  double threshold_pct, struct ml_error *err)
{
	struct run_controls *base = xcalloc(nbase, sizeof(*base)), fresh;
	double *values = xcalloc(nbase, sizeof(*values));
	int rc = 0, have = read_controls(new_run, &fresh, err);

	memset(s, 0, sizeof(*s));
	for (size_t b = 0; have > 0 && b < nbase; b++)
		have = read_controls(base_runs[b], &base[b], err);
	if (have < 0)
		rc = -1;
	if (have <= 0)
		goto out;
	s->known = true;
	s->cache_bytes = fresh.cache_bytes > 0 ? fresh.cache_bytes : base[0].cache_bytes;
	s->private_bytes = fresh.cache_bytes > 0 ? fresh.private_bytes : base[0].private_bytes;
	collect_stages(s, &fresh);
	for (int k = 0; k < SHIFT_CONTROLS; k++) {
		double spread = 0, new_spread, base_move = 0, new_move, now = during(&fresh, NULL, k, &new_spread, &new_move);

		for (size_t b = 0; b < nbase; b++)
			values[b] = during(&base[b], NULL, k, &spread, &base_move);
		s->factor[k] = now / median(values, nbase);
		s->moved[k] = moved(values, nbase, now, spread + new_spread, threshold_pct);
		/* back in the control's own units */
		s->new[k] = as_time(&fresh, k, now);
		s->base[k] = as_time(&fresh, k, median(values, nbase));
		snprintf(s->unit[k], sizeof(s->unit[k]), "%s", fresh.unit[k]);
		for (size_t g = 0; g < s->nstages; g++) {
			struct shift_stage *st = &s->stages[g];

			now = during(&fresh, st->stage, k, &new_spread, &new_move);
			for (size_t b = 0; b < nbase; b++)
				values[b] = during(&base[b], st->stage, k, &spread, &base_move);
			st->factor[k] = now / median(values, nbase);
			st->moved[k] = moved(values, nbase, now, spread + new_spread, threshold_pct);
			/* A history's spread already holds how the machine
			 * wandered in its runs, not in the new one. */
			if (nbase > 1)
				base_move = 0;
			st->wander[k] = sqrt(base_move * base_move + new_move * new_move) / 2;
			st->move[k] = exp(fmax(base_move, new_move));
		}
	}
out:
	free(base);
	free(values);
	return rc;
}

void machine_shift_expect(const struct machine_shift *s, const char *benchmark, double size_bytes, unsigned threads,
			  struct shift_expectation *e)
{
	/* Beyond the caches a point is the memory's: a chase's or a copy's;
	 * between the private caches and the end of the last level, the last
	 * level's, whose share a neighbour decides (runs without the l3
	 * control: the clock's); within the private caches, and for points
	 * without a working set, the core's: caches answer in a fixed number
	 * of its cycles, so its clock (the most precise control) stands for
	 * them. */
	bool beyond = s->cache_bytes > 0 && size_bytes > s->cache_bytes;
	bool last_level = !beyond && s->private_bytes > 0 && size_bytes > s->private_bytes && s->base[L3] > 0 &&
			  s->new[L3] > 0;
	int k = last_level ? L3 : !beyond ? CLOCK : strcmp(benchmark, "bandwidth") != 0 ? MEMORY : threads > 1 ? COPY_ALL : COPY;
	static const char *const with_cpu[SHIFT_CONTROLS] = {
		[CLOCK] = "clock+cpu", [MEMORY] = "memory+cpu", [COPY] = "copy+cpu", [TRANSFER] = "transfer+cpu",
		[COPY_ALL] = "copy-all+cpu", [L3] = "l3+cpu",
	};
	const double *factor = s->factor;
	const bool *moved = s->moved;

	for (size_t b = 0; b < sizeof(coherence_benchmarks) / sizeof(coherence_benchmarks[0]); b++)
		if (strcmp(benchmark, coherence_benchmarks[b]) == 0)
			k = TRANSFER;
	/* Runs of a version without copy-all: the one-thread copy. */
	if (k == COPY_ALL && !(s->base[COPY_ALL] > 0 && s->new[COPY_ALL] > 0))
		k = COPY;
	*e = (struct shift_expectation){ 1, 1, 0, false, shift_control_names[k] };
	if (!s->known)
		return;
	for (size_t g = 0; g < s->nstages; g++)
		if (strcmp(s->stages[g].stage, benchmark) == 0) {
			factor = s->stages[g].factor;
			moved = s->stages[g].moved;
			/* Every timing is also the PU's share's: a share that
			 * moved across the stage blurs it whatever the control. */
			e->wander = hypot(s->stages[g].wander[k], s->stages[g].wander[CPU]);
		}
	/* Anything from no change to the control's: the controls read the
	 * slowest PU, which a point may or may not have used. A control
	 * missing from one run (NaN) allows nothing. */
	e->lo = factor[k] < 1 ? factor[k] : 1;
	e->hi = factor[k] > 1 ? factor[k] : 1;
	e->hi *= factor[CPU] > 1 ? factor[CPU] : 1;
	e->moved = moved[k] || moved[CPU];
	if (moved[CPU])
		e->control = with_cpu[k];
}

bool machine_shift_describe(const struct machine_shift *s, char *buf, size_t len)
{
	bool any = false;

	buf[0] = '\0';
	if (!s->known)
		return false;
	for (int k = 0; k < SHIFT_CONTROLS; k++)
		any |= s->moved[k];
	snprintf(buf, len, "%s", any ? "the machine changed between the runs:" : "the machine is unchanged:");
	for (int k = 0; k < SHIFT_CONTROLS; k++)
		if (s->base[k] > 0 && s->new[k] > 0) /* a control only one run has says nothing */
			snprintf(buf + strlen(buf), len - strlen(buf), "%s %s %+.0f%% (%.3g -> %.3g %s%s)", k ? "," : "",
				 shift_control_names[k], (s->new[k] / s->base[k] - 1) * 100, s->base[k], s->new[k],
				 s->unit[k], s->moved[k] ? "" : ", within noise");
	/* Each control's largest move across one stage, and where: what
	 * widens the points of that stage alone. */
	for (int k = 0, first = 1; k < SHIFT_CONTROLS; k++) {
		const struct shift_stage *most = NULL;

		for (size_t g = 0; g < s->nstages; g++)
			if (s->stages[g].move[k] > 1.005 && (!most || s->stages[g].move[k] > most->move[k]))
				most = &s->stages[g];
		if (!most)
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s %s %.0f%% (%s)",
			 first ? "; across a stage they moved by up to" : ",", shift_control_names[k],
			 (most->move[k] - 1) * 100, most->stage);
		first = 0;
	}
	return any;
}
