/* Which PUs the benchmarks that move lines between cores run on. */
#ifndef MESILAB_PAIRS_H
#define MESILAB_PAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "topo.h"

struct pu_pair {
	unsigned a, b;
};

/* Every ordered pair of PUs (ALL), or one pair per relation the topology
 * has (SMT siblings, each shared cache level, same NUMA node, same
 * package, other package); at most MAX. Returns how many. */
size_t pairs_choose(const struct topo *t, bool all, struct pu_pair *pairs, size_t max);

/* A third PU for a line shared by B and C: one that stands to A as B does
 * when there is one, else any other. Returns -1 on a two-PU machine. */
int pairs_third(const struct topo *t, const struct pu_pair *p, unsigned *c);

#endif
