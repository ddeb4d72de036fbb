/* Machine-state controls: eight tiny measurements that depend only on the
 * state of the machine (its clock, its caches, the share of the last-level
 * cache it gets, its memory as one thread and as every PU sees it, how
 * much of a PU it gives, how far apart two PUs are), taken at the start
 * of a run and after each stage. Between two runs of one build they
 * move only when the machine did (a slower clock, a co-runner streaming
 * memory, a CPU quota); `compare` uses them to tell such a shift, reported
 * once, from a benchmark that moved on its own. */
#ifndef MESILAB_CONTROLS_H
#define MESILAB_CONTROLS_H

#include <stdbool.h>

#include "error.h"
#include "rundir.h"
#include "topo.h"

/* The controls, as named in controls.csv. */
enum control_kind {
	CONTROL_CLOCK, CONTROL_L1, CONTROL_MEMORY, CONTROL_COPY, CONTROL_CPU, CONTROL_TRANSFER, CONTROL_COPY_ALL,
	CONTROL_L3, NCONTROLS
};

struct control_info {
	const char *name;  /* "clock", "l1", "memory", "copy", "cpu", "transfer", "copy-all", "l3" */
	const char *unit;  /* "GHz", "ns", "ns", "GB/s", "share", "ns", "GB/s", "ns": what is not ns is better higher */
	const char *what;  /* in words, for meta.json and the man page */
};
extern const struct control_info control_info[NCONTROLS];

struct controls;

/* Prepares the controls' memory (a chase set beyond most machines' caches,
 * at most 64 MiB, and one inside the last-level cache, at most 32 MiB) for
 * measurements on PU. NULL with ERR when it cannot. */
struct controls *controls_new(const struct topo *t, unsigned pu, struct ml_error *err);
/* Measures every control once, as occasion WHEN ("start", "after-latency"):
 * a row per control in the table saved by controls_save. */
int controls_measure(struct controls *c, const char *when, struct ml_error *err);
/* Writes controls.csv into the run and describes the controls in its
 * settings. */
int controls_save(struct controls *c, struct rundir *r, struct ml_error *err);
void controls_free(struct controls *c);

#endif
