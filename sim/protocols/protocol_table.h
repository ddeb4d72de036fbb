/* Shorthands for writing protocol tables (sim/protocols/ only). */
#ifndef MESILAB_PROTOCOL_TABLE_H
#define MESILAB_PROTOCOL_TABLE_H

#include "protocol.h"

/* A processor event: the transaction, then the next state without and with
 * the shared signal. */
#define ON(bus_, alone, shared) { .defined = true, .bus = (bus_), .next = { (alone), (shared) } }
/* The same state whatever happens: a hit. */
#define HIT(state) ON(BUS_NONE, (state), (state))
/* An eviction, writing the line back or not. */
#define EVICT(wb) { .defined = true, .bus = BUS_NONE, .next = { STATE_I, STATE_I }, .writeback = (wb) }
/* A snooped transaction: next state, supplies the line, writes it back. */
#define SNOOP(next_, supplies_, writeback_) \
	{ .defined = true, .next = (next_), .supplies = (supplies_), .writeback = (writeback_) }

#define VALID STATE_VALID
#define WRITABLE STATE_WRITABLE
#define DIRTY STATE_DIRTY
#define OWNER STATE_OWNER

#endif
