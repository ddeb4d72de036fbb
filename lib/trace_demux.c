#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "trace_demux.h"
#include "xalloc.h"

#define DEFAULT_LIMIT (2u << 20)    /* 2 Mi records: 32 MiB */
#define CURSOR_BUFFER_RECORDS 16384 /* 256 KiB per thread */

struct queue {
	struct trace_record *items; /* a ring */
	size_t head, count, capacity;
};

struct cursor {
	struct trace_reader *reader;
	const struct trace_record *batch;
	size_t n, next;
	int done;
};

struct trace_demux {
	struct trace_reader *main;
	unsigned threads;
	struct queue *queues;
	size_t queued, limit;
	int main_done;
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

void trace_demux_free(struct trace_demux *d)
{
	if (!d)
		return;
	for (unsigned t = 0; t < d->threads; t++) {
		free(d->queues[t].items);
		if (d->cursors)
			trace_reader_close(d->cursors[t].reader);
	}
	free(d->queues);
	free(d->cursors);
	trace_reader_close(d->spool);
	free(d);
}

int trace_demux_spilled(const struct trace_demux *d)
{
	return d->cursors != NULL;
}

static void grow(struct queue *q)
{
	size_t capacity = q->capacity ? 2 * q->capacity : 256;
	struct trace_record *items = xmalloc(capacity * sizeof(*items));

	/* Unroll the ring into the new array. */
	for (size_t i = 0; i < q->count; i++)
		items[i] = q->items[(q->head + i) & (q->capacity - 1)];
	free(q->items);
	q->items = items;
	q->head = 0;
	q->capacity = capacity;
}

/* Queues the rest of the main reader's batch, each record for its thread,
 * in one pass: cheaper than looking at records one by one on behalf of
 * whichever thread asked. */
static void distribute(struct trace_demux *d, const struct trace_record *batch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct queue *q = &d->queues[batch[i].thread];

		if (q->count == q->capacity)
			grow(q);
		q->items[(q->head + q->count++) & (q->capacity - 1)] = batch[i];
	}
	d->queued += n;
}

/* Moves up to MAX of THREAD's queued records into OUT, in whole runs. */
static size_t pop(struct trace_demux *d, unsigned thread, struct trace_record *out, size_t max)
{
	struct queue *q = &d->queues[thread];
	size_t got = 0;

	while (q->count && got < max) {
		size_t run = q->capacity - q->head;

		run = run < q->count ? run : q->count;
		run = run < max - got ? run : max - got;
		memcpy(out + got, q->items + q->head, run * sizeof(*out));
		q->head = (q->head + run) & (q->capacity - 1);
		q->count -= run;
		d->queued -= run;
		got += run;
	}
	return got;
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

static ssize_t fill_from_cursor(struct cursor *c, struct trace_record *out, size_t max,
				struct ml_error *err)
{
	size_t run;

	if (c->next == c->n) {
		ssize_t n = c->done ? 0 : trace_reader_batch(c->reader, &c->batch, err);

		if (n <= 0) {
			c->done = 1;
			return n;
		}
		c->n = (size_t)n;
		c->next = 0;
	}
	run = c->n - c->next < max ? c->n - c->next : max;
	memcpy(out, c->batch + c->next, run * sizeof(*out));
	c->next += run;
	return (ssize_t)run;
}

ssize_t trace_demux_fill(struct trace_demux *d, unsigned thread, struct trace_record *out, size_t max,
			 struct ml_error *err)
{
	size_t got = pop(d, thread, out, max);

	if (d->cursors)
		return got ? (ssize_t)got : fill_from_cursor(&d->cursors[thread], out, max, err);
	/* Reading on would only queue more for the other threads. */
	while (!got) {
		const struct trace_record *batch;
		ssize_t n;

		if (d->queued > d->limit) {
			if (spill(d, err) < 0)
				return -1;
			return fill_from_cursor(&d->cursors[thread], out, max, err);
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
		got = pop(d, thread, out, max);
	}
	return (ssize_t)got;
}
