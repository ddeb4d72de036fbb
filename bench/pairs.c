#include <config.h>

#include "pairs.h"

size_t pairs_choose(const struct topo *t, bool all, struct pu_pair *pairs, size_t max)
{
	unsigned n = topo_usable_pus(t);
	size_t count = 0;

	if (n < 2)
		return 0;
	if (all) {
		for (unsigned i = 0; i < n; i++)
			for (unsigned k = 0; k < n; k++)
				if (i != k && count < max)
					pairs[count++] = (struct pu_pair){ topo_usable_pu_at(t, i),
									   topo_usable_pu_at(t, k) };
		return count;
	}
	for (int kind = TOPO_REL_SMT; kind <= TOPO_REL_OTHER_PACKAGE && count < max; kind++) {
		/* Shared caches are one relation per level (L2, L3, ...). */
		unsigned first = kind == TOPO_REL_SHARED_CACHE ? 1 : 0;
		unsigned last = kind == TOPO_REL_SHARED_CACHE ? 5 : 0;

		for (unsigned depth = first; depth <= last && count < max; depth++) {
			struct topo_relation rel = { (enum topo_relation_kind)kind, depth };
			unsigned pair[2];

			/* No data cache at that depth, no pair sharing one: not a
			 * search over every pair of PUs to find out. */
			if (kind == TOPO_REL_SHARED_CACHE && topo_data_cache_at_depth(t, depth) < 0)
				continue;
			if (topo_pair_with_relation(t, &rel, pair) == 0)
				pairs[count++] = (struct pu_pair){ pair[0], pair[1] };
		}
	}
	return count;
}

static bool same_core(const struct topo *t, unsigned x, unsigned y)
{
	struct topo_relation rel;

	return topo_relation(t, x, y, &rel) == 0 && rel.kind <= TOPO_REL_SMT;
}

int pairs_third(const struct topo *t, const struct pu_pair *p, unsigned *c, bool *same_relation)
{
	struct topo_relation want, rel;
	int other = -1;

	topo_relation(t, p->a, p->b, &want);
	for (unsigned i = 0; i < topo_usable_pus(t); i++) {
		unsigned pu = topo_usable_pu_at(t, i);

		if (same_core(t, pu, p->a) || same_core(t, pu, p->b))
			continue;
		topo_relation(t, p->a, pu, &rel);
		if (rel.kind == want.kind && rel.cache_depth == want.cache_depth) {
			*c = pu;
			*same_relation = true;
			return 0;
		}
		if (other < 0)
			other = (int)pu;
	}
	if (other < 0)
		return -1;
	*c = (unsigned)other;
	*same_relation = false;
	return 0;
}

bool pairs_have_third_core(const struct topo *t)
{
	unsigned cores[3], n = 0;

	for (unsigned i = 0; i < topo_usable_pus(t) && n < 3; i++) {
		unsigned pu = topo_usable_pu_at(t, i);
		bool seen = false;

		for (unsigned k = 0; k < n; k++)
			seen |= same_core(t, pu, cores[k]);
		if (!seen)
			cores[n++] = pu;
	}
	return n == 3;
}
