#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>

#include "interrupt.h"
#include "progress.h"
#include "replay.h"
#include "trace_demux.h"
#include "xalloc.h"

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

/* Each core's next records, taken from the demux a run at a time. */
#define CORE_BUFFER 512

struct core_feed {
	struct trace_record rec[CORE_BUFFER];
	size_t n, next;
	bool done;
};

/* Makes sure FEED has a record unless its thread is finished; -1 on error. */
static int refill(struct trace_demux *d, unsigned thread, struct core_feed *feed, struct ml_error *err)
{
	ssize_t n;

	if (feed->next < feed->n || feed->done)
		return 0;
	n = trace_demux_fill(d, thread, feed->rec, CORE_BUFFER, err);
	if (n < 0)
		return -1;
	feed->n = (size_t)n;
	feed->next = 0;
	feed->done = n == 0;
	return 0;
}

/* The timed order: the core whose next access comes earliest issues it
 * (ties to the lower core), and goes on issuing while it stays ahead of
 * every other core, which its own accesses cannot delay. */
static uint64_t replay_timed(struct sim *s, struct trace_reader *r, unsigned threads, struct ml_error *err)
{
	struct trace_demux *d = trace_demux_new(r, 0);
	struct core_feed *feed = xcalloc(threads, sizeof(*feed));
	uint64_t done = 0, reported = 0;

	for (;;) {
		int first = -1, second = -1;
		uint64_t first_time = 0, second_time = UINT64_MAX;
		size_t n;

		for (unsigned t = 0; t < threads; t++) {
			uint64_t time;

			if (refill(d, t, &feed[t], err) < 0)
				goto fail;
			if (feed[t].done)
				continue;
			time = sim_issue_time(s, t, &feed[t].rec[feed[t].next]);
			if (first < 0 || time < first_time) {
				second = first;
				second_time = first_time;
				first = (int)t;
				first_time = time;
			} else if (second < 0 || time < second_time) {
				second = (int)t;
				second_time = time;
			}
		}
		if (first < 0 || interrupt_requested())
			break;
		/* FIRST keeps the turn on a tie only if it is the lower core. */
		n = sim_access_run(s, &feed[first].rec[feed[first].next], feed[first].n - feed[first].next,
				   second < 0 ? UINT64_MAX : second_time, second < 0 || first < second);
		feed[first].next += n;
		done += n;
		if (done - reported >= (1u << 20)) {
			reported = done;
			progress_update("%" PRIu64 " accesses", done);
		}
	}
	free(feed);
	trace_demux_free(d);
	return done;
fail:
	free(feed);
	trace_demux_free(d);
	return UINT64_MAX;
}

uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	if (sim_file_order(s))
		return replay_file_order(s, r, err);
	return replay_timed(s, r, trace_reader_header(r)->threads, err);
}
