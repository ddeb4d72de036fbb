#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "stdout_check.h"

static void check_stdout(void)
{
	int failed_before = ferror(stdout), saved;

	errno = 0;
	if (fflush(stdout) == 0 && !failed_before && fclose(stdout) == 0)
		return;
	saved = errno;
	fprintf(stderr, "%s: standard output: %s\n", ml_progname(), saved ? strerror(saved) : "a write failed");
	/* _exit: the exit under way must not start again. The handlers
	 * registered after this one (temporaries removed, a run's status
	 * settled) have already run. */
	_exit(ML_EXIT_USAGE);
}

void stdout_check_at_exit(void)
{
	atexit(check_stdout);
}
