/* A pool of worker processes for batches of independent tasks (a
 * sweep's configurations): at most JOBS children at once, each running
 * one task and exiting, progress and an estimate of the time left on
 * stderr. Processes rather than threads: a task keeps its own memory and
 * state, and one that fails or is killed takes only itself down. */
#ifndef MESILAB_WORKER_POOL_H
#define MESILAB_WORKER_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct worker_pool_tasks {
	size_t n;
	/* Whether task I was finished before (it is then not run again). */
	bool (*finished)(size_t i, void *ctx);
	/* Runs task I in a child: 0, or -1 (the child says why on stderr). */
	int (*run)(size_t i, void *ctx);
	void *ctx;
	const char *noun; /* "configurations", for the progress line */
};

struct worker_pool_result {
	size_t already, ran, failed;
	size_t *failures; /* the failed tasks, FAILED of them; the caller frees */
};

/* Runs the tasks not finished before, JOBS at a time. A signal that asks
 * to stop (interrupt.h) stops the launching, stops the running children
 * and waits for them; then -1 with ERR saying so. Otherwise 0, failures
 * or not (RESULT says). */
int worker_pool_run(const struct worker_pool_tasks *tasks, unsigned jobs, struct worker_pool_result *result,
		    struct ml_error *err);

#endif
