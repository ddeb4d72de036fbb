#include <config.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "driven.h"
#include "interrupt.h"
#include "xalloc.h"

/* A thread is RUNNING its kernel (only one at a time), WAITING with its
 * next access lent to the simulator, or DONE. */
enum driven_state { DRIVEN_IDLE, DRIVEN_RUNNING, DRIVEN_WAITING, DRIVEN_DONE };

struct driven_thread {
	struct driven *d;
	struct access_logged ctx;
	struct trace_record rec; /* the access lent, carried out when the thread goes on */
	enum driven_state state;
	bool started;
	pthread_t tid;
};

struct driven {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a thread's state; the feed and every thread wait on it */
	unsigned threads;
	uint64_t records, max_records;
	bool stopped, at_limit;
	trace_gen_thread run;
	void *arg;
	struct driven_thread *t;
};

/* Before each access: lends it and waits until the simulator has issued
 * it (the feed sets the thread running again), then returns so the kernel
 * carries it out. */
static void driven_sink(struct access_logged *ctx, const struct trace_record *rec)
{
	struct driven_thread *t = ctx->sink_data;
	struct driven *d = t->d;

	pthread_mutex_lock(&d->lock);
	if (d->stopped) { /* the run is over: the kernel returns at its next look */
		ctx->stop = true;
		pthread_mutex_unlock(&d->lock);
		return;
	}
	t->rec = *rec;
	t->state = DRIVEN_WAITING;
	pthread_cond_broadcast(&d->changed);
	while (t->state == DRIVEN_WAITING)
		pthread_cond_wait(&d->changed, &d->lock);
	ctx->stop = d->stopped;
	pthread_mutex_unlock(&d->lock);
}

static void *driven_thread(void *p)
{
	struct driven_thread *t = p;
	struct driven *d = t->d;

	d->run(&t->ctx, t->ctx.thread, d->arg);
	pthread_mutex_lock(&d->lock);
	t->state = DRIVEN_DONE;
	pthread_cond_broadcast(&d->changed);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct driven *driven_new(unsigned threads, uintptr_t base, uint32_t relax_cycles, uint64_t max_records,
			  trace_gen_thread run, void *arg)
{
	struct driven *d = xcalloc(1, sizeof(*d));

	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->changed, NULL);
	d->threads = threads;
	d->max_records = max_records;
	d->run = run;
	d->arg = arg;
	d->t = xcalloc(threads, sizeof(*d->t));
	for (unsigned i = 0; i < threads; i++)
		d->t[i] = (struct driven_thread){ .d = d,
						  .ctx = { .thread = i, .base = base, .sink = driven_sink,
							   .sink_data = &d->t[i], .relax_cycles = relax_cycles } };
	return d;
}

ssize_t driven_feed(void *ctx, unsigned thread, const struct trace_record **records)
{
	struct driven *d = ctx;
	struct driven_thread *t = &d->t[thread];
	ssize_t n;

	pthread_mutex_lock(&d->lock);
	if (!d->stopped && (interrupt_requested() || d->records >= d->max_records)) {
		d->stopped = true;
		d->at_limit = !interrupt_requested();
	}
	if (d->stopped) {
		pthread_mutex_unlock(&d->lock);
		return -1;
	}
	if (t->state != DRIVEN_DONE) {
		t->state = DRIVEN_RUNNING;
		if (!t->started) {
			t->started = true;
			if (pthread_create(&t->tid, NULL, driven_thread, t) != 0)
				ml_die(ML_EXIT_CHECK_FAILED, "cannot create thread %u of %u of a driven kernel", thread,
				       d->threads);
		} else {
			pthread_cond_broadcast(&d->changed);
		}
		while (t->state == DRIVEN_RUNNING)
			pthread_cond_wait(&d->changed, &d->lock);
	}
	n = t->state == DRIVEN_WAITING;
	if (n) {
		*records = &t->rec;
		d->records++;
	}
	pthread_mutex_unlock(&d->lock);
	return n;
}

int driven_free(struct driven *d, struct ml_error *err)
{
	int rc = d->stopped ? -1 : 0;

	if (d->at_limit)
		ml_error_set(err, "a driven kernel took more than %" PRIu64 " accesses: its threads never finished",
			     d->max_records);
	else if (d->stopped)
		interrupt_check(err);
	/* Threads still waiting for their turn are let go, told to stop:
	 * their kernels return at the next access. */
	pthread_mutex_lock(&d->lock);
	d->stopped = true;
	for (unsigned i = 0; i < d->threads; i++)
		if (d->t[i].state == DRIVEN_WAITING)
			d->t[i].state = DRIVEN_RUNNING;
	pthread_cond_broadcast(&d->changed);
	pthread_mutex_unlock(&d->lock);
	for (unsigned i = 0; i < d->threads; i++)
		if (d->t[i].started)
			pthread_join(d->t[i].tid, NULL);
	pthread_cond_destroy(&d->changed);
	pthread_mutex_destroy(&d->lock);
	free(d->t);
	free(d);
	return rc;
}
