#include <config.h>

#include <stdlib.h>

#include "trace_demux.h"
#include "xalloc.h"

#define DEFAULT_LIMIT (2u << 20)    /* 2 Mi records: 32 MiB */
#define CURSOR_BUFFER_RECORDS 16384 /* 256 KiB per thread */
#define CHUNK_RECORDS 1024          /* 16 KiB */

/* Queued records live in chunks that never move, so that a run lent out
 * stays where it is while other threads' records are queued. */
struct chunk {
	struct chunk *next;
	size_t n;
	struct trace_record rec[CHUNK_RECORDS];
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
	trace_reader_close(d->spool);
	free(d);
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
		c = xmalloc(sizeof(*c));
	c->next = NULL;
	c->n = 0;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	return c;
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

/* Lends THREAD's queued records from the head chunk on; a head chunk
 * wholly lent before (its loan is over now) is given back first. */
static size_t lend_from_queue(struct trace_demux *d, struct queue *q, const struct trace_record **records)
{
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
	q->next += run;
	q->count -= run;
	d->queued -= run;
	return run;
}

/* From now on every thread reads its own records from the file. Called
 * between batches, when everything before the main reader's offset has
 * been handed out or queued. */
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
	for (unsigned t = 0; t < d->threads; t++)
		d->cursors[t].reader = trace_reader_cursor(source, offset, t, CURSOR_BUFFER_RECORDS);
	return 0;
}

static ssize_t lend_from_cursor(struct cursor *c, const struct trace_record **records,
				struct ml_error *err)
{
	ssize_t n = c->done ? 0 : trace_reader_batch(c->reader, records, err);

	if (n <= 0)
		c->done = 1;
	return n;
}

ssize_t trace_demux_lend(struct trace_demux *d, unsigned thread, const struct trace_record **records,
			 struct ml_error *err)
{
	struct queue *q = &d->queues[thread];

	/* The queue lends while it has records (it only grows before the
	 * switch to cursors), then the thread's cursor. */
	if (q->count)
		return (ssize_t)lend_from_queue(d, q, records);
	if (d->cursors)
		return lend_from_cursor(&d->cursors[thread], records, err);
	/* Reading on would only queue more for the other threads. */
	while (!q->count) {
		const struct trace_record *batch;
		ssize_t n;

		if (d->queued > d->limit) {
			if (spill(d, err) < 0)
				return -1;
			return lend_from_cursor(&d->cursors[thread], records, err);
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
		distribute(d, batch, (size_t)n);
	}
	return (ssize_t)lend_from_queue(d, q, records);
}
