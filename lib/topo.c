#include <config.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	/* Each level's instances, ordered by their first PU. */
	hwloc_obj_t *cache_instances[TOPO_MAX_CACHE_LEVELS];
	unsigned ncores;
	/* Each PU by its operating-system index (hwloc's own lookup walks
	 * every PU: pairing the PUs of a big machine would take minutes). */
	hwloc_obj_t *pu_by_os;
	unsigned npu_slots;
	/* The PUs mesilab may use, in logical order (close PUs close). */
	hwloc_bitmap_t usable;
	unsigned *usable_pus;
	unsigned nusable;
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

/* Every object of TYPE, whatever its depth: on machines of uneven shape
 * (a core with one of its PUs offline, a package with a missing level)
 * hwloc puts objects of one type at several depths, where counting them
 * by type alone says -1. Ordered by their first PU. Returns how many;
 * *OUT (malloc'd) holds them. */
static unsigned objects_of_type(hwloc_topology_t h, hwloc_obj_type_t type, hwloc_obj_t **out)
{
	int depths = hwloc_topology_get_depth(h);
	unsigned n = 0, cap = 0;
	hwloc_obj_t *objs = NULL;

	for (int d = 0; d < depths; d++) {
		if (hwloc_get_depth_type(h, d) != type)
			continue;
		for (unsigned k = 0; k < hwloc_get_nbobjs_by_depth(h, d); k++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				objs = xrealloc(objs, cap, sizeof(*objs));
			}
			objs[n++] = hwloc_get_obj_by_depth(h, d, k);
		}
	}
	/* Insertion sort by first PU: the depths come one after the other. */
	for (unsigned i = 1; i < n; i++) {
		hwloc_obj_t o = objs[i];
		unsigned j = i;

		for (; j > 0 && hwloc_bitmap_first(objs[j - 1]->cpuset) > hwloc_bitmap_first(o->cpuset); j--)
			objs[j] = objs[j - 1];
		objs[j] = o;
	}
	*out = objs;
	return n;
}

static void collect_caches(struct topo *t)
{
	for (size_t i = 0; i < sizeof(cache_types) / sizeof(cache_types[0]); i++) {
		hwloc_obj_t *objs;
		unsigned n = objects_of_type(t->h, cache_types[i], &objs);
		struct topo_cache_level *level;

		if (n == 0 || t->ncaches == TOPO_MAX_CACHE_LEVELS) {
			free(objs);
			continue;
		}
		t->cache_instances[t->ncaches] = objs;
		level = &t->caches[t->ncaches++];
		level->depth = objs[0]->attr->cache.depth;
		level->type = cache_type_of(objs[0]->attr->cache.type);
		snprintf(level->name, sizeof(level->name), "L%u%s", level->depth % 10,
			 cache_type_suffix[level->type]);
		level->size = objs[0]->attr->cache.size;
		level->line = objs[0]->attr->cache.linesize;
		level->ways = objs[0]->attr->cache.associativity;
		level->instances = n;
		level->uniform = true;
		level->pus_min = UINT_MAX;
		level->pus_max = 0;
		for (unsigned k = 0; k < n; k++) {
			unsigned pus = (unsigned)hwloc_bitmap_weight(objs[k]->cpuset);

			if (objs[k]->attr->cache.size != level->size)
				level->uniform = false;
			level->pus_min = pus < level->pus_min ? pus : level->pus_min;
			level->pus_max = pus > level->pus_max ? pus : level->pus_max;
		}
	}
}

/* The PUs mesilab may use: on this machine, those of the process's CPU
 * affinity (taskset, numactl, a cgroup or Slurm allocation) that the
 * system allows; elsewhere, every PU; in both, only those of WITHIN when
 * given. */
