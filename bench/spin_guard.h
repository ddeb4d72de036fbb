/* Benchmarks whose threads wait for one another (a line handed back and
 * forth, locks, phases) measure the machine only when every thread has its
 * PU to itself. The guard around such a benchmark:
 *  - first probes the PUs it will use: one thread on each reads the clock
 *    for a moment, and every jump in the clock longer than a hardware
 *    interrupt is time the PU ran something else (another process, another
 *    guest of the hypervisor, nothing at all under a CPU quota), so the
 *    probe works inside a VM where the kernel cannot see the host;
 *  - then counts the measurements its threads gave up at their deadline,
 *    saying each one in the run, and stops the benchmark after a few in a
 *    row (the rest is reported as not measured rather than waited for);
 *  - at the end records the benchmark's conditions (the least available
 *    PU, steal time, runnable threads, preemptions, give-ups, and a
 *    verdict) in meta.json and says on stderr when they were not good. */
#ifndef MESILAB_SPIN_GUARD_H
#define MESILAB_SPIN_GUARD_H

#include <stdbool.h>

#include "bench.h"
#include "cpu_load.h"
#include "threads.h"

struct spin_guard {
	struct rundir *run;
	struct cpu_load before;
	struct run_conditions cond;
	unsigned in_a_row;
	bool stopped;
};

/* Probes the N PUs of PUS (for longer without --quick) before BENCH runs. */
void spin_guard_begin(struct spin_guard *g, const struct bench_context *ctx, const char *bench,
		      unsigned n, const unsigned *pus);
/* After each measurement of POINT (e.g. "0->1 store") with DEADLINE_NS:
 * true when it completed; false when it was given up (said in the run).
 * Give-ups because a signal asked to stop are not the machine's fault and
 * are not counted. */
bool spin_guard_measured(struct spin_guard *g, const char *point, const struct threads_outcome *o,
			 uint64_t deadline_ns);
/* True when the benchmark should measure nothing more: too many give-ups
 * in a row, or a signal asked to stop. */
bool spin_guard_stopped(const struct spin_guard *g);
/* Records the conditions in the run (and says them when not ok). */
void spin_guard_end(struct spin_guard *g);

/* The --deadline option every spinning benchmark takes. */
#define SPIN_GUARD_DEADLINE_OPTION                                                                       \
	{ .name = "deadline", .arg = "SECONDS", .type = CLI_NUMBER, .low = 0.001, .high = 86400,                 \
	  .help = "give up a measurement whose threads have not finished after SECONDS (default: from its work, " \
		  "at a pace no real machine is slower than)" }
/* The same, filling the field deadline_s (a double, 0 when not given) of
 * the configuration struct CONFIG. */
#define SPIN_GUARD_DEADLINE_ROW(config)                                                                 \
	{ .name = "deadline", .arg = "SECONDS", .type = CLI_NUMBER, .low = 0.001, .high = 86400,        \
	  CLI_FIELD(config, deadline_s),                                                                \
	  .help = "give up a measurement whose threads have not finished after SECONDS (default: from " \
		  "its work, at a pace no real machine is slower than)" }
/* The deadline of one measurement: SECONDS when given (not 0), else
 * COMPUTED. */
uint64_t spin_guard_deadline_ns(double seconds, uint64_t computed);

#endif
