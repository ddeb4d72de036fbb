#include <config.h>

#include <stdlib.h>

#include "trace_demux.h"
#include "xalloc.h"

#define DEFAULT_LIMIT (2u << 20)    /* 2 Mi records: 32 MiB */
#define CURSOR_BUFFER_RECORDS 16384 /* 256 KiB per thread */
#define CHUNK_RECORDS 1024          /* 16 KiB */

/* Queued records live in chunks that never move, so that a run lent out
 * stays where it is while other threads' records are queued. Following
 * the order, each record's order key (its index in the file, or a
 * chunked trace's stamp: trace_reader_indices) is kept beside it. */
struct chunk {
	struct chunk *next;
	size_t n;
	struct trace_record rec[CHUNK_RECORDS];
	uint64_t index[]; /* CHUNK_RECORDS of them, following the order */
};

/* The threads of the synchronisation records, in the file's order, from
 * record number BASE on: a ring that grows as reading runs ahead of the
 * replay and drops what the replay has passed. */
struct sync_ring {
	uint16_t *thread;
	size_t cap, head, count;
	uint64_t base;
};

struct queue {
	struct chunk *head, *tail;
	size_t next;  /* the head's first record not lent yet */
	size_t count; /* records queued and not lent yet */
};

struct cursor {
	struct trace_reader *reader;
	int done;
};

struct trace_demux {
	struct trace_reader *main;
	unsigned threads;
	struct queue *queues;
	size_t queued, limit;
	int main_done;
	struct chunk *spare;              /* chunks every thread is done with */
	struct trace_reader *spool;       /* the pipe's remainder, once spilled */
	struct cursor *cursors;           /* one per thread, once spilled */
	/* Following the order (trace_demux_follow_order). */
	bool follow;
	bool stamps;                      /* the order keys are a chunked trace's stamps */
	uint64_t read;                    /* records the main reader gave */
	const uint64_t **lent_index;      /* per thread, the last loan's indices */
	struct sync_ring sync;
	uint64_t sync_scanned;            /* past the spill: how far the ring has the file */
	const struct trace_reader *source; /* past the spill: what the cursors read, */
	uint64_t source_offset;           /* from this byte, where the record of index */
	struct trace_reader *sync_cursor; /* ...and the ring's own, once it is full */
	bool sync_done;
};

struct trace_demux *trace_demux_new(struct trace_reader *r, size_t limit)
{
	struct trace_demux *d = xcalloc(1, sizeof(*d));

	d->main = r;
	d->threads = trace_reader_header(r)->threads;
	d->queues = xcalloc(d->threads, sizeof(*d->queues));
	d->limit = limit ? limit : DEFAULT_LIMIT;
	return d;
}

static void free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

void trace_demux_free(struct trace_demux *d)
{
	if (!d)
		return;
	for (unsigned t = 0; t < d->threads; t++) {
		free_chunks(d->queues[t].head);
		if (d->cursors)
			trace_reader_close(d->cursors[t].reader);
	}
	free_chunks(d->spare);
	free(d->queues);
	free(d->cursors);
	free(d->lent_index);
	free(d->sync.thread);
	trace_reader_close(d->sync_cursor);
	trace_reader_close(d->spool);
	free(d);
}

void trace_demux_follow_order(struct trace_demux *d)
{
	d->follow = true;
	d->lent_index = xcalloc(d->threads, sizeof(*d->lent_index));
	d->stamps = trace_reader_is_chunked(d->main);
	if (d->stamps)
		trace_reader_order_keys(d->main);
}

const uint64_t *trace_demux_lent_indices(const struct trace_demux *d, unsigned thread)
{
	return d->lent_index[thread];
}

int trace_demux_spilled(const struct trace_demux *d)
{
	return d->cursors != NULL;
}

static struct chunk *new_tail(struct trace_demux *d, struct queue *q)
{
	struct chunk *c = d->spare;

