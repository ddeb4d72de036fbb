/* Exhaustive checking of a protocol table: every reachable state of N
 * caches holding one line, with every core able to read, write or evict
 * at every step, and at every state the invariants:
 *   - at most one writable copy, and none beside another valid copy
 *     (single writer, multiple readers);
 *   - at most one owner (M, O, F, Sm);
 *   - every read returns the value of the latest write.
 * Data is tracked abstractly: whether each copy, and memory, holds the
 * latest value. Breadth-first, so a violation comes with the shortest
 * sequence of operations that reaches it. */
#ifndef MESILAB_VERIFY_H
#define MESILAB_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"

#define VERIFY_MAX_CACHES 5
#define VERIFY_MAX_STEPS 64

struct verify_step {
	uint8_t core;
	uint8_t event; /* enum proc_event */
};

struct verify_result {
	uint64_t states, transitions;
	bool ok;
	char violation[256];
	struct verify_step path[VERIFY_MAX_STEPS]; /* from the initial state */
	unsigned path_len;
};

/* Explores P with NCACHES caches (1 to VERIFY_MAX_CACHES). */
void verify_protocol(const struct protocol *p, unsigned ncaches, struct verify_result *r);

/* "P0 read, P1 write, P0 evict" into BUF. */
void verify_format_path(const struct verify_result *r, char *buf, size_t len);

#endif
