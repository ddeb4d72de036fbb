#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
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
	/* A read that a stop request cut short is a stop, not a failure. */
	return n < 0 && !interrupt_requested() ? UINT64_MAX : done;
}

struct timed_feed {
	struct trace_demux *demux;
	unsigned threads;
	uint64_t given;
	struct ml_error *err;
	bool failed;
};

/* Each core's records from the demux; the interruption is checked and the
 * progress shown between runs of records. */
static ssize_t feed_from_demux(void *ctx, unsigned core, const struct trace_record **records)
{
	struct timed_feed *f = ctx;
	ssize_t n;

	if (core >= f->threads)
		return 0;
	if (interrupt_requested())
		return -1;
	n = trace_demux_lend(f->demux, core, records, f->err);
	if (n < 0) {
		/* A read that a stop request cut short is a stop, not a failure. */
		f->failed = !interrupt_requested();
		return -1;
	}
	/* Shown about every million accesses, not at every run handed out. */
	if ((f->given ^ (f->given + (uint64_t)n)) >> 20)
		progress_update("%" PRIu64 " accesses", f->given + (uint64_t)n);
	f->given += (uint64_t)n;
	return n;
}

static uint64_t replay_timed(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	struct timed_feed f = { trace_demux_new(r, 0), trace_reader_header(r)->threads, 0, err, false };
	uint64_t done;

	sim_run_timed(s, feed_from_demux, &f, &done);
	trace_demux_free(f.demux);
	return f.failed ? UINT64_MAX : done;
}

uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	if (sim_file_order(s))
		return replay_file_order(s, r, err);
	return replay_timed(s, r, err);
}
