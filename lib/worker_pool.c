#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interrupt.h"
#include "progress.h"
#include "timer.h"
#include "worker_pool.h"
#include "xalloc.h"

struct child {
	pid_t pid;
	size_t task;
};

static void show_progress(const struct worker_pool_tasks *tasks, const struct worker_pool_result *res,
			  size_t pending, uint64_t start_ns)
{
	double elapsed = (double)(timer_now_ns() - start_ns) / 1e9;
	size_t done = res->ran + res->failed;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;

	if (done == 0 || rate <= 0)
		progress_update("%zu of %zu %s to run", done, pending, tasks->noun);
	else
		progress_update("%zu of %zu %s, %.2f/s, about %.0f s left", done, pending, tasks->noun, rate,
				(double)(pending - done) / rate);
}

/* Waits for one child; records its outcome. */
static void reap(struct child *running, unsigned *nrunning, struct worker_pool_result *res)
{
	int status;
	pid_t pid;

	do
		pid = wait(&status);
	while (pid < 0 && errno == EINTR);
	for (unsigned k = 0; pid > 0 && k < *nrunning; k++) {
		if (running[k].pid != pid)
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			res->ran++;
		} else {
			res->failures = xrealloc(res->failures, res->failed + 1, sizeof(*res->failures));
			res->failures[res->failed++] = running[k].task;
		}
		running[k] = running[--*nrunning];
		return;
	}
	if (pid < 0)
		*nrunning = 0; /* no children left to wait for */
}

int worker_pool_run(const struct worker_pool_tasks *tasks, unsigned jobs, struct worker_pool_result *res,
		    struct ml_error *err)
{
	struct child *running = xcalloc(jobs, sizeof(*running));
	unsigned nrunning = 0;
	uint64_t start = timer_now_ns();
	size_t pending = 0, next = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < tasks->n; i++)
		pending += !tasks->finished(i, tasks->ctx);
	res->already = tasks->n - pending;
	while ((next < tasks->n || nrunning > 0) && !interrupt_requested()) {
		pid_t pid;

		if (next < tasks->n && tasks->finished(next, tasks->ctx)) {
			next++;
			continue;
		}
		if (next == tasks->n || nrunning == jobs) {
			reap(running, &nrunning, res);
			show_progress(tasks, res, pending, start);
			continue;
		}
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			progress_init(true); /* the parent speaks for all */
			_exit(tasks->run(next, tasks->ctx) == 0 ? 0 : 1);
		}
		if (pid < 0) {
			ml_error_set(err, "cannot start a worker: %s", strerror(errno));
			break;
		}
		running[nrunning++] = (struct child){ pid, next++ };
	}
	/* Stopped early: the children stop too (a signal to the parent alone,
	 * from kill or scancel, does not reach them), and are waited for. */
	for (unsigned k = 0; k < nrunning; k++)
		kill(running[k].pid, SIGTERM);
	while (nrunning > 0)
		reap(running, &nrunning, res);
	progress_done();
	free(running);
	if (interrupt_check(err))
		return -1;
	return next < tasks->n ? -1 : 0;
}
