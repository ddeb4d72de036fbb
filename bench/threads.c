#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "threads.h"
#include "timer.h"
#include "xalloc.h"

enum { WAIT, GO, CANCEL };

struct worker {
	const struct topo *topo;
	unsigned index, pu;
	thread_body body;
	void *arg;
	atomic_int *start;
	atomic_uint *ready;
	uint64_t elapsed;
	int pinned;
	struct ml_error err;
};

static void *work(void *p)
{
	struct worker *w = p;
	uint64_t t0;
	int state;

	w->pinned = topo_pin_current_thread(w->topo, w->pu, &w->err) == 0;
	atomic_fetch_add(w->ready, 1);
	/* A start flag rather than a barrier: a thread that could not be
	 * created cannot then hold the others forever. */
	while ((state = atomic_load(w->start)) == WAIT)
		;
	if (state == CANCEL)
		return NULL;
	t0 = timer_now_ns();
	w->body(w->arg, w->index);
	w->elapsed = timer_now_ns() - t0;
	return NULL;
}

int threads_run(const struct topo *t, unsigned n, const unsigned *pus, thread_body body, void *arg,
		uint64_t *elapsed_ns, struct ml_error *err)
{
	struct worker *w = xcalloc(n, sizeof(*w));
	pthread_t *tids = xcalloc(n, sizeof(*tids));
	atomic_int start = WAIT;
	atomic_uint ready = 0;
	unsigned created = 0;
	int rc = 0;

	err->msg[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct worker){ .topo = t, .index = i, .pu = pus[i], .body = body, .arg = arg,
					.start = &start, .ready = &ready };
		if (pthread_create(&tids[i], NULL, work, &w[i]) != 0) {
			ml_error_set(err, "cannot create thread %u of %u", i + 1, n);
			rc = -1;
			break;
		}
		created++;
	}
	while (rc == 0 && atomic_load(&ready) < n)
		;
	atomic_store(&start, rc == 0 ? GO : CANCEL);
	for (unsigned i = 0; i < created; i++) {
		pthread_join(tids[i], NULL);
		elapsed_ns[i] = w[i].elapsed;
		if (rc == 0 && !w[i].pinned && !err->msg[0])
			*err = w[i].err;
	}
	free(w);
	free(tids);
	return rc;
}