static void find_usable(struct topo *t, hwloc_const_bitmap_t within)
{
	hwloc_const_bitmap_t all = hwloc_get_root_obj(t->h)->cpuset;
	unsigned n = (unsigned)hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_PU);

	if (!t->usable)
		t->usable = hwloc_bitmap_alloc();
	hwloc_bitmap_and(t->usable, all, within ? within : all);
	if (t->this_machine) {
		hwloc_bitmap_t bound = hwloc_bitmap_alloc();

		if (hwloc_get_cpubind(t->h, bound, HWLOC_CPUBIND_PROCESS) == 0)
			hwloc_bitmap_and(t->usable, t->usable, bound);
		hwloc_bitmap_and(t->usable, t->usable, hwloc_topology_get_allowed_cpuset(t->h));
		hwloc_bitmap_free(bound);
		/* A binding hwloc cannot read must not leave nothing to run on. */
		if (hwloc_bitmap_iszero(t->usable) && !within)
			hwloc_bitmap_copy(t->usable, all);
	}
	free(t->usable_pus);
	t->usable_pus = xcalloc(n ? n : 1, sizeof(*t->usable_pus));
	t->nusable = 0;
	for (unsigned i = 0; i < n; i++) {
		hwloc_obj_t pu = hwloc_get_obj_by_type(t->h, HWLOC_OBJ_PU, i);

		if (hwloc_bitmap_isset(t->usable, pu->os_index))
			t->usable_pus[t->nusable++] = pu->os_index;
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

/* PU numbers a machine can have (Linux numbers at most 8192 CPUs), each
 * with a slot in the table; a topology naming others is refused. */
#define PU_TABLE_SLOTS 65536u

static bool pu_numbers_plausible(const struct topo *t)
{
	hwloc_obj_t pu = NULL;

	while ((pu = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_PU, pu)))
		if (pu->os_index >= PU_TABLE_SLOTS)
			return false;
	return true;
}

static void index_pus(struct topo *t)
{
	int last = hwloc_bitmap_last(hwloc_get_root_obj(t->h)->cpuset);
	hwloc_obj_t pu = NULL;

	t->npu_slots = last < 0 ? 0 : (unsigned)last < PU_TABLE_SLOTS ? (unsigned)last + 1 : PU_TABLE_SLOTS;
	t->pu_by_os = xcalloc(t->npu_slots ? t->npu_slots : 1, sizeof(*t->pu_by_os));
	while ((pu = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_PU, pu)))
		if (pu->os_index < t->npu_slots)
			t->pu_by_os[pu->os_index] = pu;
}

static hwloc_obj_t pu_object(const struct topo *t, unsigned os_index)
{
	return os_index < t->npu_slots ? t->pu_by_os[os_index] : NULL;
}

static struct topo *load_here(enum topo_source_kind kind, const char *arg, struct ml_error *err)
{
	struct topo *t = xcalloc(1, sizeof(*t));

