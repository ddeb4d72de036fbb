/* A core's store buffer, in the simulator's timing: the stores the core
 * has retired and not yet made visible, oldest first, each with the time
 * its drain completes. The stores drain in order (x86-TSO), so those
 * times never decrease; a store whose time has passed has left. What a
 * store costs and whether it coalesces is the engine's (engine_access.c);
 * this is the queue and its questions. */
#ifndef MESILAB_STORE_BUFFER_H
#define MESILAB_STORE_BUFFER_H

#include <stdbool.h>
#include <stdint.h>

struct store_buffer_entry {
	uint64_t line, address, done;
	unsigned size;
	bool superseded; /* another core has stored to its bytes since: not forwarded, not joined */
};

struct store_buffer {
	struct store_buffer_entry *entry; /* a ring of CAP */
	unsigned cap, head, count;        /* HEAD: the oldest */
	uint64_t last_done;               /* when the newest store drains (0: none yet) */
};

void store_buffer_init(struct store_buffer *b, unsigned entries);
void store_buffer_free(struct store_buffer *b);
/* When a store issued at NOW can retire into the buffer: NOW, or, with
 * the buffer full, when its oldest store drains (the core stalls till
 * then). Forgets the stores drained by that time. */
uint64_t store_buffer_room(struct store_buffer *b, uint64_t now);
/* Whether the newest store is to LINE, still waiting at NOW and not
 * superseded: a store to LINE now may join its ownership request. */
bool store_buffer_pending_tail(const struct store_buffer *b, uint64_t line, uint64_t now);
/* Adds a store, which drains at DONE (no earlier than the newest). */
void store_buffer_push(struct store_buffer *b, uint64_t line, uint64_t address, unsigned size, uint64_t done);
/* Whether a store still waiting at NOW holds every byte of [ADDRESS,
 * ADDRESS + SIZE): a load of them is forwarded from the buffer (the
 * newest such store; a load only partly covered waits for the cache). */
bool store_buffer_forwards(const struct store_buffer *b, uint64_t address, unsigned size, uint64_t now);
/* When the stores to LINE still waiting at NOW have drained, 0 when
 * none is: another core sees them only then. */
uint64_t store_buffer_line_done(const struct store_buffer *b, uint64_t line, uint64_t now);
/* Another core stored to [ADDRESS, ADDRESS + SIZE) after the stores in
 * the buffer, in the order the accesses issue, whatever the clocks say (a
 * trace replayed in its file order keeps the cores' clocks apart): a load
 * no longer gets those bytes from them, nor does a store join their
 * request. */
void store_buffer_supersede(struct store_buffer *b, uint64_t address, unsigned size);

#endif
