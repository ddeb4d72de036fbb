#include <config.h>

#include <inttypes.h>
#include <sys/types.h>

#include "interrupt.h"
#include "progress.h"
#include "replay.h"
#include "trace_demux.h"

static uint64_t replay_file_order(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	const struct trace_record *recs;
	uint64_t done = 0;
	ssize_t n;

	while ((n = trace_reader_batch(r, &recs, err)) > 0 && !interrupt_requested()) {
		for (ssize_t i = 0; i < n; i++)
			sim_access(s, &recs[i]);
		done += (uint64_t)n;
		progress_update("%" PRIu64 " accesses", done);
	}
	return n < 0 ? UINT64_MAX : done;
}

static uint64_t replay_timed(struct sim *s, struct trace_reader *r, unsigned threads, struct ml_error *err)
{
	struct trace_demux *d = trace_demux_new(r, 0);
	struct trace_record pending[SIM_MAX_CORES];
	const struct trace_record *next[SIM_MAX_CORES] = { 0 };
	uint64_t done = 0;
	int core, rc;

	for (unsigned t = 0; t < threads; t++) {
		if ((rc = trace_demux_next(d, t, &pending[t], err)) < 0)
			goto fail;
		next[t] = rc ? &pending[t] : NULL;
	}
	while ((core = sim_next_core(s, next)) >= 0 && !interrupt_requested()) {
		sim_access(s, next[core]);
		if ((rc = trace_demux_next(d, (unsigned)core, &pending[core], err)) < 0)
			goto fail;
		next[core] = rc ? &pending[core] : NULL;
		if (++done % (1u << 20) == 0)
			progress_update("%" PRIu64 " accesses", done);
	}
	trace_demux_free(d);
	return done;
fail:
	trace_demux_free(d);
	return UINT64_MAX;
}

uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	if (sim_file_order(s))
		return replay_file_order(s, r, err);
	return replay_timed(s, r, trace_reader_header(r)->threads, err);
}
