/* The suite auditing itself: figures that different benchmarks measure
 * twice, or that physics bounds, checked against each other after a run.
 * A disagreement says, in words, which figures disagree and by how much;
 * it is a finding about the measurement, not a failure of the run. */
#ifndef MESILAB_SELF_CHECK_H
#define MESILAB_SELF_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"
#include "error.h"

enum self_check_verdict { CHECK_AGREES, CHECK_DISAGREES, CHECK_NOT_CHECKED };

struct self_check {
	const char *name; /* e.g. "c2c-vs-states-M" */
	enum self_check_verdict verdict;
	char detail[320]; /* what was compared, in words */
};

extern const char *const self_check_verdict_names[3]; /* agrees, disagrees, not-checked */

/* Runs every check on the results in the run directory RUN: fills up to
 * MAX entries of CHECKS and returns how many, or -1 with ERR when a
 * result file is there but cannot be read. */
int self_checks_run(const char *run, struct self_check *checks, size_t max, struct ml_error *err);

/* The median latency of states.csv's loads of Invalid lines (a line
 * flushed from every cache: a trip to memory); NAN when STATES has none. */
double states_memory_latency_ns(const struct csv_file *states);
/* Whether a latency of NS is a trip to memory as STATES_NS (from
 * states_memory_latency_ns) is: within the factor the self-check allows
 * either way. False when either is unknown. */
bool memory_latency_agrees(double ns, double states_ns);

/* How many checks self_checks_run makes. */
size_t self_checks_count(void);
/* The run's transfer control (controls.csv: a line between two cores,
 * measured at the start and after each benchmark), its lowest and highest
 * and when they were measured (cells of the file). */
struct transfer_range {
	double lo, hi;
	const char *lo_when, *hi_when;
};
/* Whether CONTROLS (NULL: none) says the machine changed under the run,
 * its transfer control's highest half as much again as its lowest (a
 * hypervisor moving vCPUs onto other cores or dies, or a busy neighbour):
 * RANGE gets the figures. */
bool controls_transfer_varied(const struct csv_file *controls, struct transfer_range *range);

#endif
