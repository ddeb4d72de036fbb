#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "fleet.h"
#include "json_read.h"
#include "path.h"
#include "stats.h"
#include "units.h"
#include "xalloc.h"

/* The spread a p5-p95 interval spans, in standard deviations of a normal
 * distribution: turns an interval into a comparable noise. */
#define P5_P95_SIGMAS 3.29

static size_t figure_index(struct fleet *f, const char *name)
{
	for (size_t i = 0; i < f->nfigures; i++)
		if (strcmp(f->figures[i], name) == 0)
			return i;
	if (f->nfigures == FLEET_MAX_FIGURES)
		return SIZE_MAX;
	f->figures[f->nfigures] = xstrdup(name);
	return f->nfigures++;
}

static void set_figure(struct fleet *f, struct fleet_machine *m, const char *name, double value, double noise)
{
	size_t i = figure_index(f, name);

	if (i == SIZE_MAX || !isfinite(value))
		return;
	m->value[i] = value;
	m->noise[i] = noise;
}

static struct csv_file *result(const struct fleet_machine *m, const char *name)
{
	char *path = xasprintf("%s/%s", m->path, name);
	struct ml_error err;
	struct csv_file *csv = NULL;

	csv_read_optional(path, m->path, &csv, &err);
	free(path);
	return csv;
}

static double median_of(double *v, size_t n)
{
	struct stats st;

	if (n == 0)
		return NAN;
	stats_compute(v, n, &st);
	return st.median;
}

/* Each detected level's latency and memory's; the noise of the main
 * sweep's points, relative. */
static void latency_figures(struct fleet *f, struct fleet_machine *m)
{
	struct csv_file *levels = result(m, "levels.csv"), *sweep = result(m, "latency.csv");
	double *rel = NULL, noise = NAN;
	size_t n = 0;

	if (sweep) {
		rel = xcalloc(csv_rows(sweep) + 1, sizeof(*rel));
		for (size_t r = 0; r < csv_rows(sweep); r++) {
			double ns = csv_number_named(sweep, r, "latency_ns"), mad = csv_number_named(sweep, r, "latency_ns_mad");

			if (!strcmp(csv_cell_named(sweep, r, "order"), csv_cell_named(sweep, 0, "order")) && ns > 0 && mad >= 0)
				rel[n++] = mad / ns;
		}
		noise = median_of(rel, n);
	}
	for (size_t r = 0; levels && r < csv_rows(levels); r++) {
		const char *level = csv_cell_named(levels, r, "level");
		char *name = strcmp(level, "memory") == 0 ? xstrdup("memory_latency_ns")
							 : xasprintf("level%s_latency_ns", level);

		set_figure(f, m, name, csv_number_named(levels, r, "latency_ns"), noise);
		free(name);
	}
	free(rel);
	csv_free(levels);
	csv_free(sweep);
}

/* Each operation's bandwidth beyond the caches (the largest size), with
 * one thread and with the most. */
static void bandwidth_figures(struct fleet *f, struct fleet_machine *m)
{
	struct csv_file *bw = result(m, "bandwidth.csv");
	double largest = 0, most = 0;

	for (size_t r = 0; bw && r < csv_rows(bw); r++) {
		largest = fmax(largest, csv_number_named(bw, r, "size_bytes"));
		most = fmax(most, csv_number_named(bw, r, "threads"));
	}
	for (size_t r = 0; bw && r < csv_rows(bw); r++) {
		double threads = csv_number_named(bw, r, "threads"), gbs = csv_number_named(bw, r, "bandwidth_gbs");
		char *name;

		if (csv_number_named(bw, r, "size_bytes") != largest || (threads != 1 && threads != most))
			continue;
		name = xasprintf("%s_%s_gbs", csv_cell_named(bw, r, "op"), threads == 1 ? "1thread" : "allthreads");
		set_figure(f, m, name, gbs, gbs > 0 ? csv_number_named(bw, r, "bandwidth_gbs_mad") / gbs : NAN);
		free(name);
	}
	csv_free(bw);
}

/* The median core-to-core latency of each relation (store variant). */
static void c2c_figures(struct fleet *f, struct fleet_machine *m)
{
	struct csv_file *c2c = result(m, "c2c.csv");
	size_t rows = c2c ? csv_rows(c2c) : 0;
	double *ns = xcalloc(rows + 1, sizeof(*ns)), *rel = xcalloc(rows + 1, sizeof(*rel));

	for (size_t r = 0; r < rows; r++) {
		const char *relation = csv_cell_named(c2c, r, "relation");
		size_t n = 0;
		char *name;
		bool seen = false;

		for (size_t q = 0; q < r && !seen; q++)
			seen = !strcmp(csv_cell_named(c2c, q, "relation"), relation);
		if (seen)
			continue;
		for (size_t q = r; q < rows; q++) {
			double v = csv_number_named(c2c, q, "latency_ns");

			if (strcmp(csv_cell_named(c2c, q, "relation"), relation) || strcmp(csv_cell_named(c2c, q, "variant"), "store") ||
			    !(v > 0))
				continue;
			rel[n] = (csv_number_named(c2c, q, "latency_ns_p95") - csv_number_named(c2c, q, "latency_ns_p5")) /
				 (P5_P95_SIGMAS * v);
			ns[n++] = v;
		}
		name = xasprintf("c2c_%s_ns", relation);
		set_figure(f, m, name, median_of(ns, n), median_of(rel, n));
		free(name);
	}
	free(ns);
	free(rel);
	csv_free(c2c);
}

