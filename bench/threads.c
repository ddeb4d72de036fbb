#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "interrupt.h"
#include "threads.h"
#include "timer.h"
#include "xalloc.h"

enum { WAIT, GO, CANCEL };

/* How often the waiting main thread looks at the clock and for a signal:
 * rarely enough not to disturb the measurement (a wake-up costs a few
 * microseconds), often enough to stop promptly. */
#define WATCH_SLICE_NS 100000000ull

struct shared {
	atomic_int start;
	atomic_uint ready;
	atomic_uint finished;
	atomic_bool give_up;
	sem_t all_finished;
	unsigned n;
};

struct worker {
	const struct topo *topo;
	struct shared *shared;
	unsigned index, pu;
	thread_body body;
	void *arg;
	uint64_t elapsed;
	uint64_t preempted;
	int pinned;
	struct ml_error err;
};

/* Involuntary context switches of the calling thread so far (0 where the
 * system cannot say). */
static uint64_t preemptions(void)
{
#ifdef RUSAGE_THREAD
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) == 0)
		return (uint64_t)ru.ru_nivcsw;
#endif
	return 0;
}

static void *work(void *p)
{
	struct worker *w = p;
	struct shared *s = w->shared;
	struct access_native ctx = { w->index, &s->give_up };
	uint64_t t0, switches;
	int state;

	w->pinned = topo_pin_current_thread(w->topo, w->pu, &w->err) == 0;
	atomic_fetch_add(&s->ready, 1);
	/* A start flag rather than a barrier: a thread that could not be
	 * created cannot then hold the others forever. */
	while ((state = atomic_load(&s->start)) == WAIT)
		ml_cpu_pause();
	if (state == CANCEL)
		return NULL;
	switches = preemptions();
	t0 = timer_now_ns();
	w->body(w->arg, &ctx);
	w->elapsed = timer_now_ns() - t0;
	w->preempted = preemptions() - switches;
	if (atomic_fetch_add(&s->finished, 1) + 1 == s->n)
		sem_post(&s->all_finished);
	return NULL;
}

/* Waits until every thread finished, or until the deadline or a signal,
 * then tells the threads to give up and waits for them to do so. */
static bool watch(struct shared *s, uint64_t deadline_ns)
{
	uint64_t start = timer_now_ns();

	for (;;) {
		uint64_t now = timer_now_ns(), slice = WATCH_SLICE_NS;
		struct timespec until;

		if (interrupt_requested() || (deadline_ns && now - start >= deadline_ns))
			break;
		if (deadline_ns && deadline_ns - (now - start) < slice)
			slice = deadline_ns - (now - start);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)(slice / 1000000000ull);
		until.tv_nsec += (long)(slice % 1000000000ull);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (sem_timedwait(&s->all_finished, &until) == 0)
			return false;
	}
	atomic_store(&s->give_up, true);
	while (sem_wait(&s->all_finished) != 0 && errno == EINTR)
		;
	return true;
}

int threads_run(const struct topo *t, unsigned n, const unsigned *pus, thread_body body, void *arg,
		uint64_t deadline_ns, uint64_t *elapsed_ns, struct threads_outcome *out,
		struct ml_error *err)
{
	struct worker *w = xcalloc(n, sizeof(*w));
	pthread_t *tids = xcalloc(n, sizeof(*tids));
	struct shared s = { .n = n };
	struct threads_outcome outcome = { false, 0 };
	unsigned created = 0;
	int rc = 0;

	err->msg[0] = '\0';
	sem_init(&s.all_finished, 0, 0);
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct worker){ .topo = t, .shared = &s, .index = i, .pu = pus[i], .body = body,
					.arg = arg };
		if (pthread_create(&tids[i], NULL, work, &w[i]) != 0) {
			ml_error_set(err, "cannot create thread %u of %u", i + 1, n);
			rc = -1;
			break;
		}
		created++;
	}
	while (rc == 0 && atomic_load(&s.ready) < n)
		ml_cpu_pause();
	atomic_store(&s.start, rc == 0 ? GO : CANCEL);
	if (rc == 0)
		outcome.gave_up = watch(&s, deadline_ns);
	for (unsigned i = 0; i < created; i++) {
		pthread_join(tids[i], NULL);
		elapsed_ns[i] = w[i].elapsed;
		outcome.preempted += w[i].preempted;
		if (rc == 0 && !w[i].pinned && !err->msg[0])
			*err = w[i].err;
	}
	sem_destroy(&s.all_finished);
	if (out)
		*out = outcome;
	free(w);
	free(tids);
	return rc;
}

unsigned threads_default_counts(unsigned max, unsigned *counts, unsigned cap)
{
	unsigned n = 0;

	for (unsigned c = 1; c <= max && n + 1 < cap; c = c < 4 ? c + 1 : (c & (c - 1)) == 0 ? c / 2 * 3 : c / 3 * 4)
		counts[n++] = c;
	if (max && (n == 0 || counts[n - 1] != max))
		counts[n++] = max;
	return n;
}

uint64_t threads_deadline_ns(uint64_t operations, double ceiling_ns)
{
	double ns = 1e9 + (double)operations * ceiling_ns;

	return ns > 1e18 ? (uint64_t)1e18 : (uint64_t)ns;
}
