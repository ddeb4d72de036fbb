#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "commands.h"
#include "path.h"
#include "subprocess.h"
#include "units.h"
#include "xalloc.h"

enum { OPT_INPUT, OPT_SYNTHETIC, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_INPUT] = { .name = "input", .short_name = 'i', .arg = "FILE.xml",
			.help = "read another machine's topology from an hwloc XML export (lstopo FILE.xml)" },
	[OPT_SYNTHETIC] = { .name = "synthetic", .short_name = 's', .arg = "DESC",
			    .help = "use an hwloc synthetic topology, e.g. \"pack:2 l3:1 core:8 pu:2\"" },
};

/* The human table: one row per cache level. */
enum { LV_CACHE, LV_SIZE, LV_LINE, LV_WAYS, LV_INSTANCES, LV_PUS, LV_SHARING, NLEVEL_COLUMNS };

static const struct table_column level_columns[NLEVEL_COLUMNS] = {
	[LV_CACHE] = { "cache", "cache", TABLE_LEFT },
	[LV_SIZE] = { "size_bytes", "size", TABLE_RIGHT },
	[LV_LINE] = { "line_bytes", "line", TABLE_RIGHT },
	[LV_WAYS] = { "ways", "ways", TABLE_RIGHT },
	[LV_INSTANCES] = { "instances", "instances", TABLE_RIGHT },
	[LV_PUS] = { "pus_per_instance", "PUs each", TABLE_RIGHT },
	[LV_SHARING] = { "sharing", "shared by PUs", TABLE_LEFT },
};

/* The CSV (topology.csv, and --csv): one row per cache instance. */
enum { IN_CACHE, IN_LEVEL, IN_TYPE, IN_INSTANCE, IN_SIZE, IN_LINE, IN_WAYS, IN_PU_COUNT, IN_PUS,
       NINSTANCE_COLUMNS };

static const struct table_column instance_columns[NINSTANCE_COLUMNS] = {
	[IN_CACHE] = { "cache", "cache", TABLE_LEFT },
	[IN_LEVEL] = { "level", "level", TABLE_RIGHT },
	[IN_TYPE] = { "type", "type", TABLE_LEFT },
	[IN_INSTANCE] = { "instance", "instance", TABLE_RIGHT },
	[IN_SIZE] = { "size_bytes", "size", TABLE_RIGHT },
	[IN_LINE] = { "line_bytes", "line", TABLE_RIGHT },
	[IN_WAYS] = { "ways", "ways", TABLE_RIGHT },
	[IN_PU_COUNT] = { "pu_count", "PUs", TABLE_RIGHT },
	[IN_PUS] = { "pus", "PU list", TABLE_LEFT },
};

static const char *const cache_type_names[] = {
	[TOPO_CACHE_UNIFIED] = "unified",
	[TOPO_CACHE_DATA] = "data",
	[TOPO_CACHE_INSTRUCTION] = "instruction",
};

/* The human table shows this many sharing sets, then how many more. */
#define SHOWN_SHARING_SETS 4

