/* Which PUs the benchmarks that move lines between cores run on: always
 * among the PUs mesilab may use (topo_usable_pus). */
#ifndef MESILAB_PAIRS_H
#define MESILAB_PAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "topo.h"

struct pu_pair {
	unsigned a, b;
};

/* Every ordered pair of usable PUs (ALL), or one pair per relation they
 * have (SMT siblings, each shared cache level, same NUMA node, other NUMA
 * node, other package); at most MAX. Returns how many. */
size_t pairs_choose(const struct topo *t, bool all, struct pu_pair *pairs, size_t max);

/* A third PU C to share a line with B (state S): on a core of its own,
 * neither A's nor B's (a sibling of B's would hold the line in B's own
 * caches, which is not sharing). Preferably one that stands to A as B does;
 * *SAME_RELATION says whether it does. Returns -1 when the usable PUs span
 * fewer than three cores. */
int pairs_third(const struct topo *t, const struct pu_pair *p, unsigned *c, bool *same_relation);

/* Whether the usable PUs span at least three cores (state S needs them). */
bool pairs_have_third_core(const struct topo *t);

#endif
