/* Feeding a trace to the simulator: in the file's order, or each core's
 * next access when its clock says so (the timed order). */
#ifndef MESILAB_SIM_REPLAY_H
#define MESILAB_SIM_REPLAY_H

#include <stdint.h>

#include "engine.h"
#include "error.h"
#include "trace_reader.h"

/* Replays R into S in the order S's configuration asks for, showing
 * progress; stops early on Ctrl-C. Returns the accesses replayed, or
 * UINT64_MAX with ERR when the trace turns out malformed. */
uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err);

#endif
