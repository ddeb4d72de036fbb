/* What a run measures about itself: the machine's controls around its
 * benchmarks, and the self-checks of its figures. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "controls.h"
#include "self_check.h"
#include "xalloc.h"

void cli_record_self_checks(struct rundir *r, bool quiet)
{
	size_t max = self_checks_count();
	struct self_check *checks = xcalloc(max, sizeof(*checks));
	struct ml_error err;
	int n;

	/* The checks read meta.json for the benchmarks' conditions: it must
	 * hold what the run has recorded so far. */
	if (rundir_checkpoint(r, &err) < 0)
		ml_warn("%s", err.msg);
	n = self_checks_run(rundir_path(r), checks, max, &err);
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

struct controls *cli_measure_controls(const struct topo *t, struct rundir *run, struct controls *controls,
				      const char *after)
{
	struct ml_error err;
	char when[48];

	if (!controls && !(controls = controls_new(t, topo_usable_pu_at(t, 0), &err))) {
		rundir_unavailable(run, "controls", err.msg);
		return NULL;
	}
	snprintf(when, sizeof(when), after ? "after-%s" : "start", after);
	if (controls_measure(controls, when, &err) < 0)
		rundir_unavailable(run, "controls", err.msg);
	return controls;
}
