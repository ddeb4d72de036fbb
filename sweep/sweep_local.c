#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "interrupt.h"
#include "sweep.h"
#include "sweep_local.h"
#include "timer.h"

int sweep_run_local(const char *dir, const struct csv_file *plan, size_t n, unsigned jobs, bool quiet)
{
	struct worker_pool_result res;
	struct ml_error err;
	uint64_t start = timer_now_ns();
	int rc = sweep_run_pool(dir, plan, NULL, n, jobs, &res, &err);

	if (rc < 0) {
		fprintf(stderr, "mesilab sweep: %s; %zu of %zu configurations finished; the same command resumes it\n",
			err.msg, res.already + res.ran, n);
		free(res.failures);
		return interrupt_requested() ? interrupt_exit_status() : ML_EXIT_CHECK_FAILED;
	}
	if (!quiet) {
		double seconds = (double)(timer_now_ns() - start) / 1e9;

		fprintf(stderr, "ran %zu configuration%s on %u worker%s in %.2f s (%.2f/s)%s\n", res.ran,
			res.ran == 1 ? "" : "s", jobs, jobs == 1 ? "" : "s", seconds,
			seconds > 0 ? (double)res.ran / seconds : 0.0,
			res.already ? "; the others were finished before" : "");
	}
	free(res.failures);
	return res.failed ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}
