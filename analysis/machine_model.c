#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_read.h"
#include "json_read.h"
#include "machine_model.h"
#include "path.h"
#include "self_check.h"
#include "stats.h"
#include "units.h"
#include "xalloc.h"

const char *const machine_part_names[MACHINE_NPARTS] = {
	"l1", "l2", "llc", "hit", "l2_hit", "llc_hit", "memory", "c2c", "bus", "handover", "atomic",
};

/* The simulator's bounds on what a model may ask (sim/cache.h, the
 * latency options' maximum): figures beyond them are no machine's. */
#define MODEL_MAX_WAYS 64
#define MODEL_MAX_CACHE_BYTES (4ull << 30)
#define MODEL_MAX_CYCLES 1000000.0
/* Ways assumed where hwloc reports none (0) or a fully associative cache
 * (-1), which a set-associative model can only approach. */
#define MODEL_UNKNOWN_WAYS 16

/* A cache of topology.csv: its first instance (the levels are uniform on
 * the machines hwloc reports; an uneven one is modelled by its first). */
struct topo_cache {
	char name[16];
	long level, line, ways, pus;
	uint64_t size;
	size_t row;
};

static void set_source(struct machine_part_value *p, const char *fmt, ...) ML_PRINTF(2, 3);
static void set_source(struct machine_part_value *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->source, sizeof(p->source), fmt, ap);
	va_end(ap);
}

