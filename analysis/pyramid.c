#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "json_read.h"
#include "path.h"
#include "pyramid.h"
#include "run_meta.h"
#include "self_check.h"
#include "xalloc.h"

/* What a program can name without memory: the integer registers. */
static const struct {
	const char *machine;
	double bytes;
	const char *what;
} register_files[] = {
	{ "x86_64", 16 * 8, "16 general-purpose registers of 8 bytes" },
	{ "aarch64", 31 * 8, "31 general-purpose registers of 8 bytes" },
	{ "riscv64", 31 * 8, "31 general-purpose registers of 8 bytes" },
	{ "ppc64le", 32 * 8, "32 general-purpose registers of 8 bytes" },
};

enum { P_LEVEL, P_NS, P_BYTES, P_MBS, P_SOURCE, NPCOLUMNS };

static const struct table_column columns[NPCOLUMNS] = {
	[P_LEVEL] = { "level", "level", TABLE_LEFT },
	[P_NS] = { "latency_ns", "latency", TABLE_RIGHT },
	[P_BYTES] = { "capacity_bytes", "capacity", TABLE_RIGHT },
	[P_MBS] = { "bandwidth_mbs", "MB/s", TABLE_RIGHT },
	[P_SOURCE] = { "source", "measured as", TABLE_LEFT },
};

static struct csv_file *result(const char *run, const char *name)
{
	char *path = xasprintf("%s/%s", run, name);
	struct csv_file *f = NULL;
	struct ml_error ignored;

	csv_read_optional(path, run, &f, &ignored);
	free(path);
	return f;
}

static void add(struct table *t, const char *level, double ns, double bytes, double mbs, const char *source)
{
	table_add_row(t);
	table_set(t, P_LEVEL, level, NULL);
	table_setf(t, P_NS, "%.4g", ns);
	if (isfinite(bytes))
		table_setf(t, P_BYTES, "%.0f", bytes);
	if (isfinite(mbs))
		table_setf(t, P_MBS, "%.0f", mbs);
	table_set(t, P_SOURCE, source, NULL);
}

/* One thread's read bandwidth at the largest working set up to LIMIT
 * bytes (infinite: any), in MB/s; NAN when none. */
static double read_bandwidth(const struct csv_file *bw, double limit)
{
	double best_size = -1, mbs = NAN;

	for (size_t r = 0; bw && r < csv_rows(bw); r++) {
		double size = csv_number_named(bw, r, "size_bytes");

		if (strcmp(csv_cell_named(bw, r, "op"), "read") || csv_number_named(bw, r, "threads") != 1 || size > limit ||
		    size <= best_size)
			continue;
		best_size = size;
		mbs = csv_number_named(bw, r, "bandwidth_gbs") * 1000;
	}
	return mbs;
}

/* storage.csv's MEASURE of BLOCK bytes: its latency and throughput. */
static bool storage_point(const struct csv_file *st, const char *measure, double block, double *ns, double *mbs)
{
	for (size_t r = 0; st && r < csv_rows(st); r++)
		if (!strcmp(csv_cell_named(st, r, "measure"), measure) && csv_number_named(st, r, "block_bytes") == block) {
			*ns = csv_number_named(st, r, "latency_ns");
			*mbs = csv_number_named(st, r, "throughput_mbs");
			return true;
		}
	return false;
}

static void registers_row(struct table *t, const struct json_value *meta)
{
	const struct json_value *ghz = json_lookup(meta, "clock.core_ghz");
	const char *machine = json_lookup_string(meta, "host.machine");
	double bytes = NAN;

	if (!ghz || ghz->type != JSON_NUMBER || !(ghz->number > 0))
		return;
	for (size_t i = 0; machine && i < sizeof(register_files) / sizeof(register_files[0]); i++)
		if (strcmp(machine, register_files[i].machine) == 0)
			bytes = register_files[i].bytes;
	add(t, "registers", 1 / ghz->number, bytes, NAN, "one dependent add: a cycle of the core clock");
}

struct table *pyramid_table(const char *run, struct ml_error *err)
{
	char *meta_path = xasprintf("%s/meta.json", run);
	struct json_value *meta = json_parse_file(meta_path, run, err);
	struct csv_file *levels = result(run, "levels.csv"), *bw = result(run, "bandwidth.csv");
	struct csv_file *st = result(run, "storage.csv"), *states = result(run, "states.csv");
	const struct json_value *memory = meta ? json_lookup(meta, "host.memory_bytes") : NULL;
	double memory_bytes = memory && memory->type == JSON_NUMBER ? memory->number : NAN, ns, mbs, slowest = 0;
	double states_ns = states_memory_latency_ns(states);
	bool have_memory = false;
	struct table *t = NULL;

