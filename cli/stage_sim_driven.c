/* The suite's driven twins: c2c's ping-pong and the contention
 * benchmark's two locks, their kernels driven by each protocol's timing on
 * the host's model (see driven.h) rather than traced in lock step. A
 * lock-step trace hands the line over at every access; on a machine, and
 * in a driven kernel, a core takes a lock again while its line is still
 * in its cache, a waiting core spins on its own copy as many times as the
 * holder's time lets it, and a core that has just received a line uses
 * it before the other core's look takes it back (sim_config's in_flight,
 * on in the host's model). */
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

#define THREADS 2
/* The iterations per thread of the suite's twins, by profile. */
#define ITERATIONS_QUICK 200
#define ITERATIONS 2000

/* What a twin's threads run: the lock's variant, or the ping-pong. */
struct twin_run {
	const struct contention_variant *variant; /* NULL: c2c's ping-pong */
	uint64_t *page, iterations;
};

static void lock_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct twin_run *run = arg;
	struct contention_args a;

	contention_variant_args(run->variant, run->page, run->iterations, thread, CONTENTION_RELAX_DEFAULT, &a);
	contention_logged(ctx, &a);
}

/* c2c's kernel: its round trips, the waiting thread looking without a
 * spin-wait hint (c2c keeps its fastest way to wait, which is that or a
 * back-off it measures). */
static void pingpong_thread(struct access_logged *ctx, unsigned thread, void *arg)
{
	const struct twin_run *run = arg;
	struct pingpong_args a = { run->page, run->iterations, thread, false, 0, 0 };

	pingpong_logged(ctx, &a);
}

static const struct driven_twin {
	const char *name;
	trace_gen_thread thread;
	/* A lock's variant; CONTENTION_NVARIANTS for the ping-pong. Either
	 * way a thread's iteration is an operation of the figure: a one-way
	 * transfer of the line, a lock taken. */
	enum contention_variant_id variant;
	const char *what;
} twins[] = {
	{ "c2c", pingpong_thread, CONTENTION_NVARIANTS, "a line handed back and forth between two threads" },
	{ "contention-tas", lock_thread, CONTENTION_TAS, "two threads taking a test-and-test-and-set lock" },
	{ "contention-ticket", lock_thread, CONTENTION_TICKET, "two threads taking a ticket lock" },
};

/* TWIN's kernel under protocol P on the machine BASE: its rows into TABLE. */
static int drive(const struct driven_twin *twin, const struct protocol *p, const struct sim_config *base,
		 uint64_t iterations, uint32_t pause_cycles, struct table *table, struct ml_error *err)
{
	struct twin_run run = { twin->variant < CONTENTION_NVARIANTS ? &contention_variants[twin->variant] : NULL,
				xpages(4096), iterations };
	struct sim_config cfg = *base;
	struct driven *d = driven_new(THREADS, (uintptr_t)run.page, pause_cycles,
				      THREADS * iterations * MAX_ACCESSES_PER_ITERATION, twin->thread, &run);
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

int suite_sim_driven(struct suite *s, const struct sim_config *base, struct table *table, struct ml_error *err)
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

	for (size_t i = 0; i < sizeof(twins) / sizeof(twins[0]); i++) {
		const struct driven_twin *twin = &twins[i];
		char key[80];

		for (int k = 0; k < n; k++) {
			if (interrupt_check(err))
				return -1;
			progress_update("sim: %s under %s, driven by its timing", twin->name, protocols[k]->name);
			if (drive(twin, protocols[k], base, iterations, pause_cycles, table, err) < 0)
				return -1;
		}
		snprintf(key, sizeof(key), "sim.workload.%s", twin->name);
		if (twin->variant == CONTENTION_NVARIANTS)
			rundir_setf(s->run, key,
				    "%s: c2c's ping-pong kernel (%" PRIu64 " round trips, no spin-wait hint) driven by each "
				    "protocol's timing", twin->what, iterations);
		else
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
