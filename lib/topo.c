#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

#include "topo.h"
#include "xalloc.h"

struct topo {
	hwloc_topology_t h;
	char *source;
	char *cpu_model; /* NULL when hwloc does not know it */
	bool this_machine;
	size_t ncaches;
	struct topo_cache_level caches[TOPO_MAX_CACHE_LEVELS];
	hwloc_obj_type_t cache_hwloc_type[TOPO_MAX_CACHE_LEVELS];
};

/* hwloc's cache object types, in the order levels are listed. */
static const hwloc_obj_type_t cache_types[] = {
	HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
	HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
};

static const char *const cache_type_suffix[] = {
	[TOPO_CACHE_UNIFIED] = "",
	[TOPO_CACHE_DATA] = "d",
	[TOPO_CACHE_INSTRUCTION] = "i",
};

static enum topo_cache_type cache_type_of(hwloc_obj_cache_type_t type)
{
	switch (type) {
	case HWLOC_OBJ_CACHE_DATA: return TOPO_CACHE_DATA;
	case HWLOC_OBJ_CACHE_INSTRUCTION: return TOPO_CACHE_INSTRUCTION;
	default: return TOPO_CACHE_UNIFIED;
	}
}

static void collect_caches(struct topo *t)
{
	for (size_t i = 0; i < sizeof(cache_types) / sizeof(cache_types[0]); i++) {
		int n = hwloc_get_nbobjs_by_type(t->h, cache_types[i]);
		struct topo_cache_level *level;
		hwloc_obj_t first;

		if (n <= 0 || t->ncaches == TOPO_MAX_CACHE_LEVELS)
			continue;
		first = hwloc_get_obj_by_type(t->h, cache_types[i], 0);
		level = &t->caches[t->ncaches];
		t->cache_hwloc_type[t->ncaches++] = cache_types[i];
		level->depth = first->attr->cache.depth;
		level->type = cache_type_of(first->attr->cache.type);
		snprintf(level->name, sizeof(level->name), "L%u%s", level->depth % 10,
			 cache_type_suffix[level->type]);
		level->size = first->attr->cache.size;
		level->line = first->attr->cache.linesize;
		level->ways = first->attr->cache.associativity;
		level->instances = (unsigned)n;
		level->pus_per_instance = (unsigned)hwloc_bitmap_weight(first->cpuset);
		level->uniform = true;
		for (int k = 1; k < n; k++)
			if (hwloc_get_obj_by_type(t->h, cache_types[i], (unsigned)k)->attr->cache.size !=
			    level->size)
				level->uniform = false;
	}
}

static int configure_source(struct topo *t, enum topo_source_kind kind, const char *arg,
			    struct ml_error *err)
{
	FILE *fp;

