/* The machine's hierarchy and thread placement, through hwloc. Nothing else
 * in mesilab reads /sys or /proc for topology. PUs are named by their
 * operating-system index (what taskset and /proc/cpuinfo call a CPU). */
#ifndef MESILAB_TOPO_H
#define MESILAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

enum topo_source_kind {
	TOPO_THIS_MACHINE,
	TOPO_SYNTHETIC, /* an hwloc synthetic description, e.g. "pack:2 core:4 pu:2" */
	TOPO_XML,       /* an hwloc XML export (lstopo foo.xml) */
};

enum topo_cache_type { TOPO_CACHE_UNIFIED, TOPO_CACHE_DATA, TOPO_CACHE_INSTRUCTION };

#define TOPO_MAX_CACHE_LEVELS 12

/* One level of cache, e.g. all the L2 instances. */
struct topo_cache_level {
	char name[8]; /* "L1d", "L1i", "L2", "L3" */
	unsigned depth;
	enum topo_cache_type type;
	uint64_t size;        /* bytes, of the first instance */
	bool uniform;         /* every instance has the same size */
	unsigned line;        /* bytes, 0 when unknown */
	int ways;             /* -1 fully associative, 0 unknown */
	unsigned instances;
	/* PUs sharing one instance: the fewest and the most (they differ on
	 * an uneven machine, e.g. with a CPU offline). */
	unsigned pus_min, pus_max;
};

struct topo;

struct topo *topo_load(enum topo_source_kind kind, const char *arg, struct ml_error *err);
void topo_free(struct topo *t);

/* "this machine", "synthetic pack:2 ...", "XML file.xml" */
const char *topo_source(const struct topo *t);
bool topo_is_this_machine(const struct topo *t);
/* The CPU model hwloc found, or NULL. */
const char *topo_cpu_model(const struct topo *t);

unsigned topo_packages(const struct topo *t);
unsigned topo_numa_nodes(const struct topo *t);
unsigned topo_cores(const struct topo *t);
unsigned topo_pus(const struct topo *t);

size_t topo_cache_levels(const struct topo *t);
const struct topo_cache_level *topo_cache_level(const struct topo *t, size_t i);
/* The size of the largest data or unified cache (the last level), 0 if none. */
uint64_t topo_largest_data_cache(const struct topo *t);
/* The size of the largest data or unified cache no deeper than MAX_DEPTH
 * that no other core shares (SMT siblings may), 0 if none. */
uint64_t topo_largest_private_cache(const struct topo *t, unsigned max_depth);
/* Index of the data (or unified) cache at DEPTH, or -1. */
int topo_data_cache_at_depth(const struct topo *t, unsigned depth);

/* One instance of a cache level: its size, how many PUs share it and
 * which, as a list such as "0-3,8-11". Returns a string the caller frees
 * (NULL past the last instance). SIZE and PUS may be NULL. */
char *topo_cache_instance(const struct topo *t, size_t level, unsigned instance,
			  uint64_t *size, unsigned *pus);

/* The PUs mesilab may use: on this machine the process's CPU affinity
 * (taskset, numactl, cgroups, Slurm) within what the system allows; every
 * PU of another machine's topology. Every benchmark picks its PUs among
 * them only. */
unsigned topo_usable_pus(const struct topo *t);
/* The i-th usable PU in hwloc's logical order (close PUs have close
 * indexes), by operating-system index. */
unsigned topo_usable_pu_at(const struct topo *t, unsigned i);
bool topo_pu_usable(const struct topo *t, unsigned pu);
/* The cores with at least one usable PU. */
unsigned topo_usable_cores(const struct topo *t);
bool topo_all_usable(const struct topo *t);
/* The usable PUs as a list such as "0-3,8"; the caller frees it. */
char *topo_usable_list(const struct topo *t);
/* Narrows the usable PUs to those of LIST ("0-3,8"), as taskset would:
 * for choosing PUs on a topology of another machine. */
int topo_restrict_usable(struct topo *t, const char *list, struct ml_error *err);

/* How two PUs are related: the closest thing they share. */
enum topo_relation_kind {
	TOPO_REL_SAME_PU,
	TOPO_REL_SMT,          /* two PUs of one core */
	TOPO_REL_SHARED_CACHE, /* different cores; level gives the closest shared cache */
	TOPO_REL_SAME_NUMA,    /* no shared cache, same package and NUMA node */
	TOPO_REL_OTHER_NUMA,   /* no shared cache, other NUMA node of the same package */
	TOPO_REL_OTHER_PACKAGE_SAME_NUMA, /* other package, one NUMA node for both */
	TOPO_REL_OTHER_PACKAGE, /* other package and other NUMA node */
};

struct topo_relation {
	enum topo_relation_kind kind;
	unsigned cache_depth; /* for TOPO_REL_SHARED_CACHE: 2 for L2, 3 for L3 */
};

int topo_relation(const struct topo *t, unsigned pu_a, unsigned pu_b,
		  struct topo_relation *rel);
/* "same-pu", "smt", "shared-L2", "shared-L3", "same-numa", "other-numa",
 * "other-package-same-numa", "other-package"; writes into BUF. */
const char *topo_relation_name(const struct topo_relation *rel, char *buf, size_t len);

/* Placement policies: fill PUS with N usable PUs and return how many were
 * placed (fewer than N when fewer are usable). */
enum topo_placement {
	TOPO_PLACE_COMPACT, /* logical order: SMT siblings, then cores sharing caches */
	TOPO_PLACE_SCATTER, /* spread over packages, NUMA nodes, caches, cores */
};
size_t topo_place(const struct topo *t, enum topo_placement policy, size_t n, unsigned *pus);
int topo_placement_parse(const char *name, enum topo_placement *policy);

/* Pairs among the usable PUs. Two PUs on different cores whose closest
 * shared cache is the level at CACHE_DEPTH. Returns 0, or -1 when no such
 * pair exists. */
int topo_pair_sharing_cache(const struct topo *t, unsigned cache_depth, unsigned pair[2]);
/* Two PUs that share no cache at all, only memory. */
int topo_pair_sharing_nothing(const struct topo *t, unsigned pair[2]);
/* Two PUs of one core (SMT siblings). */
int topo_pair_smt(const struct topo *t, unsigned pair[2]);
/* The first pair (in logical order) with the given relation. */
int topo_pair_with_relation(const struct topo *t, const struct topo_relation *rel,
			    unsigned pair[2]);

/* Binds the calling thread to PU; fails on a topology of another machine. */
int topo_pin_current_thread(const struct topo *t, unsigned pu, struct ml_error *err);

/* Writes hwloc's XML export (loadable with lstopo -i FILE) to FP; NAME is
 * for messages. A failed write (a full disk) is an error. */
int topo_export_xml(const struct topo *t, FILE *fp, const char *name, struct ml_error *err);

#endif