static void note(struct machine_model *m, const char *fmt, ...) ML_PRINTF(2, 3);
static void note(struct machine_model *m, const char *fmt, ...)
{
	va_list ap;

	if (m->nnotes >= sizeof(m->notes) / sizeof(m->notes[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), fmt, ap);
	va_end(ap);
}

/* The number in ROW's column NAME of F, within [MIN, MAX]: NAN when the
 * cell is empty or the column absent; -1 with ERR naming the file and line
 * when it is no number or out of bounds. */
static int number(const struct csv_file *f, size_t row, const char *name, double min, double max, double *out,
		  struct ml_error *err)
{
	const char *cell = csv_cell_named(f, row, name);

	*out = NAN;
	if (!*cell)
		return 0;
	*out = csv_number_named(f, row, name);
	if (isnan(*out) || *out < min || *out > max) {
		ml_error_set(err, "%s:%zu: %s '%s' is %s", csv_path(f), csv_line(f, row), name, cell,
			     isnan(*out) ? "not a number" : "out of range");
		return -1;
	}
	return 0;
}

/* F, the run's file NAME, or NULL when the run lacks it; -1 with ERR. */
static int read_optional(const char *run, const char *name, struct csv_file **f, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", run, name);
	int rc = csv_read_optional(path, run, f, err);

	free(path);
	return rc;
}

static bool power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* A line a simulated cache can have: a power of two from 4 to 256 bytes. */
static bool cache_line_ok(long line)
{
	return line >= 4 && line <= 256 && power_of_two((uint64_t)line);
}

/* Fits cache C into the simulator's geometry (a power of two of sets, 1 to
 * 64 ways): as many sets as its ways allow, rounded down to a power of
 * two, and as many ways of them as its size fills, at most 64: its own
 * geometry where it fits, else the nearest below it. Says what changed. */
static void fit(struct machine_model *m, enum machine_part part, const struct topo_cache *c, const char *file)
{
	struct machine_part_value *p = &m->part[part];
	uint64_t size = c->size > MODEL_MAX_CACHE_BYTES ? MODEL_MAX_CACHE_BYTES : c->size, lines, sets = 1;
	unsigned ways = c->ways >= 1 && c->ways <= MODEL_MAX_WAYS ? (unsigned)c->ways : MODEL_UNKNOWN_WAYS;
	char given[32], made[32], why[160] = "";

	lines = size / (uint64_t)c->line;
	while (sets * 2 <= lines / ways)
		sets *= 2;
	ways = lines / sets > MODEL_MAX_WAYS ? MODEL_MAX_WAYS : (unsigned)(lines / sets);
	size = sets * ways * (uint64_t)c->line;
	p->from_run = true;
	p->size = size;
	p->ways = ways;
	p->line = (unsigned)c->line;
	units_format_size(c->size, given, sizeof(given));
	units_format_size(size, made, sizeof(made));
	if (c->ways < 1 || c->ways > MODEL_MAX_WAYS)
		snprintf(why, sizeof(why), "; its ways %s: modelled as %s %u-way",
			 c->ways == 0 ? "unknown" : c->ways < 0 ? "fully associative" : "over 64", made, ways);
	else if (size != c->size || ways != (unsigned)c->ways)
		snprintf(why, sizeof(why), "; %s %ld-way made %s %u-way: the simulator's sets are a power of two", given,
			 c->ways, made, ways);
	set_source(p, "%s (%s, %ld PU%s an instance%s)", file, c->name, c->pus, c->pus == 1 ? "" : "s", why);
	snprintf(m->cache_name[part], sizeof(m->cache_name[part]), "%s", c->name);
	m->cache_level[part] = (unsigned)c->level;
}

/* Fits cache C as PART (the L2 or the last level) below the L1, unless
 * the simulator cannot have it there: its caches all have the L1's line,
 * and its private L2 includes the L1, so is no smaller (sim_config_check
 * would refuse the model with a message naming no file of the run). Left
 * out and said otherwise; whether it is modelled. */
static bool fit_below_l1(struct machine_model *m, enum machine_part part, const struct topo_cache *c)
{
	const struct machine_part_value *l1 = &m->part[MACHINE_L1];
	struct machine_part_value *p = &m->part[part];
	char size[32], l1_size[32];

	fit(m, part, c, "topology.csv");
	units_format_size(p->size, size, sizeof(size));
	units_format_size(l1->size, l1_size, sizeof(l1_size));
	if (p->line != l1->line)
		note(m, "%s is left out: its %u-byte lines are not the L1's %u bytes, and the simulator's caches have one line size",
		     c->name, p->line, l1->line);
	else if (part == MACHINE_L2 && p->size < l1->size)
		note(m, "%s is left out: modelled as %s it is smaller than the L1's %s, and the simulator's L2 includes the L1",
		     c->name, size, l1_size);
	else
		return true;
	set_source(p, "topology.csv: %s left out (see the notes)", c->name);
	p->size = 0;
	p->ways = p->line = 0;
	m->cache_name[part][0] = '\0';
	m->cache_level[part] = 0;
	return false;
}

/* The caches of topology.csv, each once, lowest level first: up to MAX into
 * CACHES; how many, or -1 with ERR. */
static int topo_caches(const struct csv_file *f, struct topo_cache *caches, size_t max, struct ml_error *err)
{
	size_t n = 0;

	for (size_t r = 0; r < csv_rows(f); r++) {
		const char *name = csv_cell_named(f, r, "cache"), *type = csv_cell_named(f, r, "type");
		double level, size, line, ways, pus;
		bool seen = false;

		if (number(f, r, "level", 1, 16, &level, err) < 0 || number(f, r, "size_bytes", 0, 1e15, &size, err) < 0 ||
		    number(f, r, "line_bytes", 0, 1 << 20, &line, err) < 0 || number(f, r, "ways", -1, 1 << 20, &ways, err) < 0 ||
		    number(f, r, "pu_count", 0, 1 << 20, &pus, err) < 0)
			return -1;
		if (isnan(level) || isnan(size) || isnan(line) || isnan(pus) || !*name || strlen(name) >= sizeof(caches[0].name)) {
			ml_error_set(err, "%s:%zu: a cache without its name, level, size, line or PUs", csv_path(f), csv_line(f, r));
			return -1;
		}
		if (strcmp(type, "instruction") == 0)
			continue;
		for (size_t k = 0; k < n; k++)
			seen = seen || strcmp(caches[k].name, name) == 0;
		if (seen || n == max)
			continue;
		snprintf(caches[n].name, sizeof(caches[n].name), "%s", name);
		caches[n].level = (long)level;
		caches[n].size = (uint64_t)size;
		caches[n].line = (long)line;
		caches[n].ways = isnan(ways) ? 0 : (long)ways;
		caches[n].pus = (long)pus;
		caches[n].row = r;
		n++;
	}
	/* Lowest level first (hwloc lists them so; a hand-made file may not). */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && caches[k - 1].level > caches[k].level; k--) {
			struct topo_cache t = caches[k];

			caches[k] = caches[k - 1];
			caches[k - 1] = t;
		}
	return (int)n;
}