	if (c)
		d->spare = c->next;
	else
		c = xmalloc(sizeof(*c) + (d->follow ? CHUNK_RECORDS * sizeof(c->index[0]) : 0));
	c->next = NULL;
	c->n = 0;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	return c;
}

static void sync_push(struct sync_ring *ring, uint16_t thread)
{
	if (ring->count == ring->cap) {
		size_t cap = ring->cap ? 2 * ring->cap : 4096;
		uint16_t *grown = xmalloc(cap * sizeof(*grown));

		/* Unrolled from the head, so that the ring starts at 0 again. */
		for (size_t i = 0; i < ring->count; i++)
			grown[i] = ring->thread[(ring->head + i) % ring->cap];
		free(ring->thread);
		ring->thread = grown;
		ring->cap = cap;
		ring->head = 0;
	}
	ring->thread[(ring->head + ring->count++) % ring->cap] = thread;
}

/* Queues the main reader's batch, each record for its thread, in one
 * pass: cheaper than looking at records one by one on behalf of
 * whichever thread asked. */
static void distribute(struct trace_demux *d, const struct trace_record *batch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct queue *q = &d->queues[batch[i].thread];
		struct chunk *c = q->tail && q->tail->n < CHUNK_RECORDS ? q->tail : new_tail(d, q);

		c->rec[c->n++] = batch[i];
		q->count++;
	}
	d->queued += n;
}

/* The same, keeping each record's index and the synchronisation records'
 * threads. */
static void distribute_following(struct trace_demux *d, const struct trace_record *batch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct queue *q = &d->queues[batch[i].thread];
		struct chunk *c = q->tail && q->tail->n < CHUNK_RECORDS ? q->tail : new_tail(d, q);

		c->index[c->n] = d->stamps ? trace_reader_indices(d->main)[i] : d->read + i;
		c->rec[c->n++] = batch[i];
		q->count++;
		if (trace_is_sync(&batch[i]))
			sync_push(&d->sync, batch[i].thread);
	}
	d->queued += n;
	d->read += n;
}

/* Lends THREAD's queued records from the head chunk on; a head chunk
 * wholly lent before (its loan is over now) is given back first. */
static size_t lend_from_queue(struct trace_demux *d, unsigned thread, const struct trace_record **records)
{
	struct queue *q = &d->queues[thread];
	size_t run;

	if (q->next == CHUNK_RECORDS) {
		struct chunk *done = q->head;

		q->head = done->next;
		q->next = 0;
		if (!q->head)
			q->tail = NULL;
		done->next = d->spare;
		d->spare = done;
	}
	run = q->head->n - q->next;
	*records = q->head->rec + q->next;
	if (d->follow)
		d->lent_index[thread] = q->head->index + q->next;
	q->next += run;
	q->count -= run;
	d->queued -= run;
	return run;
}

/* Past the spill, the synchronisation records are taken from whichever
 * cursor reads a part of the file first (they all read all of it), no
 * more than the queues' limit of them ahead of the replay: a thread with
 * nothing to do for long has its cursor read far ahead. Beyond that, a
 * cursor of the ring's own reads them as they are asked for. */
static void watch_sync(void *ctx, const struct trace_record *recs, size_t n, uint64_t first)
{
	struct trace_demux *d = ctx;

	if (d->sync_cursor)
		return;
	for (size_t i = d->sync_scanned > first ? d->sync_scanned - first : 0; i < n; i++) {
		if (!trace_is_sync(&recs[i]))
			continue;
		if (d->sync.count >= d->limit) {
			d->sync_scanned = first + i;
			d->sync_cursor = trace_reader_cursor_all(
				d->source, d->source_offset + (d->sync_scanned - d->read) * TRACE_RECORD_SIZE,
				CURSOR_BUFFER_RECORDS);
			return;
		}
		sync_push(&d->sync, recs[i].thread);
	}
	if (first + n > d->sync_scanned)
		d->sync_scanned = first + n;
}

