/* What the miss classification needs to know of each core's references,
 * whatever the protocol: the lines it has ever touched (a miss on a line
 * never touched is cold) and a fully associative LRU cache of the same
 * capacity (a miss it would also take is a capacity miss, else a conflict
 * miss). Coherence misses are told apart by the protocol's instance. */
#ifndef MESILAB_CLASSIFY_H
#define MESILAB_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "line_bits.h"

/* A fully associative LRU cache of line numbers: a circular doubly linked
 * list of nodes in recency order around a sentinel (so that moving a node
 * never branches on the list's ends), found through an open-addressing
 * index of twice the capacity (so probes stay short and it never grows). */
struct fa_node {
	uint64_t line;
	uint32_t prev, next;
};

struct fa_lru {
	struct fa_node *node; /* capacity nodes, then the sentinel */
	uint32_t *index;      /* slot -> node, or NIL */
	unsigned index_bits;
	uint32_t sentinel, used, capacity;
};

struct core_history {
	struct line_bits seen;
	struct fa_lru shadow;
	bool last_shadow_hit, last_cold;
};

void core_history_init(struct core_history *h, uint32_t capacity_lines);
void core_history_free(struct core_history *h);
/* Records a reference to LINE: whether the shadow cache held it and
 * whether the line had never been touched before. */
void core_history_reference(struct core_history *h, uint64_t line);

#endif