	switch (kind) {
	case TOPO_THIS_MACHINE:
		t->source = xstrdup("this machine");
		return 0;
	case TOPO_SYNTHETIC:
		t->source = xasprintf("synthetic %s", arg);
		if (hwloc_topology_set_synthetic(t->h, arg) < 0) {
			ml_error_set(err, "invalid synthetic topology \"%s\" (expected e.g. \"pack:2 core:4 pu:2\")",
				     arg);
			return -1;
		}
		return 0;
	case TOPO_XML:
		t->source = xasprintf("XML %s", arg);
		fp = fopen(arg, "r");
		if (!fp) {
			ml_error_set(err, "%s: cannot open: %s", arg, strerror(errno));
			return -1;
		}
		fclose(fp);
		if (hwloc_topology_set_xml(t->h, arg) < 0) {
			ml_error_set(err, "%s: not a valid hwloc XML topology", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* CPUID pads the model name with spaces; keep it without them. */
static char *read_cpu_model(const struct topo *t)
{
	hwloc_obj_t pkg = hwloc_get_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, 0);
	const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
	char *copy;
	size_t len;

	if (!model)
		model = hwloc_obj_get_info_by_name(hwloc_get_root_obj(t->h), "CPUModel");
	if (!model)
		return NULL;
	copy = xstrdup(model);
	len = strlen(copy);
	while (len && copy[len - 1] == ' ')
		copy[--len] = '\0';
	return copy;
}

struct topo *topo_load(enum topo_source_kind kind, const char *arg, struct ml_error *err)
{
	struct topo *t = xcalloc(1, sizeof(*t));

	if (hwloc_topology_init(&t->h) < 0) {
		ml_error_set(err, "hwloc: cannot initialise a topology");
		free(t);
		return NULL;
	}
	/* Only the CPU side matters here; skipping I/O devices makes loading fast. */
	hwloc_topology_set_io_types_filter(t->h, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_cache_types_filter(t->h, HWLOC_TYPE_FILTER_KEEP_ALL);
	hwloc_topology_set_icache_types_filter(t->h, HWLOC_TYPE_FILTER_KEEP_ALL);
	if (configure_source(t, kind, arg, err) < 0)
		goto fail;
	if (hwloc_topology_load(t->h) < 0) {
		if (kind == TOPO_XML)
			ml_error_set(err, "%s: not a valid hwloc XML topology", arg);
		else
			ml_error_set(err, "hwloc cannot load the topology of %s", t->source);
		goto fail;
	}
	t->this_machine = kind == TOPO_THIS_MACHINE && hwloc_topology_is_thissystem(t->h);
	collect_caches(t);
	t->cpu_model = read_cpu_model(t);
	return t;
fail:
	hwloc_topology_destroy(t->h);
	free(t->source);
	free(t);
	return NULL;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	hwloc_topology_destroy(t->h);
	free(t->source);
	free(t->cpu_model);
	free(t);
}

const char *topo_source(const struct topo *t)
{
	return t->source;
}

bool topo_is_this_machine(const struct topo *t)
{
	return t->this_machine;
}

const char *topo_cpu_model(const struct topo *t)
{
	return t->cpu_model;
}

static unsigned count_of(const struct topo *t, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(t->h, type);

	return n > 0 ? (unsigned)n : 0;
}

unsigned topo_packages(const struct topo *t)
{
	unsigned n = count_of(t, HWLOC_OBJ_PACKAGE);

	return n ? n : 1; /* a topology without package objects is one package */
}

unsigned topo_numa_nodes(const struct topo *t)
{
	unsigned n = count_of(t, HWLOC_OBJ_NUMANODE);

	return n ? n : 1;
}

unsigned topo_cores(const struct topo *t)
{
	unsigned n = count_of(t, HWLOC_OBJ_CORE);

	return n ? n : topo_pus(t);
}

unsigned topo_pus(const struct topo *t)
{
	return count_of(t, HWLOC_OBJ_PU);
}

size_t topo_cache_levels(const struct topo *t)
{
	return t->ncaches;
}

const struct topo_cache_level *topo_cache_level(const struct topo *t, size_t i)
{
	return i < t->ncaches ? &t->caches[i] : NULL;
}

uint64_t topo_largest_data_cache(const struct topo *t)
{
	uint64_t largest = 0;

	for (size_t i = 0; i < t->ncaches; i++)
		if (t->caches[i].type != TOPO_CACHE_INSTRUCTION && t->caches[i].size > largest)
			largest = t->caches[i].size;
	return largest;
}

int topo_data_cache_at_depth(const struct topo *t, unsigned depth)
{
	for (size_t i = 0; i < t->ncaches; i++)
		if (t->caches[i].depth == depth && t->caches[i].type != TOPO_CACHE_INSTRUCTION)
			return (int)i;
	return -1;
}

char *topo_cache_instance(const struct topo *t, size_t level, unsigned instance,
			  uint64_t *size)
{
	hwloc_obj_t obj;
	char *list = NULL;

	if (level >= t->ncaches)
		return NULL;
	obj = hwloc_get_obj_by_type(t->h, t->cache_hwloc_type[level], instance);
	if (!obj)
		return NULL;
	if (size)
		*size = obj->attr->cache.size;
	if (hwloc_bitmap_list_asprintf(&list, obj->cpuset) < 0)
		return xstrdup("");
	return list; /* hwloc allocates it with malloc */
}

unsigned topo_pu_at(const struct topo *t, unsigned logical_index)
{
	hwloc_obj_t pu = hwloc_get_obj_by_type(t->h, HWLOC_OBJ_PU, logical_index);

	return pu ? pu->os_index : 0;
}

int topo_relation(const struct topo *t, unsigned pu_a, unsigned pu_b, struct topo_relation *rel)
{
	hwloc_obj_t a = hwloc_get_pu_obj_by_os_index(t->h, pu_a);
	hwloc_obj_t b = hwloc_get_pu_obj_by_os_index(t->h, pu_b);
	hwloc_obj_t core_a, core_b, pkg_a, pkg_b;

	if (!a || !b)
		return -1;
	rel->cache_depth = 0;
	if (a == b) {
		rel->kind = TOPO_REL_SAME_PU;
		return 0;
	}
	core_a = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_CORE, a);
	core_b = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_CORE, b);
	if (core_a && core_a == core_b) {
		rel->kind = TOPO_REL_SMT;
		return 0;
	}
	/* Caches are ancestors of the PUs they serve: the first data cache at
	 * or above the common ancestor is the closest one the two share. */
	for (hwloc_obj_t o = hwloc_get_common_ancestor_obj(t->h, a, b); o; o = o->parent) {
		if (hwloc_obj_type_is_dcache(o->type)) {
			rel->kind = TOPO_REL_SHARED_CACHE;
			rel->cache_depth = o->attr->cache.depth;
			return 0;
		}
	}
	if (hwloc_bitmap_intersects(a->nodeset, b->nodeset)) {
		rel->kind = TOPO_REL_SAME_NUMA;
		return 0;
	}
	pkg_a = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, a);
	pkg_b = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, b);
	rel->kind = pkg_a == pkg_b ? TOPO_REL_SAME_PACKAGE : TOPO_REL_OTHER_PACKAGE;
	return 0;
}