/* From now on every thread reads its own records from the file. Called
 * between batches, when everything before the main reader's offset has
 * been handed out or queued. Following a chunked trace's order, each
 * thread's cursor reads its own chunks alone (the stamps order them) and
 * a cursor of the ring's own merges the synchronisation records from
 * the chunks that hold some: each chunk is decoded once, where cursors
 * that merge every thread's chunks to keep their order decode those the
 * others have left behind again. */
static int spill(struct trace_demux *d, struct ml_error *err)
{
	const struct trace_reader *source = d->main;
	uint64_t offset = trace_reader_offset(d->main);

	if (!trace_reader_seekable(d->main)) {
		d->spool = trace_reader_spool(d->main, err);
		if (!d->spool)
			return -1;
		source = d->spool;
		offset = 0;
	}
	d->cursors = xcalloc(d->threads, sizeof(*d->cursors));
	d->sync_scanned = d->read;
	d->source = source;
	d->source_offset = offset;
	if (d->follow && d->stamps)
		d->sync_cursor = trace_reader_cursor_syncs(source, offset);
	for (unsigned t = 0; t < d->threads; t++) {
		d->cursors[t].reader = trace_reader_cursor(source, offset, t, CURSOR_BUFFER_RECORDS);
		if (d->follow && d->sync_cursor)
			trace_reader_order_keys(d->cursors[t].reader);
		else if (d->follow)
			trace_reader_follow(d->cursors[t].reader, watch_sync, d);
	}
	return 0;
}

static ssize_t lend_from_cursor(struct trace_demux *d, unsigned thread, const struct trace_record **records,
				struct ml_error *err)
{
	struct cursor *c = &d->cursors[thread];
	ssize_t n = c->done ? 0 : trace_reader_batch(c->reader, records, err);

	if (n <= 0)
		c->done = 1;
	else if (d->follow)
		d->lent_index[thread] = trace_reader_indices(c->reader);
	return n;
}

ssize_t trace_demux_lend(struct trace_demux *d, unsigned thread, const struct trace_record **records,
			 struct ml_error *err)
{
	struct queue *q = &d->queues[thread];

	/* The queue lends while it has records (it only grows before the
	 * switch to cursors), then the thread's cursor. */
	if (q->count)
		return (ssize_t)lend_from_queue(d, thread, records);
	if (d->cursors)
		return lend_from_cursor(d, thread, records, err);
	/* Reading on would only queue more for the other threads. */
	while (!q->count) {
		const struct trace_record *batch;
		ssize_t n;

		if (d->queued > d->limit) {
			if (spill(d, err) < 0)
				return -1;
			return lend_from_cursor(d, thread, records, err);
		}
		if (d->main_done)
			return 0;
		n = trace_reader_batch(d->main, &batch, err);
		if (n < 0)
			return -1;
		if (n == 0) {
			d->main_done = 1;
			return 0;
		}
		if (d->follow)
			distribute_following(d, batch, (size_t)n);
		else
			distribute(d, batch, (size_t)n);
	}
	return (ssize_t)lend_from_queue(d, thread, records);
}

int trace_demux_sync_thread(struct trace_demux *d, uint64_t k, struct ml_error *err)
{
	struct sync_ring *ring = &d->sync;

	for (;;) {
		/* What the replay has passed goes; then K is the head, if known. */
		uint64_t drop = k - ring->base < ring->count ? k - ring->base : ring->count;
		const struct trace_record *recs;
		ssize_t n;

		if (drop) {
			ring->head = (ring->head + drop) % ring->cap;
			ring->count -= drop;
			ring->base += drop;
		}
		if (ring->base == k && ring->count)
			return ring->thread[ring->head];
		if (!d->sync_cursor || d->sync_done)
			return -1;
		if ((n = trace_reader_batch(d->sync_cursor, &recs, err)) < 0)
			return -2;
		d->sync_done = n == 0;
		for (ssize_t i = 0; i < n; i++)
			if (trace_is_sync(&recs[i]))
				sync_push(ring, recs[i].thread);
	}
}
