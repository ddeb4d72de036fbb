/* The replays 'mesilab explain' makes: the trace under the protocols with
 * each record's costs attributed to its code location (read beside the
 * simulator from the trace's own file), and copies of the trace with its
 * addresses moved (the data padded apart, or placed differently). */
#ifndef MESILAB_CLI_EXPLAIN_REPLAY_H
#define MESILAB_CLI_EXPLAIN_REPLAY_H

#include <stdint.h>

#include "attribution.h"
#include "engine.h"
#include "error.h"
#include "trace_reader.h"

struct explain_replay {
	struct sim *s;
	struct attribution *a;
	uint64_t accesses;
};

/* What a replay reads: REPLAYED (R itself, or a moved copy of it whose
 * addresses are R's plus MOVED_BY), and each record's location in R,
 * whose records start at byte RECORDS_AT. */
struct explain_source {
	struct trace_reader *r;
	uint64_t records_at;
	struct trace_reader *replayed;
	uint64_t moved_by;
};

/* Replays FROM into a simulation of CFG under the N PROTOCOLS, attributing
 * each record to its location. 0 with OUT, or -1 with ERR (a malformed
 * trace, or records that do not follow R's). */
int explain_replay_run(const struct explain_source *from, const struct sim_config *cfg,
		       const struct protocol *const *protocols, unsigned n, struct explain_replay *out,
		       struct ml_error *err);
void explain_replay_free(struct explain_replay *x);

/* A move for explain_moved_trace: ADDRESS plus the uint64_t at CTX. */
uint64_t explain_move_by(void *ctx, uint64_t address);
/* A temporary copy of the trace at PATH with each record's address
 * MOVE(CTX, address): its path (the caller unlinks it and frees the
 * string), or NULL with ERR. */
char *explain_moved_trace(const char *path, uint64_t (*move)(void *ctx, uint64_t address), void *ctx,
			  struct ml_error *err);

#endif
