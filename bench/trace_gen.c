#include <config.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "interrupt.h"
#include "trace_gen.h"
#include "trace_merge.h"
#include "trace_writer.h"
#include "xalloc.h"

struct generation {
	uintptr_t base;
	trace_gen_thread run;
	void *arg;
};

/* How often (in records) a kernel being traced looks for a stop request
 * or a failed write. */
#define CHECK_EVERY_RECORDS 65536

struct generating_thread {
	struct trace_sink *sink;
	uint64_t records;
	struct ml_error *err;
};

static void to_sink(struct access_logged *ctx, const struct trace_record *rec)
{
	struct generating_thread *g = ctx->sink_data;

	trace_sink_add(g->sink, rec);
	if (++g->records % CHECK_EVERY_RECORDS == 0 && trace_sink_stopped(g->sink, g->err))
		ctx->stop = true;
}

static int produce(struct trace_sink *sink, unsigned thread, void *arg, struct ml_error *err)
{
	const struct generation *g = arg;
	struct generating_thread gt = { sink, 0, err };
	struct access_logged ctx = { .thread = thread, .base = g->base, .sink = to_sink,
				     .sink_data = &gt };

	g->run(&ctx, thread, g->arg);
	return ctx.stop || trace_sink_stopped(sink, err) ? -1 : 0;
}

int trace_generate(const char *path, const struct trace_header *h, uintptr_t base,
		   trace_gen_thread run, void *arg, struct ml_error *err)
{
	struct generation g = { base, run, arg };
	struct trace_header streams = *h;

	/* The threads ran one after the other: their interleaving is the
	 * replay's to choose. */
	streams.order = TRACE_ORDER_STREAMS;
	return trace_merge_write(path, &streams, produce, &g, err);
}

/* The turn passes from thread to thread at each access; the holder of the
 * turn is the only thread running kernel code. */
struct lockstep {
	pthread_mutex_t lock;
	bool stopped; /* a signal asked to stop, or the file failed: every thread returns */
	uint64_t records;
	struct ml_error stop_err;
	pthread_cond_t *turn_changed; /* one per thread: only the next one wakes */
	bool *live;
	unsigned threads, turn;
	struct trace_writer *writer;
	uintptr_t base;
	trace_gen_thread run;
	void *arg;
};

struct lockstep_thread {
	struct lockstep *ls;
	unsigned index;
};

/* With the lock held: the turn goes to the next live thread after THREAD. */
static void pass_turn(struct lockstep *ls, unsigned thread)
{
	for (unsigned k = 1; k <= ls->threads; k++) {
		unsigned next = (thread + k) % ls->threads;

		if (ls->live[next]) {
			ls->turn = next;
			pthread_cond_signal(&ls->turn_changed[next]);
			return;
		}
	}
}

static void wait_turn(struct lockstep *ls, unsigned thread)
{
	while (ls->turn != thread)
		pthread_cond_wait(&ls->turn_changed[thread], &ls->lock);
}

/* Called before each access, with the turn held since the previous one:
 * hands the turn on, waits for it to come back, records the access (which
 * the kernel then performs, still holding the turn). */
static void lockstep_sink(struct access_logged *ctx, const struct trace_record *rec)
{
	struct lockstep *ls = ctx->sink_data;

	pthread_mutex_lock(&ls->lock);
	pass_turn(ls, ctx->thread);
	wait_turn(ls, ctx->thread);
	trace_writer_add(ls->writer, rec);
	if (++ls->records % CHECK_EVERY_RECORDS == 0 && !ls->stopped &&
	    (trace_writer_failed(ls->writer, &ls->stop_err) || interrupt_check(&ls->stop_err)))
		ls->stopped = true;
	ctx->stop = ls->stopped;
	pthread_mutex_unlock(&ls->lock);
}

static void *lockstep_thread(void *p)
{
	struct lockstep_thread *t = p;
	struct lockstep *ls = t->ls;
	struct access_logged ctx = { .thread = t->index, .base = ls->base, .sink = lockstep_sink,
				     .sink_data = ls };

	pthread_mutex_lock(&ls->lock);
	wait_turn(ls, t->index);
	pthread_mutex_unlock(&ls->lock);
	ls->run(&ctx, t->index, ls->arg);
	pthread_mutex_lock(&ls->lock);
	ls->live[t->index] = false;
	pass_turn(ls, t->index);
	pthread_mutex_unlock(&ls->lock);
	return NULL;
}

int trace_generate_lockstep(const char *path, const struct trace_header *h, uintptr_t base,
			    trace_gen_thread run, void *arg, struct ml_error *err)
{
	struct lockstep ls = { .threads = h->threads, .turn = 0, .base = base, .run = run, .arg = arg };
	struct lockstep_thread *ts = xcalloc(h->threads, sizeof(*ts));
	pthread_t *tids = xcalloc(h->threads, sizeof(*tids));
	struct trace_header reference = *h;
	unsigned created = 0;

	/* The file holds the accesses in the order they happened, each
	 * thread's waits for the others included: the order to replay. */
	reference.order = TRACE_ORDER_REFERENCE;
	ls.writer = trace_writer_open(path, &reference, err);
	if (!ls.writer) {
		free(ts);
		free(tids);
		return -1;
	}
	ls.turn_changed = xcalloc(h->threads, sizeof(*ls.turn_changed));
	ls.live = xcalloc(h->threads, sizeof(*ls.live));
	pthread_mutex_init(&ls.lock, NULL);
	for (unsigned i = 0; i < h->threads; i++) {
		pthread_cond_init(&ls.turn_changed[i], NULL);
		ls.live[i] = true;
	}
	/* The turn starts with thread 0; a thread that cannot be created
	 * leaves the others waiting for it, so creation failure is fatal. */
	for (; created < h->threads; created++) {
		ts[created] = (struct lockstep_thread){ &ls, created };
		if (pthread_create(&tids[created], NULL, lockstep_thread, &ts[created]) != 0)
			ml_die(ML_EXIT_CHECK_FAILED, "cannot create thread %u of %u for the trace", created,
			       h->threads);
	}
	for (unsigned i = 0; i < created; i++)
		pthread_join(tids[i], NULL);
	for (unsigned i = 0; i < h->threads; i++)
		pthread_cond_destroy(&ls.turn_changed[i]);
	pthread_mutex_destroy(&ls.lock);
	free(ls.turn_changed);
	free(ls.live);
	free(ts);
	free(tids);
	if (ls.stopped) {
		*err = ls.stop_err;
		trace_writer_abort(ls.writer);
		return -1;
	}
	return trace_writer_close(ls.writer, err);
}
