/* What the machine did between runs, from their controls (controls.csv:
 * the core clock, an L1 chase, a chase inside the last-level cache, a
 * memory chase, a copy on one PU and on all, the PUs' share and a line
 * transfer, measured at a run's start and after each benchmark). A
 * uniform shift, a slower clock or a memory-streaming neighbour, moves the
 * controls and the benchmarks alike: compare reports it once and judges
 * each point against what the controls measured around its own stage. */
#ifndef MESILAB_MACHINE_SHIFT_H
#define MESILAB_MACHINE_SHIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define SHIFT_CONTROLS 8   /* clock, l1, memory, copy, cpu, transfer, copy-all, l3 */
#define SHIFT_MAX_STAGES 16

struct shift_stage {
	char stage[32];                   /* a benchmark: "latency", "c2c" */
	double factor[SHIFT_CONTROLS];    /* new time / base time: above 1 the new run was slower */
	bool moved[SHIFT_CONTROLS];       /* beyond the control's own noise and the threshold */
	/* How far each control moved across the stage, from the occasion
	 * just before it to the one just after, as a log ratio: the
	 * uncertainty of what the machine was while the stage ran, as a
	 * standard deviation of the difference between the runs (half of
	 * each run's move, combined; against a history the new run's alone,
	 * the history's spread holding how the machine wandered in its
	 * runs). MOVE: the larger of the runs' moves, as a factor. */
	double wander[SHIFT_CONTROLS], move[SHIFT_CONTROLS];
};

struct machine_shift {
	bool known; /* every run compared has controls */
	double base[SHIFT_CONTROLS], new[SHIFT_CONTROLS]; /* over the whole runs, in the controls' units */
	char unit[SHIFT_CONTROLS][8];
	double factor[SHIFT_CONTROLS];
	bool moved[SHIFT_CONTROLS];
	struct shift_stage stages[SHIFT_MAX_STAGES];
	size_t nstages;
	double cache_bytes;   /* a working set above it (per thread) is the memory's */
	double private_bytes; /* above it, up to cache_bytes: the last level's (0: not known) */
};

extern const char *const shift_control_names[SHIFT_CONTROLS]; /* clock, l1, memory, copy, cpu, transfer, copy-all, l3 */

/* Reads the controls of the NBASE base runs (one, or a history) and of
 * the NEW run; a control moved when its change exceeds THRESHOLD_PCT and
 * its noise (the spread of its samples for one base run, the range of
 * the base runs' values for several). *S known is false, and no error,
 * when a run has no controls.csv. */
int machine_shift_measure(struct machine_shift *s, const char *const *base_runs, size_t nbase, const char *new_run,
			  double threshold_pct, struct ml_error *err);

/* What the controls allow for a point: its time scaled by a factor from
 * LO to HI. */
struct shift_expectation {
	double lo, hi;
	double wander;       /* the uncertainty of that range: see struct shift_stage */
	bool moved;          /* the control (or the PUs' share) moved: the range is worth saying */
	const char *control; /* "clock", "l3+cpu", ... */
};

/* The factors the controls allow for a point of BENCHMARK whose working
 * set is SIZE bytes per thread (0: none, a core-bound point; the
 * benchmarks that hand lines between threads are the transfer's), run on
 * THREADS threads: within the private caches the clock's, beyond them and
 * within the last level the l3 control's, beyond that the memory's (a
 * bandwidth's: copy, or copy-all on several threads). From LO to HI:
 * anything between no change and the change of that control around the
 * point's own stage, stretched further by what the PU's share (cpu) lost.
 * The controls read the slowest PU, which a point may or may not have
 * used, and a quota stretches a timing by anything up to the share it
 * takes, depending on how long each repetition lasts. A control's change
 * counts whether or not it moved beyond its own noise: one too noisy to
 * say it moved still says the machine may have (the range only widens).
 * WANDER: the wander across the stage (see struct shift_stage) of that
 * control and of the PUs' share, combined; 0 when the stage is not
 * bracketed. */
void machine_shift_expect(const struct machine_shift *s, const char *benchmark, double size_bytes, unsigned threads,
			  struct shift_expectation *e);

/* One line: "the new run's machine was slower: clock -17% (3.46 -> 2.87
 * GHz), l1 +18%, ...", or "unchanged", and how far the controls moved
 * across a stage; true when a control moved. */
bool machine_shift_describe(const struct machine_shift *s, char *buf, size_t len);

#endif
