/* The code locations of a traced program: each thread numbers the
 * distinct program counters its accesses come from (its own table: no
 * lock, no shared line), a record keeps the number; at exit the threads'
 * tables become one, and the trace gets it with the load map (see
 * trace_locations.h). */
#ifndef MESILAB_TRACER_LOCATIONS_H
#define MESILAB_TRACER_LOCATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_locations.h"

/* The address the instrumented code returns to: the accessing
 * instruction's place (where a call of the runtime is, its caller). */
#define RT_CALLER ((uintptr_t)__builtin_return_address(0))

/* Program counters numbered from 1, found through an open-addressing
 * index, in front of which a direct-mapped cache keeps the recent ones,
 * by the address's low bits: a loop's accesses come from a few places in
 * turn, all different in their low bits while the loop's code spans no
 * more than RT_PCS_RECENT bytes (a cache of 16 places by a hash of the
 * address sent a third of ocean's accesses to the index). A place and
 * its number share their entry, and so their cache line. */
#define RT_PCS_RECENT 256

struct rt_pcs_recent {
	uintptr_t pc;
	uint32_t loc;
};

struct rt_pcs {
	struct rt_pcs_recent recent[RT_PCS_RECENT];
	uint32_t n, slots_mask;
	uintptr_t *pc;   /* pc[i - 1]: number i */
	uint32_t *slot;  /* a number, 0 empty */
};

/* PC's number in P, added when new; 0 when the table cannot grow. */
uint32_t rt_pcs_add(struct rt_pcs *p, uintptr_t pc);

/* PC's number through the cache: the miss out of line, so that the hit
 * stays a few instructions of the fast path it is inlined into. An entry
 * starts as place 0, number 0, which is what place 0 (no code of the
 * program's) gets. */
uint32_t rt_pcs_miss(struct rt_pcs *p, uintptr_t pc) __attribute__((noinline));

static inline uint32_t rt_pcs_number(struct rt_pcs *p, uintptr_t pc)
{
	const struct rt_pcs_recent *r = &p->recent[pc % RT_PCS_RECENT];

	return __builtin_expect(r->pc == pc, 1) ? r->loc : rt_pcs_miss(p, pc);
}

void rt_pcs_free(struct rt_pcs *p);

/* The heap blocks a thread allocated, its location numbers with them;
 * its allocation calls grow it through the C library's own allocator. */
#define RT_HEAP_MAX_BLOCKS (1u << 22)

struct rt_block {
	uintptr_t address;
	size_t size;
	uint32_t loc;
};

struct rt_heap {
	struct rt_block *b;
	size_t n, cap;
	uint32_t dropped; /* beyond RT_HEAP_MAX_BLOCKS, or memory ran out */
	struct rt_block stack; /* the thread's stack (size 0: unknown), for naming what lies there */
	struct rt_block handover; /* the runtime's word its start and end are recorded on */
};

/* The threads' tables made one: REMAP[t][i - 1] is thread T's number i's
 * number in ALL; the threads' heaps are kept for the section. False when
 * memory ran out. */
struct rt_locations {
	struct rt_pcs all;
	uint32_t **remap;
	uint32_t *nremap;
	const struct rt_heap **heaps; /* per thread (NULL: none), taken over from the caller */
	unsigned threads;
};

bool rt_locations_join(struct rt_locations *l, struct rt_pcs *const *tables, const struct rt_heap **heaps,
		       unsigned threads);
void rt_locations_free(struct rt_locations *l);
/* A record's number in the joined table, from THREAD's. */
static inline uint32_t rt_locations_global(const struct rt_locations *l, unsigned thread, uint32_t local)
{
	return thread < l->threads && local >= 1 && local <= l->nremap[thread] ? l->remap[thread][local - 1] : 0;
}

/* Writes the section after the marker (counts, program counters, load
 * map, heap blocks) through PUT. */
void rt_locations_write(const struct rt_locations *l, trace_loc_put put, void *ctx);

#endif