	if (hwloc_topology_init(&t->h) < 0) {
		ml_error_set(err, "hwloc: cannot initialise a topology");
		free(t);
		return NULL;
	}
	/* Only the CPU side matters here; skipping I/O devices makes loading fast. */
	hwloc_topology_set_io_types_filter(t->h, HWLOC_TYPE_FILTER_KEEP_NONE);
	/* The whole machine, also the PUs a cgroup keeps from this process:
	 * the topology describes the machine, the usable set what mesilab may
	 * run on. */
	hwloc_topology_set_flags(t->h, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
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
	if (!pu_numbers_plausible(t)) {
		ml_error_set(err, "%s: a PU numbered beyond any machine's (at most %u)", t->source, PU_TABLE_SLOTS - 1);
		goto fail;
	}
	collect_caches(t);
	{
		hwloc_obj_t *cores;

		t->ncores = objects_of_type(t->h, HWLOC_OBJ_CORE, &cores);
		free(cores);
	}
	index_pus(t);
	find_usable(t, NULL);
	t->cpu_model = read_cpu_model(t);
	return t;
fail:
	hwloc_topology_destroy(t->h);
	free(t->source);
	free(t);
	return NULL;
}

/* The number of PUs a synthetic description makes: the product of its
 * levels' counts ("pack:2 core:4 pu:2" is 16), attributes in parentheses
 * and memory children in brackets aside. Saturates at ULONG_MAX. */
static unsigned long synthetic_pus(const char *desc)
{
	unsigned long pus = 1;
	int nesting = 0;

	for (const char *c = desc; *c; c++) {
		if (*c == '(' || *c == '[')
			nesting++;
		else if ((*c == ')' || *c == ']') && nesting > 0)
			nesting--;
		else if (*c == ':' && nesting == 0) {
			unsigned long count = 0;

			while (c[1] >= '0' && c[1] <= '9') {
				count = count > ULONG_MAX / 10 ? ULONG_MAX : count * 10 + (unsigned long)(c[1] - '0');
				c++;
			}
			pus = count && pus > ULONG_MAX / count ? ULONG_MAX : pus * count;
		}
	}
	return pus;
}

/* hwloc trusts the descriptions it reads: an inconsistent XML file (a
 * fuzzer finds one in seconds) crashes it, a PU whose number is damaged
 * (hwloc makes it 2^32 - 1) costs it half-gigabyte bitmaps, and a
 * synthetic machine of millions of PUs takes it minutes. A synthetic
 * description is therefore counted before hwloc sees it, and a topology
 * from outside is loaded first in a child process, which either loads it
 * within LOAD_SECONDS (a real 1000-PU machine's export takes a fraction of
 * one) and says why it refuses it, or dies in place of the command. */
#define LOAD_SECONDS 10
static bool loads_safely(enum topo_source_kind kind, const char *arg, struct ml_error *err)
{
	int verdict[2];
	pid_t pid;
	int status;
	size_t got = 0;
	ssize_t n;

	if (pipe(verdict) < 0)
		return true; /* cannot tell: take the risk rather than refuse */
	pid = fork();
	if (pid < 0) {
		close(verdict[0]);
		close(verdict[1]);
		return true;
	}
	if (pid == 0) {
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
		struct ml_error child_err = { "" };
		struct topo *t;
		int null = open("/dev/null", O_WRONLY);

		close(verdict[0]);
		/* A crash here is the answer: no handler inherited from the
		 * parent (a sanitizer's, a fuzzer's) is to report it. */
		for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
			signal(fatal[i], SIG_DFL);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		signal(SIGALRM, SIG_DFL);
		alarm(LOAD_SECONDS);
		t = load_here(kind, arg, &child_err);
		if (!t && write(verdict[1], child_err.msg, strlen(child_err.msg)) < 0)
			_exit(1);
		_exit(t ? 0 : 1); /* no exit handlers: they belong to the parent */
	}
	close(verdict[1]);
	err->msg[0] = '\0';
	while (got < sizeof(err->msg) - 1 &&
	       ((n = read(verdict[0], err->msg + got, sizeof(err->msg) - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	err->msg[got] = '\0';
	close(verdict[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFEXITED(status) && got > 0)
		return false; /* the child's own reason */
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		ml_error_set(err, "%s: hwloc cannot load it within %d s (too large)", arg, LOAD_SECONDS);
	else
		ml_error_set(err, "%s: hwloc fails reading it (malformed)", arg);
	return false;
}

struct topo *topo_load(enum topo_source_kind kind, const char *arg, struct ml_error *err)
{
	if (kind == TOPO_SYNTHETIC && synthetic_pus(arg) > PU_TABLE_SLOTS) {
		ml_error_set(err, "synthetic topology \"%s\": more PUs than any machine's (at most %u)", arg,
			     PU_TABLE_SLOTS);
		return NULL;
	}
	if (kind != TOPO_THIS_MACHINE && !loads_safely(kind, arg, err))
		return NULL;
	return load_here(kind, arg, err);
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncaches; i++)
		free(t->cache_instances[i]);
	hwloc_bitmap_free(t->usable);
	free(t->usable_pus);
	free(t->pu_by_os);
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
	hwloc_obj_t *objs;
	unsigned found;

	if (n >= 0)
		return (unsigned)n;
	found = objects_of_type(t->h, type, &objs); /* at several depths */
	free(objs);
	return found;
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
	return t->ncores ? t->ncores : topo_pus(t);
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

uint64_t topo_largest_private_cache(const struct topo *t, unsigned max_depth)
{
	unsigned cores = topo_cores(t), per_core = cores ? (topo_pus(t) + cores - 1) / cores : 1;
	uint64_t largest = 0;

	for (size_t i = 0; i < t->ncaches; i++)
		if (t->caches[i].type != TOPO_CACHE_INSTRUCTION && t->caches[i].pus_max <= per_core &&
		    t->caches[i].depth <= max_depth && t->caches[i].size > largest)
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
			  uint64_t *size, unsigned *pus)
{
	hwloc_obj_t obj;
	char *list = NULL;

	if (level >= t->ncaches || instance >= t->caches[level].instances)
		return NULL;
	obj = t->cache_instances[level][instance];
	if (size)
		*size = obj->attr->cache.size;
	if (pus)
		*pus = (unsigned)hwloc_bitmap_weight(obj->cpuset);
	if (hwloc_bitmap_list_asprintf(&list, obj->cpuset) < 0)
		return xstrdup("");
	return list; /* hwloc allocates it with malloc */
}

unsigned topo_usable_pus(const struct topo *t)
{
	return t->nusable;
}

unsigned topo_usable_pu_at(const struct topo *t, unsigned i)
{
	return i < t->nusable ? t->usable_pus[i] : 0;
}

unsigned topo_usable_cores(const struct topo *t)
{
	hwloc_bitmap_t seen = hwloc_bitmap_alloc();
	unsigned n = 0;

	for (unsigned i = 0; i < t->nusable; i++) {
		hwloc_obj_t pu = pu_object(t, t->usable_pus[i]);
		hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_CORE, pu);
		hwloc_const_bitmap_t set = core ? core->cpuset : pu->cpuset;

		if (!hwloc_bitmap_intersects(seen, set)) {
			hwloc_bitmap_or(seen, seen, set);
			n++;
		}
	}
	hwloc_bitmap_free(seen);
	return n;
}

bool topo_pu_usable(const struct topo *t, unsigned pu)
{
	return hwloc_bitmap_isset(t->usable, pu);
}

bool topo_all_usable(const struct topo *t)
{
	return t->nusable == topo_pus(t);
}

char *topo_usable_list(const struct topo *t)
{
	char *list = NULL;

	if (hwloc_bitmap_list_asprintf(&list, t->usable) < 0)
		return xstrdup("");
	return list;
}

/* "0-3,8" into SET. Parsed here, strictly and bounded by the topology's
 * highest PU: hwloc's own list parser takes "5-" as a range without end. */
static int parse_pu_list(const struct topo *t, const char *list, hwloc_bitmap_t set)
{
	int last = hwloc_bitmap_last(hwloc_topology_get_complete_cpuset(t->h));
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long first, upto;

		if (*p < '0' || *p > '9')
			return -1;
		first = upto = strtoul(p, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -1;
			upto = strtoul(end + 1, &end, 10);
		}
		if (first > upto || upto > (unsigned long)(last < 0 ? 0 : last) || (*end && *end != ','))
			return -1;
		hwloc_bitmap_set_range(set, (unsigned)first, (int)upto);
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return -1; /* a trailing comma */
	}
	return p == list ? -1 : 0;
}

int topo_restrict_usable(struct topo *t, const char *list, struct ml_error *err)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int rc = -1;

	if (parse_pu_list(t, list, set) < 0)
		ml_error_set(err, "invalid list of PUs '%s' (expected e.g. 0-3,8, within the topology's)", list);
	else if (hwloc_bitmap_iszero(set) || !hwloc_bitmap_isincluded(set, hwloc_get_root_obj(t->h)->cpuset))
		ml_error_set(err, "PUs '%s' are not a non-empty set of the topology's PUs", list);
	else
		rc = 0;
	if (rc == 0)
		find_usable(t, set);
	hwloc_bitmap_free(set);
	return rc;
}

int topo_relation(const struct topo *t, unsigned pu_a, unsigned pu_b, struct topo_relation *rel)
{
	hwloc_obj_t a = pu_object(t, pu_a);
	hwloc_obj_t b = pu_object(t, pu_b);
	hwloc_obj_t core_a, core_b, pkg_a, pkg_b;
	bool same_node;

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
	same_node = hwloc_bitmap_intersects(a->nodeset, b->nodeset);
	pkg_a = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, a);
	pkg_b = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, b);
	if (pkg_a == pkg_b)
		rel->kind = same_node ? TOPO_REL_SAME_NUMA : TOPO_REL_OTHER_NUMA;
	else
		rel->kind = same_node ? TOPO_REL_OTHER_PACKAGE_SAME_NUMA : TOPO_REL_OTHER_PACKAGE;
	return 0;
}

const char *topo_relation_name(const struct topo_relation *rel, char *buf, size_t len)
{
	static const char *const names[] = {
		[TOPO_REL_SAME_PU] = "same-pu",
		[TOPO_REL_SMT] = "smt",
		[TOPO_REL_SHARED_CACHE] = "shared-L%u",
		[TOPO_REL_SAME_NUMA] = "same-numa",
		[TOPO_REL_OTHER_NUMA] = "other-numa",
		[TOPO_REL_OTHER_PACKAGE_SAME_NUMA] = "other-package-same-numa",
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
	unsigned n = t->nusable;

	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = i + 1; j < n; j++) {
			struct topo_relation rel;
			unsigned a = t->usable_pus[i], b = t->usable_pus[j];

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
	return rel->kind > TOPO_REL_SHARED_CACHE;
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

/* The usable PUs below O that are not taken yet (SCRATCH: room to count
 * them in, one bitmap for the whole placement). */
static unsigned free_weight(const struct topo *t, hwloc_const_bitmap_t taken, hwloc_bitmap_t scratch, hwloc_obj_t o)
{
	int w;

	hwloc_bitmap_and(scratch, o->cpuset, t->usable);
	hwloc_bitmap_andnot(scratch, scratch, taken);
	w = hwloc_bitmap_weight(scratch);
	return w > 0 ? (unsigned)w : 0;
}

/* Spreads N threads over the free usable PUs below O: each child gets a
 * share of N in proportion to its free PUs (one per package first, then
 * per NUMA node, cache and core), recursively. Computed here rather than
 * by hwloc_distrib, which asserts on an inconsistent topology (one read
 * from a damaged file); TAKEN keeps a PU from being placed twice whatever
 * the tree says. Returns how many were placed. */
static size_t spread(const struct topo *t, hwloc_bitmap_t taken, hwloc_bitmap_t scratch, hwloc_obj_t o, size_t n,
		     unsigned *pus)
{
	unsigned total = free_weight(t, taken, scratch, o), given_weight = 0;
	size_t placed = 0;

	if (n == 0 || total == 0)
		return 0;
	if (o->type == HWLOC_OBJ_PU) {
		pus[0] = o->os_index;
		hwloc_bitmap_set(taken, o->os_index);
		return 1;
	}
	for (unsigned i = 0; i < o->arity && placed < n; i++) {
		unsigned w = free_weight(t, taken, scratch, o->children[i]);
		size_t upto, chunk;

		if (!w)
			continue;
		/* Cumulative shares, rounded up: the first children get the extra
		 * threads, as hwloc does. */
		given_weight += w;
		upto = (size_t)(((uint64_t)(given_weight < total ? given_weight : total) * n + total - 1) / total);
		chunk = upto > placed ? upto - placed : 0;
		placed += spread(t, taken, scratch, o->children[i], chunk < n - placed ? chunk : n - placed, pus + placed);
	}
	return placed;
}

static size_t place_scatter(const struct topo *t, size_t n, unsigned *pus)
{
	hwloc_bitmap_t taken = hwloc_bitmap_alloc(), scratch = hwloc_bitmap_alloc();
	size_t placed = spread(t, taken, scratch, hwloc_get_root_obj(t->h), n, pus);

	/* A tree whose parts do not add up leaves some unplaced: the first
	 * free usable PUs take them. */
	for (unsigned i = 0; i < t->nusable && placed < n; i++) {
		if (!hwloc_bitmap_isset(taken, t->usable_pus[i])) {
			hwloc_bitmap_set(taken, t->usable_pus[i]);
			pus[placed++] = t->usable_pus[i];
		}
	}
	hwloc_bitmap_free(taken);
	hwloc_bitmap_free(scratch);
	return placed;
}

size_t topo_place(const struct topo *t, enum topo_placement policy, size_t n, unsigned *pus)
{
	if (n > t->nusable)
		n = t->nusable;
	if (policy == TOPO_PLACE_SCATTER)
		return place_scatter(t, n, pus);
	for (size_t i = 0; i < n; i++)
		pus[i] = t->usable_pus[i];
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
	obj = pu_object(t, pu);
	if (!obj) {
		ml_error_set(err, "no CPU %u on this machine", pu);
		return -1;
	}
	if (!hwloc_bitmap_isset(t->usable, pu)) {
		char *allowed = topo_usable_list(t);

		ml_error_set(err, "CPU %u is not one this process may use (%s)", pu, allowed);
		free(allowed);
		return -1;
	}
	if (hwloc_set_cpubind(t->h, obj->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT) < 0 &&
	    hwloc_set_cpubind(t->h, obj->cpuset, HWLOC_CPUBIND_THREAD) < 0) {
		ml_error_set(err, "cannot pin to CPU %u: %s", pu, strerror(errno));
		return -1;
	}
	return 0;
}

int topo_export_xml(const struct topo *t, FILE *fp, const char *name, struct ml_error *err)
{
	char *xml = NULL;
	int len = 0, rc = 0;

	/* Into memory first: hwloc's own file export does not report a short
	 * write. */
	if (hwloc_topology_export_xmlbuffer(t->h, &xml, &len, 0) < 0) {
		ml_error_set(err, "%s: cannot export the topology: %s", name, strerror(errno));
		return -1;
	}
	/* LEN counts the terminating NUL. */
	if (len > 0 && fwrite(xml, 1, (size_t)len - 1, fp) != (size_t)len - 1) {
		ml_error_set(err, "%s: cannot write: %s", name, strerror(errno));
		rc = -1;
	}
	hwloc_free_xmlbuffer(t->h, xml);
	return rc;
}