/* The PUs the run used: meta.json's, else every PU an L1 serves. */
static unsigned count_pus(const struct csv_file *f, const struct json_value *meta)
{
	const struct json_value *allowed = meta ? json_lookup(meta, "topology.pus_allowed_count") : NULL;
	double pus = 0;

	if (allowed && allowed->type == JSON_NUMBER && allowed->number >= 1 && allowed->number <= 1 << 20)
		return (unsigned)allowed->number;
	for (size_t r = 0; f && r < csv_rows(f); r++)
		if (strcmp(csv_cell_named(f, r, "level"), "1") == 0 && strcmp(csv_cell_named(f, r, "type"), "instruction"))
			pus += csv_number_named(f, r, "pu_count");
	return pus >= 1 && pus <= 1 << 20 ? (unsigned)pus : 0;
}

/* The geometry from topology.csv: the L1 data cache; the L2 when it is a
 * core's own (shared by no more PUs than the L1: SMT siblings); the last
 * level when several cores share it. The simulator has no room for a
 * level between, nor for a private last level below a private L2. */
static int read_topology(const char *run, struct machine_model *m, const struct json_value *meta, struct ml_error *err)
{
	struct topo_cache caches[8];
	struct csv_file *f;
	long smt;
	int n, said = 0;

	if (read_optional(run, "topology.csv", &f, err) < 0)
		return -1;
	if (!f) {
		for (int p = MACHINE_L1; p <= MACHINE_LLC; p++)
			set_source(&m->part[p], "default: the run has no topology.csv");
		return 0;
	}
	n = topo_caches(f, caches, sizeof(caches) / sizeof(caches[0]), err);
	m->pus = count_pus(f, meta);
	csv_free(f);
	if (n < 0)
		return -1;
	if (n == 0 || caches[0].level != 1) {
		for (int p = MACHINE_L1; p <= MACHINE_LLC; p++)
			set_source(&m->part[p], "default: topology.csv lists no L1 data cache");
		return 0;
	}
	for (int i = 0; i < n; i++)
		if (!cache_line_ok(caches[i].line) || caches[i].size < (uint64_t)caches[i].line) {
			for (int p = MACHINE_L1; p <= MACHINE_LLC; p++)
				set_source(&m->part[p], "default: topology.csv's %s has %ld-byte lines in %llu bytes, which no simulated cache has",
					   caches[i].name, caches[i].line, (unsigned long long)caches[i].size);
			return 0;
		}
	smt = caches[0].pus;
	m->top_level = (unsigned)caches[n - 1].level;
	fit(m, MACHINE_L1, &caches[0], "topology.csv");
	m->part[MACHINE_L2].from_run = m->part[MACHINE_LLC].from_run = true;
	set_source(&m->part[MACHINE_L2], "topology.csv: no private L2");
	set_source(&m->part[MACHINE_LLC], "topology.csv: no last level shared by cores");
	/* A level fit_below_l1 leaves out has its own note. */
	if (n > 1 && caches[1].level == 2 && caches[1].pus <= smt && !fit_below_l1(m, MACHINE_L2, &caches[1]))
		said = 1;
	if (n > 1 && caches[n - 1].pus > smt)
		fit_below_l1(m, MACHINE_LLC, &caches[n - 1]);
	else if (n > 1 && (n > 2 || caches[1].pus > smt))
		note(m, "%s serves %ld PU%s an instance: the simulator's last level is shared by every core, so it is left out",
		     caches[n - 1].name, caches[n - 1].pus, caches[n - 1].pus == 1 ? "" : "s");
	for (int i = 1 + said; i < n - 1; i++)
		if (!(i == 1 && m->part[MACHINE_L2].size))
			note(m, "%s (%ld PUs an instance) is left out: the simulator has a private L2 and a shared last level only",
			     caches[i].name, caches[i].pus);
	return 0;
}

/* The run's core clock in GHz (meta.json), NAN when it has none. */
static double run_clock(const struct json_value *meta)
{
	const struct json_value *ghz = meta ? json_lookup(meta, "clock.core_ghz") : NULL;

	return ghz && ghz->type == JSON_NUMBER && ghz->number > 0.01 && ghz->number < 100 ? ghz->number : NAN;
}

/* The cycles of row R of F: its latency_cycles, else its latency_ns at
 * the run's clock GHZ; NAN when neither. -1 with ERR on a bad figure. */
