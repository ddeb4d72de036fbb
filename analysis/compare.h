/* Run against run: the points two runs share, their change, and whether it
 * is more than noise. */
#ifndef MESILAB_COMPARE_H
#define MESILAB_COMPARE_H

#include <stddef.h>

#include "error.h"
#include "json_read.h"
#include "machine_shift.h"
#include "result_tables.h"
#include "table.h"

struct compare_options {
	double threshold_pct; /* a change below it is never a verdict */
	double alpha;         /* the Mann-Whitney level for "distinguishable" */
	double history_alpha; /* the prediction interval's level against a history */
};

struct comparison {
	struct compare_options options;
	/* What the controls say the machine did; NULL or not known: nothing. */
	const struct machine_shift *shift;
	/* benchmark, point, base, new, change_pct, p_value, verdict, expected,
	 * control, history */
	struct table *points;
	size_t slower, faster, within_noise, machine, same, differs, unmatched;
};

enum { CMP_BENCHMARK, CMP_POINT, CMP_BASE, CMP_NEW, CMP_CHANGE, CMP_P, CMP_VERDICT, CMP_EXPECTED, CMP_CONTROL,
       CMP_HISTORY, CMP_NCOLUMNS };

void comparison_init(struct comparison *c, const struct compare_options *o);
void comparison_free(struct comparison *c);

/* Compares one result file in NBASE base runs and a new one: BASE[i] and
 * NEW are its paths; the samples files of a measured table are looked for
 * beside them. One base: point against point, their repetitions told
 * apart by a Mann-Whitney U test. Three or more (a history): each point
 * against the spread of its own values over those runs, a prediction
 * interval. Returns -1 with ERR when a file cannot be read or lacks a
 * column it needs. */
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
