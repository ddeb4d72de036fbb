/* The self-checks of a run, recorded in its metadata and said on stderr. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "self_check.h"
#include "xalloc.h"

void cli_record_self_checks(struct rundir *r, bool quiet)
{
	size_t max = self_checks_count();
	struct self_check *checks = xcalloc(max, sizeof(*checks));
	struct ml_error err;
	int n = self_checks_run(rundir_path(r), checks, max, &err);

	if (n < 0)
		ml_warn("self-checks not made: %s", err.msg);
	for (int i = 0; i < n; i++) {
		struct run_check c;

		snprintf(c.name, sizeof(c.name), "%s", checks[i].name);
		snprintf(c.verdict, sizeof(c.verdict), "%s", self_check_verdict_names[checks[i].verdict]);
		snprintf(c.detail, sizeof(c.detail), "%s", checks[i].detail);
		rundir_set_check(r, &c);
		if (checks[i].verdict == CHECK_DISAGREES && !quiet)
			ml_warn("self-check %s: %s", checks[i].name, checks[i].detail);
	}
	free(checks);
}