/* The slowdown of plain counters 8 bytes apart (one line) with the most
 * threads, against padded ones. */
static void falseshare_figure(struct fleet *f, struct fleet_machine *m)
{
	struct csv_file *fs = result(m, "falseshare.csv");
	double most = 0;

	for (size_t r = 0; fs && r < csv_rows(fs); r++)
		most = fmax(most, csv_number_named(fs, r, "threads"));
	for (size_t r = 0; fs && r < csv_rows(fs); r++) {
		double ns = csv_number_named(fs, r, "ns_per_op");

		if (strcmp(csv_cell_named(fs, r, "variant"), "plain") || csv_number_named(fs, r, "threads") != most ||
		    csv_number_named(fs, r, "distance_bytes") != 8 || !(ns > 0))
			continue;
		set_figure(f, m, "falseshare_slowdown", csv_number_named(fs, r, "slowdown"),
			   (csv_number_named(fs, r, "ns_per_op_p95") - csv_number_named(fs, r, "ns_per_op_p5")) /
				   (P5_P95_SIGMAS * ns));
	}
	csv_free(fs);
}

/* How many times the model is off each judged figure (model-error.csv),
 * as "model_error_factor_" and the figure in snake case. */
static void model_figures(struct fleet *f, struct fleet_machine *m)
{
	struct csv_file *me = result(m, "model-error.csv");

	for (size_t r = 0; me && r < csv_rows(me); r++) {
		char name[128];
		size_t n = (size_t)snprintf(name, sizeof(name), "model_error_factor_");

		for (const char *c = csv_cell_named(me, r, "figure"); *c && n + 1 < sizeof(name); c++)
			if (isalnum((unsigned char)*c))
				name[n++] = (char)tolower((unsigned char)*c);
			else if (name[n - 1] != '_')
				name[n++] = '_';
		n -= name[n - 1] == '_';
		name[n] = '\0';
		if (csv_number_named(me, r, "error_factor") > 0) /* a figure not judged is none */
			set_figure(f, m, name, csv_number_named(me, r, "error_factor"), NAN);
	}
	csv_free(me);
}

/* "1 package, 2 cores, 2 PUs; L1d 48 KiB, L2 1 MiB, L3 508 MiB". */
static char *shape_of(const struct json_value *meta)
{
	static const char *const counts[][2] = { { "packages", "package" }, { "numa_nodes", "NUMA node" },
						 { "cores", "core" }, { "pus", "PU" } };
	const struct json_value *caches = json_lookup(meta, "topology.caches");
	char buf[512], size[32];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]) && used < sizeof(buf); i++) {
		char path[64];
		const struct json_value *v;

		snprintf(path, sizeof(path), "topology.%s", counts[i][0]);
		v = json_lookup(meta, path);
		if (v && v->type == JSON_NUMBER)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%.0f %s%s", used ? ", " : "",
						 v->number, counts[i][1], v->number == 1 ? "" : "s");
	}
	for (size_t c = 0; caches && caches->type == JSON_ARRAY && c < caches->count && used < sizeof(buf); c++) {
		const char *name = json_lookup_string(caches->items[c], "name");
		const struct json_value *bytes = json_lookup(caches->items[c], "size_bytes");

		if (!name || !bytes || bytes->type != JSON_NUMBER || !(bytes->number >= 0 && bytes->number < 0x1p64))
			continue; /* a size no uint64_t holds is none */
		units_format_size((uint64_t)bytes->number, size, sizeof(size));
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s %s", c ? ", " : "; ", name, size);
	}
	return xstrdup(buf);
}

static char *string_or(const struct json_value *meta, const char *path, const char *fallback)
{
	const char *s = json_lookup_string(meta, path);

	return xstrdup(s && *s ? s : fallback);
}

static int load_machine(struct fleet *f, struct fleet_machine *m, const char *dir, const char *name,
			struct ml_error *err)
{
	char *path = xasprintf("%s/%s", dir, name), *meta_path = xasprintf("%s/meta.json", path);
	struct json_value *meta = json_parse_file(meta_path, path, err);
	const char *status;