const char *topo_relation_name(const struct topo_relation *rel, char *buf, size_t len)
{
	static const char *const names[] = {
		[TOPO_REL_SAME_PU] = "same-pu",
		[TOPO_REL_SMT] = "smt",
		[TOPO_REL_SHARED_CACHE] = "shared-L%u",
		[TOPO_REL_SAME_NUMA] = "same-numa",
		[TOPO_REL_SAME_PACKAGE] = "same-package",
		[TOPO_REL_OTHER_PACKAGE] = "other-package",
	};

	if (rel->kind == TOPO_REL_SHARED_CACHE)
		snprintf(buf, len, names[rel->kind], rel->cache_depth);
	else
		snprintf(buf, len, "%s", names[rel->kind]);
	return buf;
}

typedef bool (*pair_predicate)(const struct topo_relation *rel, const void *ctx);

/* The first pair in logical order whose relation satisfies MATCH; the
 * first PU stays as low as possible so pairs start at PU 0 when they can. */
static int find_pair(const struct topo *t, pair_predicate match, const void *ctx, unsigned pair[2])
{
	unsigned n = topo_pus(t);

	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = i + 1; j < n; j++) {
			struct topo_relation rel;
			unsigned a = topo_pu_at(t, i), b = topo_pu_at(t, j);

			if (topo_relation(t, a, b, &rel) == 0 && match(&rel, ctx)) {
				pair[0] = a;
				pair[1] = b;
				return 0;
			}
		}
	}
	return -1;
}

static bool relation_equals(const struct topo_relation *rel, const void *ctx)
{
	const struct topo_relation *want = ctx;

	return rel->kind == want->kind &&
	       (rel->kind != TOPO_REL_SHARED_CACHE || rel->cache_depth == want->cache_depth);
}

static bool shares_no_cache(const struct topo_relation *rel, const void *ctx)
{
	(void)ctx;
	return rel->kind >= TOPO_REL_SAME_NUMA;
}

int topo_pair_with_relation(const struct topo *t, const struct topo_relation *rel, unsigned pair[2])
{
	return find_pair(t, relation_equals, rel, pair);
}

int topo_pair_sharing_cache(const struct topo *t, unsigned cache_depth, unsigned pair[2])
{
	struct topo_relation rel = { TOPO_REL_SHARED_CACHE, cache_depth };

	return find_pair(t, relation_equals, &rel, pair);
}

int topo_pair_sharing_nothing(const struct topo *t, unsigned pair[2])
{
	return find_pair(t, shares_no_cache, NULL, pair);
}

int topo_pair_smt(const struct topo *t, unsigned pair[2])
{
	struct topo_relation rel = { TOPO_REL_SMT, 0 };

	return find_pair(t, relation_equals, &rel, pair);
}

static size_t place_scatter(const struct topo *t, size_t n, unsigned *pus)
{
	hwloc_obj_t root = hwloc_get_root_obj(t->h);
	hwloc_bitmap_t *sets = xcalloc(n, sizeof(*sets));

	/* hwloc_distrib splits N among the children of each level in
	 * proportion to their PUs: one per package first, then per NUMA
	 * node, cache and core. It allocates the N sets itself. */
	hwloc_distrib(t->h, &root, 1, sets, (unsigned)n, INT_MAX, 0);
	for (size_t i = 0; i < n; i++) {
		hwloc_bitmap_singlify(sets[i]);
		pus[i] = (unsigned)hwloc_bitmap_first(sets[i]);
		hwloc_bitmap_free(sets[i]);
	}
	free(sets);
	return n;
}

size_t topo_place(const struct topo *t, enum topo_placement policy, size_t n, unsigned *pus)
{
	if (n > topo_pus(t))
		n = topo_pus(t);
	if (policy == TOPO_PLACE_SCATTER)
		return place_scatter(t, n, pus);
	for (size_t i = 0; i < n; i++)
		pus[i] = topo_pu_at(t, (unsigned)i);
	return n;
}

int topo_placement_parse(const char *name, enum topo_placement *policy)
{
	if (strcmp(name, "compact") == 0)
		*policy = TOPO_PLACE_COMPACT;
	else if (strcmp(name, "scatter") == 0)
		*policy = TOPO_PLACE_SCATTER;
	else
		return -1;
	return 0;
}

int topo_pin_current_thread(const struct topo *t, unsigned pu, struct ml_error *err)
{
	hwloc_obj_t obj;

	if (!t->this_machine) {
		ml_error_set(err, "cannot pin threads on the topology of another machine (%s)", t->source);
		return -1;
	}
	obj = hwloc_get_pu_obj_by_os_index(t->h, pu);
	if (!obj) {
		ml_error_set(err, "no CPU %u on this machine", pu);
		return -1;
	}
	if (hwloc_set_cpubind(t->h, obj->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT) < 0 &&
	    hwloc_set_cpubind(t->h, obj->cpuset, HWLOC_CPUBIND_THREAD) < 0) {
		ml_error_set(err, "cannot pin to CPU %u: %s", pu, strerror(errno));
		return -1;
	}
	return 0;
}

int topo_export_xml(const struct topo *t, const char *path, struct ml_error *err)
{
	if (hwloc_topology_export_xml(t->h, path, 0) < 0) {
		ml_error_set(err, "%s: cannot export the topology: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