static void format_ways(int ways, char *buf, size_t len)
{
	if (ways < 0)
		snprintf(buf, len, "full");
	else if (ways == 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%d", ways);
}

static char *sharing_sets(const struct topo *t, size_t level, unsigned instances)
{
	size_t len = 0;
	char *text = xstrdup("");

	for (unsigned i = 0; i < instances && i < SHOWN_SHARING_SETS; i++) {
		char *pus = topo_cache_instance(t, level, i, NULL, NULL);

		text = xrealloc(text, len + strlen(pus) + 4, 1);
		len += (size_t)sprintf(text + len, "%s%s", i ? " | " : "", pus);
		free(pus);
	}
	if (instances > SHOWN_SHARING_SETS) {
		char *more = xasprintf("%s | ... (%u sets)", text, instances);

		free(text);
		text = more;
	}
	return text;
}

static struct table *level_table(const struct topo *t)
{
	struct table *tab = table_new(level_columns, NLEVEL_COLUMNS);

	for (size_t i = 0; i < topo_cache_levels(t); i++) {
		const struct topo_cache_level *c = topo_cache_level(t, i);
		char size[32], line[32], ways[16];
		char *sets = sharing_sets(t, i, c->instances);

		char csv_size[24], csv_line[16], csv_ways[16];

		units_format_size(c->size, size, sizeof(size));
		if (!c->uniform)
			strcat(size, " (mixed)");
		snprintf(csv_size, sizeof(csv_size), "%llu", (unsigned long long)c->size);
		snprintf(line, sizeof(line), "%u B", c->line);
		snprintf(csv_line, sizeof(csv_line), "%u", c->line);
		format_ways(c->ways, ways, sizeof(ways));
		snprintf(csv_ways, sizeof(csv_ways), "%d", c->ways);
		table_add_row(tab);
		table_set(tab, LV_CACHE, c->name, NULL);
		table_set(tab, LV_SIZE, csv_size, size);
		table_set(tab, LV_LINE, csv_line, line);
		table_set(tab, LV_WAYS, csv_ways, ways);
		table_setf(tab, LV_INSTANCES, "%u", c->instances);
		if (c->pus_min == c->pus_max)
			table_setf(tab, LV_PUS, "%u", c->pus_max);
		else
			table_setf(tab, LV_PUS, "%u-%u", c->pus_min, c->pus_max);
		table_set(tab, LV_SHARING, sets, NULL);
		free(sets);
	}
	return tab;
}

static struct table *instance_table(const struct topo *t)
{
	struct table *tab = table_new(instance_columns, NINSTANCE_COLUMNS);

	for (size_t i = 0; i < topo_cache_levels(t); i++) {
		const struct topo_cache_level *c = topo_cache_level(t, i);

		for (unsigned k = 0; k < c->instances; k++) {
			uint64_t size;
			unsigned count;
			char *pus = topo_cache_instance(t, i, k, &size, &count);

			table_add_row(tab);
			table_set(tab, IN_CACHE, c->name, NULL);
			table_setf(tab, IN_LEVEL, "%u", c->depth);
			table_set(tab, IN_TYPE, cache_type_names[c->type], NULL);
			table_setf(tab, IN_INSTANCE, "%u", k);
			table_setf(tab, IN_SIZE, "%llu", (unsigned long long)size);
			table_setf(tab, IN_LINE, "%u", c->line);
			table_setf(tab, IN_WAYS, "%d", c->ways);
			table_setf(tab, IN_PU_COUNT, "%u", count);
			table_set(tab, IN_PUS, pus, NULL);
			free(pus);
		}
	}
	return tab;
}

static const char *plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_summary(const struct topo *t, FILE *fp)
{
	const char *model = topo_cpu_model(t);
	unsigned packages = topo_packages(t), nodes = topo_numa_nodes(t);
	unsigned cores = topo_cores(t), pus = topo_pus(t);
	struct table *tab = level_table(t);

	fprintf(fp, "Topology of %s%s%s\n", topo_source(t), model ? ": " : "", model ? model : "");
	fprintf(fp, "%u %s, %u NUMA %s, %u %s, %u %s", packages, plural(packages, "package", "packages"), nodes,
		plural(nodes, "node", "nodes"), cores, plural(cores, "core", "cores"), pus, plural(pus, "PU", "PUs"));
	if (cores && pus % cores == 0)
		fprintf(fp, " (%u per core)", pus / cores);
	else
		fprintf(fp, " (cores of uneven width: some PUs offline or disabled)");
	if (!topo_all_usable(t)) {
		char *usable = topo_usable_list(t);

		fprintf(fp, "\nmesilab may use %u of them: %s (this process's CPU affinity)", topo_usable_pus(t),
			usable);
		free(usable);
	}
	fputs("\n\n", fp);
	table_print_human(tab, fp);
	table_free(tab);
}

/* The picture is a bonus: when lstopo is missing or fails, the run says so. */
static void draw_picture(struct rundir *r, const char *xml_path)
{
	struct ml_error err;
	char *svg = rundir_file(r, "topology.svg");
	struct atomic_file *f = atomic_file_open(svg, &err);
	const char *why = err.msg;

	free(svg);
	if (f) {
		char *argv[] = { "lstopo", "--of", "svg", "-f", "-i", (char *)xml_path,
				 (char *)atomic_file_hand_over(f), NULL };
		int status = subprocess_run(argv);

		if (status < 0) {
			argv[0] = "lstopo-no-graphics";
			status = subprocess_run(argv);
		}
		/* lstopo does not say when its write fell short (a full disk). */
		if (status == 0 && !path_tail_holds(argv[6], "</svg>", 6, 64))
			status = 1;
		if (status != 0) {
			atomic_file_abort(f);
			why = status < 0 ? "lstopo is not installed (Debian: apt-get install hwloc)"
					 : "lstopo failed to draw the topology";
		} else if (atomic_file_commit(f, &err) == 0) {
			rundir_add_file(r, "topology.svg");
			return;
		}
	}
	rundir_unavailable(r, "topology picture", why);
}

static int export_xml(struct rundir *r, const struct topo *t, const char *path,
		      struct ml_error *err)
{
	struct atomic_file *f = atomic_file_open(path, err);

	if (!f)
		return -1;
	if (topo_export_xml(t, atomic_file_stream(f), path, err) < 0) {
		atomic_file_abort(f);
		return -1;
	}
	if (atomic_file_commit(f, err) < 0)
		return -1;
	rundir_add_file(r, "topology.xml");
	return 0;
}

int topo_write_files(struct rundir *r, const struct topo *t, struct ml_error *err)
{
	struct table *tab = instance_table(t);
	char *xml = rundir_file(r, "topology.xml");
	int rc = rundir_save_table(r, "topology.csv", tab, err);

	if (rc == 0)
		rc = export_xml(r, t, xml, err);
	if (rc == 0)
		draw_picture(r, xml);
	table_free(tab);
	free(xml);
	return rc;
}

static int run_topo(const struct cli_args *args)
{
	const char *input = args->values[OPT_INPUT], *synthetic = args->values[OPT_SYNTHETIC];
	struct ml_error err;
	struct topo *t;
	struct rundir *r = NULL;
	int status = ML_EXIT_OK;

	if (input && synthetic)
		cli_usage_error(args, "--input and --synthetic cannot be used together");
	t = topo_load(input ? TOPO_XML : synthetic ? TOPO_SYNTHETIC : TOPO_THIS_MACHINE,
		      input ? input : synthetic, &err);
	if (!t)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	/* The run directory first: one that cannot be had is refused before
	 * anything is printed. */
	if (args->output)
		r = cli_open_rundir(args, t, NULL);

	if (args->csv) {
		struct table *tab = instance_table(t);

		table_print_csv(tab, stdout);
		table_free(tab);
	} else {
		print_summary(t, stdout);
	}

	if (r) {
		int rc = topo_write_files(r, t, &err);

		if (rc < 0) {
			ml_warn("%s", err.msg);
			status = ML_EXIT_CHECK_FAILED;
		}
		if (rundir_finish(r, rc < 0 ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
			ml_warn("%s", err.msg);
			status = ML_EXIT_CHECK_FAILED;
		}
	}
	topo_free(t);
	return status;
}

const struct cli_command cmd_topo = {
	.name = "topo",
	.summary = "show the cache hierarchy as hwloc sees it",
	.max_operands = 0,
	.description =
		"Prints each cache level (size, line, associativity, how many instances and\n"
		"which PUs share each) with the counts of packages, NUMA nodes, cores and PUs.\n"
		"With -o, writes topology.csv (one row per cache instance), topology.xml\n"
		"(hwloc's export, loadable with lstopo -i) and topology.svg when lstopo can\n"
		"draw it.\n",
	.common = CLI_OUTPUT | CLI_CSV,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_topo,
};