static int row_cycles(const struct csv_file *f, size_t r, double ghz, double *cycles, struct ml_error *err)
{
	double ns;

	if (number(f, r, "latency_cycles", 0, MODEL_MAX_CYCLES, cycles, err) < 0 ||
	    number(f, r, "latency_ns", 0, MODEL_MAX_CYCLES, &ns, err) < 0)
		return -1;
	if (isnan(*cycles) && !isnan(ns) && !isnan(ghz))
		*cycles = ns * ghz;
	if (*cycles > MODEL_MAX_CYCLES) {
		ml_error_set(err, "%s:%zu: latency_ns %g at %g GHz is out of range", csv_path(f), csv_line(f, r), ns, ghz);
		return -1;
	}
	return 0;
}

/* To the nearest sixteenth of a cycle, the simulator's time base, and at
 * least one: whole cycles made 1.8 a 2, 11% off. */
static void set_cycles(struct machine_part_value *p, double cycles)
{
	long sixteenths = lround(cycles * 16);

	if (sixteenths < 1)
		sixteenths = 1;
	p->from_run = true;
	p->figure = cycles;
	p->cycles = (unsigned)(sixteenths / 16);
	p->sixteenths = (unsigned)(sixteenths % 16);
}

/* P's source: FILE's row R, WHAT and its level, in cycles or in ns at the
 * run's clock. */
static void say_cycles(struct machine_part_value *p, const struct csv_file *f, size_t r, double ghz, const char *what)
{
	const char *level = csv_cell_named(f, r, "level");

	if (*csv_cell_named(f, r, "latency_cycles"))
		set_source(p, "%s %s (%s cycles)", what, level, csv_cell_named(f, r, "latency_cycles"));
	else
		set_source(p, "%s %s (%s ns at meta.json's %.2f GHz)", what, level, csv_cell_named(f, r, "latency_ns"), ghz);
}

/* levels.csv's row of the cache NAME (its hwloc_cache), else of LEVEL;
 * -1 when none. */
static long level_row(const struct csv_file *f, const char *name, const char *level)
{
	for (size_t r = 0; *name && r < csv_rows(f); r++)
		if (strcmp(csv_cell_named(f, r, "hwloc_cache"), name) == 0)
			return (long)r;
	for (size_t r = 0; r < csv_rows(f); r++)
		if (strcmp(csv_cell_named(f, r, "level"), level) == 0)
			return (long)r;
	return -1;
}

/* The latency of PART from levels.csv's row of its cache (or LEVEL where
 * topology.csv did not name one). */
static int level_latency(struct machine_model *m, enum machine_part part, enum machine_part cache, const char *level,
			 const struct csv_file *f, double ghz, struct ml_error *err)
{
	struct machine_part_value *p = &m->part[part];
	long r = level_row(f, m->cache_name[cache], level);
	double cycles;

	if (r < 0) {
		set_source(p, "default: levels.csv has no level %s", *m->cache_name[cache] ? m->cache_name[cache] : level);
		return 0;
	}
	if (row_cycles(f, (size_t)r, ghz, &cycles, err) < 0)
		return -1;
	if (isnan(cycles)) {
		set_source(p, "default: levels.csv's level %s has no cycles, and the run no clock", csv_cell_named(f, (size_t)r, "level"));
		return 0;
	}
	set_cycles(p, cycles);
	say_cycles(p, f, (size_t)r, ghz, "levels.csv level");
	return 0;
}

/* levels.csv's last plateau where it lies beyond every cache topology.csv
 * lists (a sweep that stopped short of twice the largest cache, which
 * numbers its memory level); -1 when none. */
static long last_plateau(const struct machine_model *m, const struct csv_file *levels)
{
	size_t r = csv_rows(levels);
	double level;

	if (!r || !m->top_level)
		return -1;
	level = csv_number_named(levels, r - 1, "level");
	return level > m->top_level && !*csv_cell_named(levels, r - 1, "hwloc_cache") ? (long)(r - 1) : -1;
}

/* Memory: the latency sweep's memory level; where it stopped short of
 * memory (a quick run), states.csv's loads of lines flushed from every
 * cache (memory whole, where the plateau may still mix in the last
 * cache's hits), else the last plateau when it lies beyond every cache. */
static int memory_latency(const char *run, struct machine_model *m, const struct csv_file *levels, double ghz,
			  struct ml_error *err)
{
	struct machine_part_value *p = &m->part[MACHINE_MEMORY];
	long r = levels ? level_row(levels, "", "memory") : -1;
	struct csv_file *states;
	double cycles, ns;

