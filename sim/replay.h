/* Feeding a trace to the simulator: in the file's order, each core's next
 * access when its clock says so (the timed order: a traced program's
 * threads still start after their creation and end before their join),
 * or so but with the synchronisation records kept in the file's order
 * (the synchronised order); and which of them a trace asks for. */
#ifndef MESILAB_SIM_REPLAY_H
#define MESILAB_SIM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "error.h"
#include "trace_reader.h"

/* Replays R into S in the order S's configuration asks for, showing
 * progress; stops early on Ctrl-C. Returns the accesses replayed, or
 * UINT64_MAX with ERR when the trace turns out malformed. */
uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err);
/* The same for R, a trace rewritten from NAMES with its addresses moved
 * by MOVE (explain's regrouped and shifted replays, which keep no code
 * locations): the threads' hand-over words NAMES's, so moved. */
uint64_t sim_replay_named(struct sim *s, struct trace_reader *r, const struct trace_reader *names,
			  uint64_t (*move)(void *ctx, uint64_t address), void *move_ctx, struct ml_error *err);

/* The order a trace replays in unless told otherwise, from how its order
 * was obtained: a program's synchronised, a reference's file order,
 * streams' timed. */
enum sim_order sim_order_of_trace(const struct trace_header *h);
/* The line size a trace with header H replays with unless told: its
 * header's hint, the line of the machine it was traced on; 0 where it
 * names none (an imported trace) or one no cache can have. */
unsigned sim_line_of_trace(const struct trace_header *h);
/* The order named NAME ("timed", "file", "synced"): 0, or -1. */
int sim_order_parse(const char *name, enum sim_order *order);

/* After a replay of REPLAYED records of a trace with header H into S:
 * which order they were replayed in and why, in words, one line without
 * its newline (CHOSEN: asked for rather than the header's); for the
 * synchronised order, the synchronisation records kept and how far the
 * replay went from the file's order: the accesses replayed ahead of an
 * earlier one (in the file) of another thread, none in file order. */
void sim_order_describe(const struct sim *s, const struct trace_header *h, bool chosen, uint64_t replayed,
			char *buf, size_t len);

#endif
