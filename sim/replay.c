#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "interrupt.h"
#include "progress.h"
#include "replay.h"
#include "trace_demux.h"
#include "trace_locations.h"
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

static int sync_thread_from_demux(void *ctx, uint64_t k)
{
	struct timed_feed *f = ctx;
	int t = trace_demux_sync_thread(f->demux, k, f->err);

	if (t == -2)
		f->failed = !interrupt_requested();
	return t;
}

static const uint64_t *keys_from_demux(void *ctx, unsigned core)
{
	struct timed_feed *f = ctx;

	return trace_demux_lent_indices(f->demux, core);
}

static const struct sim_sync_feed sync_from_demux = { sync_thread_from_demux, keys_from_demux, NULL };

/* A traced program's hand-overs (struct sim_handovers), as they are built. */
struct handovers {
	struct sim_handovers h;
	uint64_t *word;
	uint16_t **turns;
	size_t *nturns;
};

static int by_address(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void handovers_free(struct handovers *h)
{
	for (size_t i = 0; i < h->h.n; i++)
		free(h->turns[i]);
	free(h->turns);
	free(h->nturns);
	free(h->word);
}

/* The hand-over words NAMES's code locations name (trace_locations.h),
 * each moved by MOVE (when not NULL), and the threads of R's
 * synchronisation records on each, in R's order (its chunks that count
 * none are not read). 0 with none found (H->h.n 0), -1 on a bad read. */
static int find_handovers(struct handovers *h, struct trace_reader *r, const struct trace_reader *names,
			  uint64_t (*move)(void *ctx, uint64_t address), void *move_ctx, struct ml_error *err)
{
	const struct trace_locations *l = trace_reader_locations(names);
	struct trace_reader *syncs;
	const struct trace_record *recs;
	ssize_t n = 0;

	memset(h, 0, sizeof(*h));
	for (uint32_t i = 0; l && i < l->nblocks; i++) {
		if (l->blocks[i].kind != TRACE_BLOCK_HANDOVER)
			continue;
		h->word = xrealloc(h->word, h->h.n + 1, sizeof(*h->word));
		h->word[h->h.n++] = move ? move(move_ctx, l->blocks[i].address) : l->blocks[i].address;
	}
	if (!h->h.n)
		return 0;
	qsort(h->word, h->h.n, sizeof(*h->word), by_address);
	h->turns = xcalloc(h->h.n, sizeof(*h->turns));
	h->nturns = xcalloc(h->h.n, sizeof(*h->nturns));
	syncs = trace_reader_cursor_syncs(r, trace_reader_offset(r));
	if (!syncs)
		syncs = trace_reader_cursor_all(r, trace_reader_offset(r), 65536);
	while ((n = trace_reader_batch(syncs, &recs, err)) > 0 && !interrupt_requested()) {
		for (ssize_t i = 0; i < n; i++) {
			uint64_t *w;
			size_t k;

			if (!trace_is_sync(&recs[i]) ||
			    !(w = bsearch(&recs[i].address, h->word, h->h.n, sizeof(*h->word), by_address)))
				continue;
			k = (size_t)(w - h->word);
			h->turns[k] = xrealloc(h->turns[k], h->nturns[k] + 1, sizeof(**h->turns));
			h->turns[k][h->nturns[k]++] = recs[i].thread;
		}
	}
	trace_reader_close(syncs);
	h->h.word = h->word;
	h->h.turns = (const uint16_t *const *)h->turns;
	h->h.nturns = h->nturns;
	return n < 0 ? -1 : 0;
}

/* The timed order; a traced program's threads start after their
 * creation and end before their join, as they did (their hand-over
 * words' records in each word's order), where its trace names them. */
static uint64_t replay_timed(struct sim *s, struct trace_reader *r, bool synced, const struct trace_reader *names,
			     uint64_t (*move)(void *ctx, uint64_t address), void *move_ctx, struct ml_error *err)
{
	struct timed_feed f = { trace_demux_new(r, 0), trace_reader_header(r)->threads, 0, err, false };
	struct handovers h = { 0 };
	uint64_t done = 0;

	if (synced) {
		trace_demux_follow_order(f.demux);
		sim_run_synced(s, feed_from_demux, &sync_from_demux, &f, &done);
	} else if (find_handovers(&h, r, names, move, move_ctx, err) < 0) {
		f.failed = !interrupt_requested();
	} else if (h.h.n) {
		const struct sim_sync_feed by_handovers = { NULL, NULL, &h.h };

		sim_run_synced(s, feed_from_demux, &by_handovers, &f, &done);
	} else {
		sim_run_timed(s, feed_from_demux, &f, &done);
	}
	handovers_free(&h);
	trace_demux_free(f.demux);
	return f.failed ? UINT64_MAX : done;
}

uint64_t sim_replay_named(struct sim *s, struct trace_reader *r, const struct trace_reader *names,
			  uint64_t (*move)(void *ctx, uint64_t address), void *move_ctx, struct ml_error *err)
{
	if (sim_order(s) == SIM_ORDER_FILE)
		return replay_file_order(s, r, err);
	return replay_timed(s, r, sim_order(s) == SIM_ORDER_SYNCED, names, move, move_ctx, err);
}

uint64_t sim_replay(struct sim *s, struct trace_reader *r, struct ml_error *err)
{
	return sim_replay_named(s, r, r, NULL, NULL, err);
}

enum sim_order sim_order_of_trace(const struct trace_header *h)
{
	static const enum sim_order by_kind[TRACE_NORDER_KINDS] = {
		[TRACE_ORDER_STREAMS] = SIM_ORDER_TIMED,
		[TRACE_ORDER_REFERENCE] = SIM_ORDER_FILE,
		[TRACE_ORDER_PROGRAM] = SIM_ORDER_SYNCED,
	};

	return by_kind[h->order];
}

unsigned sim_line_of_trace(const struct trace_header *h)
{
	return cache_line_valid(h->line_size) ? h->line_size : 0;
}

int sim_order_parse(const char *name, enum sim_order *order)
{
	for (int o = 0; o < SIM_NORDERS; o++) {
		if (strcmp(name, sim_order_names[o]) == 0) {
			*order = (enum sim_order)o;
			return 0;
		}
	}
	return -1;
}

/* The order, in words, and what the header says the trace is. */
static const char *const order_words[SIM_NORDERS] = {
	[SIM_ORDER_TIMED] = "timed order",
	[SIM_ORDER_FILE] = "file order",
	[SIM_ORDER_SYNCED] = "synchronised timed order",
};
static const char *const kind_words[TRACE_NORDER_KINDS] = {
	[TRACE_ORDER_STREAMS] = "independent per-core streams",
	[TRACE_ORDER_REFERENCE] = "a trace whose file order is the reference",
	[TRACE_ORDER_PROGRAM] = "a traced program",
};

void sim_order_describe(const struct sim *s, const struct trace_header *h, bool chosen, uint64_t replayed,
			char *buf, size_t len)
{
	enum sim_order o = sim_order(s);
	uint64_t sync_records, ahead;
	int used;

	used = snprintf(buf, len, "%s (%s%s)", order_words[o], chosen ? "as asked; the header says: " : "",
			kind_words[h->order]);
	if (o == SIM_ORDER_FILE || used < 0 || (size_t)used >= len)
		return;
	sim_order_stats(s, &sync_records, &ahead);
	if (o == SIM_ORDER_TIMED) {
		if (sync_records)
			snprintf(buf + used, len - (size_t)used,
				 ": the threads side by side, their synchronisation ignored but for their starts and ends: "
				 "each started after its creation and ended before its join (%" PRIu64 " record%s on the "
				 "threads' hand-overs kept in order)", sync_records, sync_records == 1 ? "" : "s");
		return;
	}
	snprintf(buf + used, len - (size_t)used,
		 ": %" PRIu64 " synchronisation record%s kept in the program's order; %" PRIu64
		 " access%s (%.1f%%) replayed ahead of an earlier access of another thread in the file",
		 sync_records, sync_records == 1 ? "" : "s", ahead, ahead == 1 ? "" : "es",
		 replayed ? 100.0 * (double)ahead / (double)replayed : 0.0);
}