	if (r >= 0) {
		if (row_cycles(levels, (size_t)r, ghz, &cycles, err) < 0)
			return -1;
		if (!isnan(cycles)) {
			set_cycles(p, cycles);
			say_cycles(p, levels, (size_t)r, ghz, "levels.csv level");
			return 0;
		}
	}
	if (read_optional(run, "states.csv", &states, err) < 0)
		return -1;
	for (size_t k = 0; states && k < csv_rows(states); k++)
		if (number(states, k, "latency_ns", 0, MODEL_MAX_CYCLES, &ns, err) < 0) {
			csv_free(states);
			return -1;
		}
	ns = states_memory_latency_ns(states);
	if (!isnan(ns) && !isnan(ghz) && ns * ghz <= MODEL_MAX_CYCLES) {
		set_cycles(p, ns * ghz);
		set_source(p, "states.csv, median load of an Invalid line (%.1f ns at meta.json's %.2f GHz): the latency sweep stopped short of memory",
			   ns, ghz);
	} else if (levels && (r = last_plateau(m, levels)) >= 0) {
		if (row_cycles(levels, (size_t)r, ghz, &cycles, err) < 0) {
			csv_free(states);
			return -1;
		}
		if (!isnan(cycles)) {
			set_cycles(p, cycles);
			say_cycles(p, levels, (size_t)r, ghz, "levels.csv's last plateau, beyond every cache: level");
		}
	}
	if (!p->from_run) {
		set_source(p, "default: %s, and %s", levels ? "the latency sweep stopped short of memory" : "the run has no levels.csv",
			   !states ? "no states.csv" : isnan(ns) ? "states.csv has no load of an Invalid line"
							: "no clock in meta.json for states.csv's loads of Invalid lines");
	}
	csv_free(states);
	return 0;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of_cycles(double *cycles, size_t n)
{
	qsort(cycles, n, sizeof(*cycles), compare_double);
	return n % 2 ? cycles[n / 2] : (cycles[n / 2 - 1] + cycles[n / 2]) / 2;
}

/* The cycles of a file's rows of one kind (their KEY column VALUE, and
 * KEY2 VALUE2 where KEY2 is not NULL) between PUs of different cores, the
 * simulator's cores, those the benchmark judged stable (its unstable
 * column 0) where there are any: an unstable row is one whose repetitions
 * disagree, as when the system moves a thread onto the other's core
 * midway. SMT siblings only where the file has nothing else; the
 * relations they span. */
struct row_cycles {
	double *cycles;
	size_t n;
	bool smt_only, unstable;
	char relations[128];
};

/* The passes of machine_model_row_in_pass(). */
static const struct {
	bool stable_only, smt;
} row_passes[MACHINE_ROW_PASSES] = { { true, false }, { false, false }, { false, true } };

int machine_model_row_in_pass(const struct csv_file *f, size_t r, size_t pass, struct ml_error *err)
{
	const char *unstable = csv_cell_named(f, r, "unstable");

	if (*unstable && strcmp(unstable, "0") != 0 && strcmp(unstable, "1") != 0) {
		ml_error_set(err, "%s:%zu: unstable '%.40s' is not 0 or 1", csv_path(f), csv_line(f, r), unstable);
		return -1;
	}
	return (strcmp(csv_cell_named(f, r, "relation"), "smt") == 0) == row_passes[pass].smt &&
	       !(row_passes[pass].stable_only && strcmp(unstable, "1") == 0);
}

static int kind_cycles(const struct csv_file *f, const char *key, const char *value, const char *key2,
		       const char *value2, double ghz, struct row_cycles *out, struct ml_error *err)
{
	double c;
	int taken;

	*out = (struct row_cycles){ .cycles = xcalloc(csv_rows(f) + 1, sizeof(double)) };
	for (size_t pass = 0; pass < MACHINE_ROW_PASSES && out->n == 0; pass++)
		for (size_t r = 0; r < csv_rows(f); r++) {
			const char *relation = csv_cell_named(f, r, "relation");

			if (strcmp(csv_cell_named(f, r, key), value) || (key2 && strcmp(csv_cell_named(f, r, key2), value2)))
				continue;
			if ((taken = machine_model_row_in_pass(f, r, pass, err)) < 0 || (taken && row_cycles(f, r, ghz, &c, err) < 0)) {
				free(out->cycles);
				return -1;
			}
			if (!taken || isnan(c))
				continue;
			out->cycles[out->n++] = c;
			out->smt_only = row_passes[pass].smt;
			out->unstable = !row_passes[pass].stable_only && !row_passes[pass].smt;
			if (!strstr(out->relations, relation) &&
			    strlen(out->relations) + strlen(relation) + 3 < sizeof(out->relations))
				snprintf(out->relations + strlen(out->relations), sizeof(out->relations) - strlen(out->relations),
					 "%s%s", *out->relations ? ", " : "", relation);
		}
	return 0;
}

/* How ROWS are said after their relations: SMT siblings, or rows all
 * unstable. */
static const char *rows_said(const struct row_cycles *rows)
{
	return rows->smt_only ? ", SMT siblings only" : rows->unstable ? ", all unstable" : "";
}

/* The least a transfer from another core's cache can cost: more than a
 * hit in the core's own private levels (the L2's where the model has one
 * from the run). A figure at or under it is no transfer (SMT siblings
 * sharing an L1, a thread the system moved onto the other's core), and
 * is not taken. */
static double least_transfer(const struct machine_model *m)
{
	const struct machine_part_value *l2 = &m->part[MACHINE_L2_HIT], *hit = &m->part[MACHINE_HIT];

	return l2->from_run ? l2->figure : hit->from_run ? hit->figure : 0;
}

/* The median cycles of states.csv's rows of STATE and OP between cores
 * into PART, said as WHAT; *FOUND (where not NULL): whether it had any,
 * *TAKEN: and they were a transfer's. */
static int states_part(struct machine_model *m, enum machine_part part, const struct csv_file *f, const char *state,
		       const char *op, const char *what, double ghz, bool *found, bool *taken, struct ml_error *err)
{
	struct machine_part_value *p = &m->part[part];
	struct row_cycles rc;
	double median;

	*taken = false;
	if (found)
		*found = false;
	if (!f)
		return 0;
	if (kind_cycles(f, "state", state, "op", op, ghz, &rc, err) < 0)
		return -1;
	if (found)
		*found = rc.n > 0;
	if (rc.n && (median = median_of_cycles(rc.cycles, rc.n)) > least_transfer(m)) {
		set_cycles(p, median);
		set_source(p, "states.csv, the median of its %s (%zu row%s, %s%s): the simulator takes one figure for every "
			   "pair", what, rc.n, rc.n == 1 ? "" : "s", rc.relations, rows_said(&rc));
		*taken = true;
	} else if (rc.n) {
		note(m, "states.csv's %s (median %.1f cycles) cost no more than a hit in the core's own caches (%.1f): "
		     "no transfer between cores, not taken", what, median, least_transfer(m));
	}
	free(rc.cycles);
	return 0;
}

/* The median of c2c.csv's store transfers into PART, said with WHY;
 * whether it had any. */
static int c2c_part(struct machine_model *m, enum machine_part part, const struct csv_file *f, double ghz,
		    const char *why, bool *taken, struct ml_error *err)
{
	struct machine_part_value *p = &m->part[part];
	struct row_cycles rc;

	*taken = false;
	if (!f)
		return 0;
	if (kind_cycles(f, "variant", "store", NULL, NULL, ghz, &rc, err) < 0)
		return -1;
	if (rc.n) {
		set_cycles(p, median_of_cycles(rc.cycles, rc.n));
		set_source(p, "c2c.csv, median of %zu store transfer%s (%s)%s%s", rc.n, rc.n == 1 ? "" : "s", rc.relations,
			   rows_said(&rc), why);
		*taken = true;
	}
	free(rc.cycles);
	return 0;
}

/* A line from another core (c2c): what states.csv's loads of lines
 * another core left Modified cost, one transfer each (a load that waits
 * for nothing else), one figure for every pair since the simulator takes
 * one. Where the run has none (states skipped), c2c.csv's store
 * transfers, whose hand-over is less than a transfer.
 *
 * A transaction without data (bus, BusUpgr): states.csv's stores to a
 * line both cores share (state SA).
 *
 * The hand-over (handover): c2c.csv's one-way time, a line going to a core
 * whose request already waits for it, its way to the line made while the
 * line was still on its way to the other core (sim_config's in_flight).
 *
 * False sharing and the locks are then the model's predictions
 * (model-error.csv). */
static int transfer_latencies(const char *run, struct machine_model *m, double ghz, struct ml_error *err)
{
	struct csv_file *states = NULL, *c2c = NULL;
	bool upgrade = false, transfer = false, handover = false, found = false;
	int rc = -1;

	if (read_optional(run, "states.csv", &states, err) < 0 || read_optional(run, "c2c.csv", &c2c, err) < 0)
		goto out;
	if (states_part(m, MACHINE_BUS, states, "SA", "store", "stores to a line A shares with B (SA)", ghz, NULL,
			&upgrade, err) < 0 ||
	    states_part(m, MACHINE_C2C, states, "M", "load", "loads of a line another core left Modified", ghz, &found,
			&transfer, err) < 0 ||
	    c2c_part(m, MACHINE_HANDOVER, c2c, ghz, ": a line to a core whose request already waits for it", &handover,
		     err) < 0)
		goto out;
	if (!transfer && c2c_part(m, MACHINE_C2C, c2c, ghz,
				  found ? ", as states.csv's loads of a Modified line are no transfer (see the notes): a "
					  "hand-over, less than a transfer"
					: ", as states.csv has no load of a Modified line: a hand-over, less than a transfer",
				  &transfer, err) < 0)
		goto out;
	if (!upgrade)
		set_source(&m->part[MACHINE_BUS], "default: %s",
			   states ? "states.csv has no store to a line A shares with B (SA) between cores"
				  : "the run has no states.csv");
	if (!transfer)
		set_source(&m->part[MACHINE_C2C], "default: the run has no load of a Modified line (states.csv) nor store "
			   "transfer (c2c.csv)%s", (states || c2c) && isnan(ghz) ? " in cycles, and no clock" : "");
	if (!handover)
		set_source(&m->part[MACHINE_HANDOVER], "default: %s, so a transfer's whole",
			   c2c ? "c2c.csv has no store transfer" : "the run has no c2c.csv");
	else if (transfer && m->part[MACHINE_HANDOVER].figure > m->part[MACHINE_C2C].figure)
		note(m, "c2c.csv's hand-over (%.1f cycles) is longer than the transfer (%.1f), where a waiting request should "
		     "make it shorter: the two were measured apart, on a machine that changed between them (or was busy); "
		     "the model takes both as measured", m->part[MACHINE_HANDOVER].figure, m->part[MACHINE_C2C].figure);
	rc = 0;
out:
	csv_free(states);
	csv_free(c2c);
	return rc;
}

/* An atomic read-modify-write's own cost, over the L1 hit the model
 * charges its access: contention.csv's one thread adding to its own
 * counter (faa, 1 thread), a locked instruction on a line in its cache
 * and nothing else. */
static int atomic_latency(const char *run, struct machine_model *m, double ghz, struct ml_error *err)
{
	struct machine_part_value *p = &m->part[MACHINE_ATOMIC], *hit = &m->part[MACHINE_HIT];
	struct csv_file *f;
	double ns = NAN;

	if (read_optional(run, "contention.csv", &f, err) < 0)
		return -1;
	for (size_t r = 0; f && r < csv_rows(f); r++)
		if (strcmp(csv_cell_named(f, r, "variant"), "faa") == 0 && strcmp(csv_cell_named(f, r, "threads"), "1") == 0 &&
		    number(f, r, "ns_per_op", 0, MODEL_MAX_CYCLES, &ns, err) < 0) {
			csv_free(f);
			return -1;
		}
	csv_free(f);
	if (isnan(ns) || isnan(ghz) || !hit->from_run) {
		set_source(p, "default: %s", isnan(ns) ? "the run has no contention.csv row of faa on 1 thread"
					      : isnan(ghz) ? "no clock in meta.json for contention.csv's faa"
							   : "the run has no L1 hit latency to take from it");
		return 0;
	}
	set_cycles(p, ns * ghz > hit->figure ? ns * ghz - hit->figure : 0);
	set_source(p, "contention.csv's faa on 1 thread (%.2f ns at meta.json's %.2f GHz, a locked add on a line in the "
		   "core's cache) less the L1 hit (%.1f cycles)", ns, ghz, hit->figure);
	return 0;
}

/* The spread of a transfer: half the width of c2c.csv's 5th to 95th
 * percentiles of a store transfer's repetitions, over its median, the
 * median of those rows (the rows the hand-over is taken from). The repetitions
 * each average many hand-overs, so one hand-over scatters at least this
 * much: the least scatter the run shows, at most SIM's 50%. */
#define MODEL_MAX_SPREAD 50
static int c2c_spread(const char *run, struct machine_model *m, struct ml_error *err)
{
	struct csv_file *f;
	double *share, ns, p5, p95, median;
	size_t n = 0;

	snprintf(m->spread_source, sizeof(m->spread_source), "none: the run has no c2c.csv");
	if (read_optional(run, "c2c.csv", &f, err) < 0)
		return -1;
	if (!f)
		return 0;
	share = xcalloc(csv_rows(f) + 1, sizeof(*share));
	for (size_t pass = 0; pass < MACHINE_ROW_PASSES && n == 0; pass++)
		for (size_t r = 0; r < csv_rows(f); r++) {
			int taken = strcmp(csv_cell_named(f, r, "variant"), "store") ? 0 : machine_model_row_in_pass(f, r, pass, err);

			if (taken == 0)
				continue;
			if (taken < 0 || number(f, r, "latency_ns", 0, MODEL_MAX_CYCLES, &ns, err) < 0 ||
			    number(f, r, "latency_ns_p5", 0, MODEL_MAX_CYCLES, &p5, err) < 0 ||
			    number(f, r, "latency_ns_p95", 0, MODEL_MAX_CYCLES, &p95, err) < 0) {
				free(share);
				csv_free(f);
				return -1;
			}
			if (ns > 0 && p95 >= p5)
				share[n++] = (p95 - p5) / 2 / ns;
		}
	if (n) {
		median = median_of_cycles(share, n);
		m->spread = median * 100 > MODEL_MAX_SPREAD ? MODEL_MAX_SPREAD : (unsigned)lround(median * 100);
		snprintf(m->spread_source, sizeof(m->spread_source),
			 "c2c.csv: half the width of its store transfers' 5th to 95th percentiles over their median, the median "
			 "of %zu row%s (each repetition averages many hand-overs, so one scatters at least this much)",
			 n, n == 1 ? "" : "s");
	} else {
		snprintf(m->spread_source, sizeof(m->spread_source), "none: c2c.csv has no percentiles of a store transfer");
	}
	free(share);
	csv_free(f);
	return 0;
}

/* meta.json, or NULL in *META when the run has none. */
static int read_meta(const char *run, struct json_value **meta, struct ml_error *err)
{
	char *path = xasprintf("%s/meta.json", run);
	struct stat st;

	*meta = NULL;
	if (lstat(path, &st) < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	*meta = json_parse_file(path, run, err);
	free(path);
	return *meta ? 0 : -1;
}

int machine_model_read(const char *run, struct machine_model *m, struct ml_error *err)
{
	struct json_value *meta;
	struct csv_file *levels = NULL;
	bool topology_known;
	double ghz;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (!path_is_directory(run)) {
		ml_error_set(err, "%s: not a run directory", run);
		return -1;
	}
	if (read_meta(run, &meta, err) < 0)
		return -1;
	ghz = run_clock(meta);
	if (read_topology(run, m, meta, err) < 0 || read_optional(run, "levels.csv", &levels, err) < 0)
		goto out;
	topology_known = m->part[MACHINE_L1].from_run;
	if (!levels) {
		for (int p = MACHINE_HIT; p <= MACHINE_LLC_HIT; p++)
			set_source(&m->part[p], "default: the run has no levels.csv");
	} else if (level_latency(m, MACHINE_HIT, MACHINE_L1, "1", levels, ghz, err) < 0) {
		goto out;
	}
	/* Where topology.csv says the simulator has no such cache, its
	 * latency is never paid: the default stays, said. */
	if (levels && topology_known && !m->part[MACHINE_L2].size)
		set_source(&m->part[MACHINE_L2_HIT], "default: the model has no private L2");
	else if (levels && level_latency(m, MACHINE_L2_HIT, MACHINE_L2, "2", levels, ghz, err) < 0)
		goto out;
	if (levels && topology_known && !m->part[MACHINE_LLC].size) {
		set_source(&m->part[MACHINE_LLC_HIT], "default: the model has no shared last level");
	} else if (levels) {
		char level[16];

		snprintf(level, sizeof(level), "%u", m->cache_level[MACHINE_LLC] ? m->cache_level[MACHINE_LLC] : 3);
		if (level_latency(m, MACHINE_LLC_HIT, MACHINE_LLC, level, levels, ghz, err) < 0)
			goto out;
	}
	if (memory_latency(run, m, levels, ghz, err) < 0 || transfer_latencies(run, m, ghz, err) < 0 ||
	    atomic_latency(run, m, ghz, err) < 0 || c2c_spread(run, m, err) < 0)
		goto out;
	rc = 0;
out:
	csv_free(levels);
	json_value_free(meta);
	return rc;
}
