/* Run against run: the points two runs share, their change, and whether it
 * is more than noise, judged as one family: the exit status of a
 * comparison says whether any point changed, with a known chance of a
 * false alarm. */
#ifndef MESILAB_COMPARE_H
#define MESILAB_COMPARE_H

#include <stddef.h>

#include "error.h"
#include "json_read.h"
#include "machine_shift.h"
#include "result_tables.h"
#include "table.h"

struct compare_options {
	double threshold_pct; /* a change that may not be beyond it is never a verdict */
	double alpha;         /* the family's level against one base run: the chance of any false verdict */
	double history_alpha; /* the same against a history */
};

/* How a measured point was judged, until the family's rule gives its
 * verdict (comparison_finish). */
enum point_state {
	POINT_TESTED,   /* a p-value, a detectable change */
	POINT_EDGE,     /* its repetitions fall in two groups: no verdict */
	POINT_UNTESTED, /* too few repetitions for any test */
	POINT_TARGET,   /* no test, but past the target its table sets (direction) */
};

struct judged_point {
	size_t row; /* in points */
	enum point_state state;
	const struct result_table *table;
	bool pairwise; /* against one base run, not a history */
	/* The change, a log ratio in time terms (above 0 slower); the range
	 * of log factors the controls allow; its standard error and degrees
	 * of freedom; the threshold as a log ratio. */
	double d, lo, hi, se, df, margin;
	double own_var; /* the part of se squared the repetitions give, on df degrees of freedom */
	/* The base's repetitions and the new run's, lowest and highest (log,
	 * time terms), as Yuen's test trims them: a change whose repetitions
	 * overlap the base's is never a verdict. OVERLAP_KNOWN: they exist. */
	double base_low, base_high, new_low, new_high;
	bool overlap_known;
	double p, raw_p; /* beyond the threshold and the controls' range; beyond the threshold alone */
	int direction, raw_direction; /* 1 slower, -1 faster */
	/* What the controls allow, said with the point when they moved or
	 * when they are what saved it (a machine- verdict). */
	char expected[32];
	const char *control;
};

struct comparison {
	struct compare_options options;
	/* What the controls say the machine did; NULL or not known: nothing. */
	const struct machine_shift *shift;
	/* benchmark, point, base, new, change_pct, p_value, verdict, expected,
	 * control, history */
	struct table *points;
	struct judged_point *judged;
	size_t njudged, history_points; /* history_points: those judged against a history */
	size_t tested; /* the family: the points with a p-value */
	size_t slower, faster, within_noise, blind, edge, untested, machine, same, differs, unmatched;
	/* Simulated values that differ between runs of different simulated
	 * machines: the model's, not the build's, and no verdict. */
	size_t model_differs;
	/* Figures of the model's error newly past their target, or back
	 * within it. */
	size_t target_missed, target_met;
	/* What differs between the simulated machines of the runs (their
	 * sim-machine.csv), said once: NULL while none was seen to. */
	char *models;
};

enum { CMP_BENCHMARK, CMP_POINT, CMP_BASE, CMP_NEW, CMP_CHANGE, CMP_P, CMP_VERDICT, CMP_EXPECTED, CMP_CONTROL,
       CMP_HISTORY, CMP_DETECTABLE, CMP_NCOLUMNS };

void comparison_init(struct comparison *c, const struct compare_options *o);
void comparison_free(struct comparison *c);

/* Once every file is compared: the family's rule over the measured
 * points (Holm's, at the options' alpha), their verdicts and the counts.
 * A point is slower or faster when its change beyond the threshold (and
 * beyond what the controls explain) survives the rule; "moved as the
 * machine did" when only the controls' range saves it; "within noise"
 * when it could have seen a change of twice the threshold; else "cannot
 * see changes under N%", N the smallest change the rule could have called
 * at its spread and repetitions. */
void comparison_finish(struct comparison *c);

/* Compares one result file in NBASE base runs and a new one: BASE[i] and
 * NEW are its paths; the samples files of a measured table, and the
 * simulated machine (sim-machine.csv) of a simulator's table, are looked
 * for beside them. One base: point against point, Yuen's t (a trimmed
 * Welch's) on the logarithms of their repetitions, with the uncertainty
 * of the machine around the point's stage added. Three or more (a
 * history): each point against the spread of its own values over those
 * runs, a prediction. Either way the p-value is that of a change beyond
 * the threshold; verdicts wait for comparison_finish. A simulator's table
 * is compared exactly: a value that differs "differs", or, when the runs
 * simulated different machines (their sim-machine.csv's parts and values,
 * or only one has one), "model differs", no verdict, what differs kept in
 * MODELS. A point of the model's error without repetitions to test is
 * "target missed" when the new run misses the target the base met, by a
 * change beyond the threshold ("target met" the other way). Returns -1
 * with ERR when a file cannot be read or lacks a column it needs. */
int compare_files(struct comparison *c, const struct result_table *t, const char *const *base, size_t nbase,
		  const char *new, bool found, struct ml_error *err);

/* What differs between the machines and builds of two runs' metadata (CPU,
 * PUs, kernel, architecture, compiler), as "what: 'a' vs 'b'" joined by
 * "; ", into BUF; returns how many differ. */
int compare_machines(const struct json_value *base, const struct json_value *new, char *buf,
		     size_t len);
/* Whether the runs differ in virtualization (bare metal, or which
 * hypervisor): 1 with BUF saying how, else 0. A warning, not a refusal:
 * the same CPU may be measured both ways. */
int compare_virtualization(const struct json_value *base, const struct json_value *new, char *buf, size_t len);

#endif
