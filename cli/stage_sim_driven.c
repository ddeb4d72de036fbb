/* The suite's lock twins: the contention benchmark's two locks, their
 * kernel driven by each protocol's timing on the host's model (see
 * driven.h) rather than traced in lock step. A lock-step trace hands the
 * lock over at every acquisition; on a machine, and in a driven kernel, a
 * core takes it again while the line is still in its cache, and a waiting
 * core spins on its own copy, as many times as the holder's time lets it. */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "contention_variants.h"
#include "driven.h"
#include "engine.h"
#include "interrupt.h"
#include "path.h"
#include "kernels.h"
#include "progress.h"
#include "protocol.h"
#include "report.h"
#include "sim_machine.h"
#include "suite.h"
#include "timer.h"
#include "xalloc.h"

/* A driven kernel runs until every thread has taken the lock its
 * iterations' times; one that spins longer than this many accesses per
 * acquisition has a model that never lets the holder go. */
#define MAX_ACCESSES_PER_ITERATION 100000

static const struct lock_twin {
	const char *name;
	enum contention_variant_id variant;
	const char *what;
} lock_twins[] = {
	{ "contention-tas", CONTENTION_TAS, "two threads taking a test-and-test-and-set lock" },
	{ "contention-ticket", CONTENTION_TICKET, "two threads taking a ticket lock" },
};

#define THREADS 2
/* The iterations per thread of the suite's twins, by profile. */
#define ITERATIONS_QUICK 200
#define ITERATIONS 2000

struct lock_run {
	const struct contention_variant *variant;
	uint64_t *page, iterations;
};

static void lock_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct lock_run *run = arg;
	struct contention_args a;

	contention_variant_args(run->variant, run->page, run->iterations, thread, CONTENTION_RELAX_DEFAULT, &a);
	contention_logged(ctx, &a);
}

/* TWIN's kernel under protocol P on the machine BASE: its rows into TABLE. */
static int drive(const struct lock_twin *twin, const struct protocol *p, const struct sim_config *base,
		 uint64_t iterations, uint32_t pause_cycles, struct table *table, struct ml_error *err)
{
	struct lock_run run = { &contention_variants[twin->variant], xpages(4096), iterations };
	struct sim_config cfg = *base;
	struct driven *d = driven_new(THREADS, (uintptr_t)run.page, pause_cycles,
				      THREADS * iterations * MAX_ACCESSES_PER_ITERATION, lock_thread, &run);
	struct sim *sim;
	uint64_t done;
	int rc;

	cfg.cores = THREADS;
	cfg.order = SIM_ORDER_TIMED;
	sim = sim_new(&cfg, &p, 1);
	sim_run_timed(sim, driven_feed, d, &done);
	rc = driven_free(d, err);
	if (rc == 0)
		sim_add_workload_rows(table, sim, twin->name);
	sim_free(sim);
	free(run.page);
	return rc;
}

int suite_sim_locks(struct suite *s, const struct sim_config *base, struct table *table, struct ml_error *err)
{
	const struct protocol *protocols[SIM_MAX_PROTOCOLS];
	int n = protocol_parse_list(SIM_MACHINE_PROTOCOLS, protocols, SIM_MAX_PROTOCOLS, NULL, 0);
	uint64_t iterations = s->args->quick ? ITERATIONS_QUICK : ITERATIONS;
	/* A spin-wait hint costs what the run's calibration measured here,
	 * where the run measured the locks the twins stand for; else nothing,
	 * as every part the run lacks keeps the simulator's default, so that
	 * a run without measurements simulates the same every time. */
	char *contention = rundir_file(s->run, "contention.csv");
	bool measured = path_exists(contention);
	double pause = measured ? timer_ns_to_cycles(&s->clock, s->clock.pause_ns) : 0;
	uint32_t pause_cycles = pause > 0 && pause < 1e6 ? (uint32_t)(pause + 0.5) : 0;

	free(contention);

	for (size_t i = 0; i < sizeof(lock_twins) / sizeof(lock_twins[0]); i++) {
		const struct lock_twin *twin = &lock_twins[i];
		char key[80];

		for (int k = 0; k < n; k++) {
			if (interrupt_check(err))
				return -1;
			progress_update("sim: %s under %s, driven by its timing", twin->name, protocols[k]->name);
			if (drive(twin, protocols[k], base, iterations, pause_cycles, table, err) < 0)
				return -1;
		}
		snprintf(key, sizeof(key), "sim.workload.%s", twin->name);
		rundir_setf(s->run, key,
			    "%s: the contention kernel (%s, %" PRIu64 " iterations a thread, %u spin-wait hint%s of %" PRIu32
			    " cycles a look, %s) driven by each protocol's timing",
			    twin->what, contention_variant_names[twin->variant], iterations, CONTENTION_RELAX_DEFAULT,
			    CONTENTION_RELAX_DEFAULT == 1 ? "" : "s", pause_cycles,
			    measured ? "the run's clock.pause_ns" : "none: the run did not measure contention");
		snprintf(key, sizeof(key), "sim.workload.%s.operations", twin->name);
		rundir_setf(s->run, key, "%" PRIu64, THREADS * iterations);
	}
	return 0;
}