	free(meta_path);
	if (meta && !levels)
		ml_error_set(err, "%s: no levels.csv (the latency benchmark): no pyramid", run);
	if (!meta || !levels)
		goto out;
	t = table_new(columns, NPCOLUMNS);
	registers_row(t, meta);
	for (size_t r = 0; r < csv_rows(levels); r++) {
		const char *level = csv_cell_named(levels, r, "level"), *name = csv_cell_named(levels, r, "hwloc_cache");
		double hwloc = csv_number_named(levels, r, "hwloc_size_bytes"), ends = csv_number_named(levels, r, "ends_bytes");
		char *label;

		if (strcmp(level, "memory") == 0) {
			add(t, "memory", csv_number_named(levels, r, "latency_ns"), memory_bytes, read_bandwidth(bw, INFINITY),
			    "a dependent load beyond every cache; capacity: MemTotal");
			have_memory = true;
			continue;
		}
		/* The sweep stopped short of memory by its count (short of twice
		 * the largest cache hwloc reports: a quick run, or a hypervisor's
		 * tall tale), but its last plateau is memory: it lies beyond every
		 * cache hwloc reports, or it is as slow as a load of a line
		 * flushed from every cache. That load measures memory whole where
		 * the plateau may still mix in the last cache's hits. */
		if (r + 1 == csv_rows(levels) &&
		    ((!*name && isnan(ends)) || memory_latency_agrees(csv_number_named(levels, r, "latency_ns"), states_ns))) {
			bool flushed = states_ns > slowest;

			add(t, "memory", flushed ? states_ns : csv_number_named(levels, r, "latency_ns"), memory_bytes,
			    read_bandwidth(bw, INFINITY),
			    flushed ? "a load of a line flushed from every cache (states, Invalid); capacity: MemTotal"
				    : "a dependent load on the sweep's last plateau, beyond every cache hwloc reports; capacity: MemTotal");
			have_memory = true;
			continue;
		}
		slowest = csv_number_named(levels, r, "latency_ns");
		label = *name ? xstrdup(name) : xasprintf("level %s", level);
		add(t, label, csv_number_named(levels, r, "latency_ns"), isfinite(hwloc) ? hwloc : ends,
		    read_bandwidth(bw, ends / 2),
		    isfinite(hwloc) ? "a dependent load within the level; capacity: hwloc"
				    : "a dependent load within the level; capacity: where the curve rises");
		free(label);
	}
	/* Without it in the sweep: a load of a line flushed from every cache. */
	if (!have_memory && states_ns > slowest)
		add(t, "memory", states_ns, memory_bytes, read_bandwidth(bw, INFINITY),
		    "a load of a line flushed from every cache (states, Invalid); capacity: MemTotal");
	if (storage_point(st, "pagecache_read", 4096, &ns, &mbs)) {
		double mbs64 = NAN, ns64;

		storage_point(st, "pagecache_read", 65536, &ns64, &mbs64);
		add(t, "page cache", ns, memory_bytes, mbs64, "pread of 4 KiB of a cached file (DRAM caching the disk)");
	}
	if (storage_point(st, "direct_read_random", 4096, &ns, &mbs)) {
		double seq = NAN, seq_ns;

		storage_point(st, "direct_read_sequential", 131072, &seq_ns, &seq);
		add(t, "device", ns, run_meta_setting_number(meta, "storage.filesystem_bytes"), seq,
		    "O_DIRECT read of 4 KiB at random, queue depth 1; capacity: the file system");
	}
out:
	json_value_free(meta);
	csv_free(levels);
	csv_free(bw);
	csv_free(st);
	csv_free(states);
	return t;
}

int pyramid_save(const char *run, struct ml_error *err)
{
	char *levels = xasprintf("%s/levels.csv", run), *path = xasprintf("%s/pyramid.csv", run);
	struct table *t = path_exists(levels) ? pyramid_table(run, err) : NULL;
	int rc = !path_exists(levels) ? 1 : t ? table_save_csv(t, path, err) : -1;

	table_free(t);
	free(levels);
	free(path);
	return rc;
}