	free(meta_path);
	if (!meta) {
		free(path);
		return -1;
	}
	m->name = xstrdup(name);
	m->path = path;
	m->hostname = string_or(meta, "host.hostname", name);
	m->cpu = string_or(meta, "topology.cpu_model", "unknown CPU");
	m->kernel = string_or(meta, "host.kernel", "unknown kernel");
	m->shape = shape_of(meta);
	status = json_lookup_string(meta, "status");
	m->complete = status && strcmp(status, "complete") == 0;
	for (size_t i = 0; i < FLEET_MAX_FIGURES; i++)
		m->value[i] = m->noise[i] = NAN;
	latency_figures(f, m);
	bandwidth_figures(f, m);
	c2c_figures(f, m);
	falseshare_figure(f, m);
	model_figures(f, m);
	json_value_free(meta);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectories of DIR that hold a meta.json, sorted, into *NAMES;
 * 0, or -1 with ERR when DIR cannot be read. */
static int run_directories(const char *dir, char ***out, size_t *n, struct ml_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	*out = NULL;
	if (!d) {
		ml_error_set(err, "%s: cannot read the directory: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char *meta = xasprintf("%s/%s/meta.json", dir, e->d_name);

		if (e->d_name[0] != '.' && path_exists(meta)) {
			names = xrealloc(names, *n + 1, sizeof(*names));
			names[(*n)++] = xstrdup(e->d_name);
		}
		free(meta);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), by_name);
	*out = names;
	return 0;
}

int fleet_load(const char *dir, struct fleet *f, struct ml_error *err)
{
	size_t n;
	char **names;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	if (run_directories(dir, &names, &n, err) < 0)
		return -1;
	if (n == 0) {
		ml_error_set(err, "%s: no run directories (subdirectories with a meta.json)", dir);
		return -1;
	}
	f->machines = xcalloc(n, sizeof(*f->machines));
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct fleet_machine *m = &f->machines[f->nmachines];
		char *key;
		size_t g;

		rc = load_machine(f, m, dir, names[i], err);
		if (rc < 0)
			break;
		f->nmachines++;
		key = xasprintf("%s; %s", m->cpu, m->shape);
		for (g = 0; g < f->ngroups && strcmp(f->groups[g], key) != 0; g++)
			;
		if (g == f->ngroups) {
			f->groups = xrealloc(f->groups, f->ngroups + 1, sizeof(*f->groups));
			f->groups[f->ngroups++] = key;
		} else {
			free(key);
		}
		m->group = g;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0)
		fleet_free(f);
	return rc;
}

void fleet_free(struct fleet *f)
{
	for (size_t i = 0; i < f->nmachines; i++) {
		struct fleet_machine *m = &f->machines[i];

		free(m->name);
		free(m->path);
		free(m->hostname);
		free(m->cpu);
		free(m->kernel);
		free(m->shape);
	}
	free(f->machines);
	for (size_t i = 0; i < f->nfigures; i++)
		free(f->figures[i]);
	for (size_t g = 0; g < f->ngroups; g++)
		free(f->groups[g]);
	free(f->groups);
	memset(f, 0, sizeof(*f));
}

size_t fleet_group_size(const struct fleet *f, size_t group)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nmachines; i++)
		n += f->machines[i].group == group;
	return n;
}

/* The group's values of FIGURE: their median and unscaled MAD. */
static size_t group_stats(const struct fleet *f, size_t group, size_t figure, struct stats *st)
{
	double *v = xcalloc(f->nmachines + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < f->nmachines; i++)
		if (f->machines[i].group == group && isfinite(f->machines[i].value[figure]))
			v[n++] = f->machines[i].value[figure];
	if (n)
		stats_compute(v, n, st);
	free(v);
	return n;
}

double fleet_group_median(const struct fleet *f, size_t group, size_t figure)
{
	struct stats st;

	return group_stats(f, group, figure, &st) ? st.median : NAN;
}

size_t fleet_flags(const struct fleet *f, struct fleet_flag **flags)
{
	size_t n = 0;

	*flags = NULL;
	for (size_t g = 0; g < f->ngroups; g++) {
		for (size_t k = 0; k < f->nfigures; k++) {
			struct stats st;
			double spread;

			if (group_stats(f, g, k, &st) < FLEET_MIN_GROUP || st.median == 0)
				continue;
			/* 1.4826: a normal distribution's MAD in standard deviations.
			 * A group whose machines agree exactly still has the noise of
			 * any measurement: at least 1% of the median. */
			spread = fmax(1.4826 * st.mad, 0.01 * fabs(st.median));
			for (size_t i = 0; i < f->nmachines; i++) {
				const struct fleet_machine *m = &f->machines[i];
				double v = m->value[k], z = (v - st.median) / spread;

				if (m->group != g || !isfinite(v) || fabs(z) <= FLEET_Z_LIMIT)
					continue;
				*flags = xrealloc(*flags, n + 1, sizeof(**flags));
				(*flags)[n++] = (struct fleet_flag){
					.machine = i, .figure = k, .median = st.median, .deviation = (v - st.median) / st.median,
					.z = z, .noise_known = isfinite(m->noise[k]),
					.beyond_noise = isfinite(m->noise[k]) && fabs(v - st.median) > 3 * m->noise[k] * fabs(v),
				};
			}
		}
	}
	return n;
}
