/* A run directory: results/<YYYYmmdd-HHMMSS>-<host>/ (never reused) or a
 * directory the user named, holding meta.json and one CSV per table. Every
 * file is written atomically; meta.json says whether the run completed. */
#ifndef MESILAB_RUNDIR_H
#define MESILAB_RUNDIR_H

#include "error.h"
#include "table.h"
#include "timer.h"
#include "topo.h"

/* The version of the results schema (results/README.md). */
#define RESULTS_SCHEMA_VERSION 2

enum run_status { RUN_RUNNING, RUN_COMPLETE, RUN_INTERRUPTED, RUN_FAILED };

struct rundir;

/* DIR NULL: a new directory under $MESILAB_RESULTS_DIR (default "results").
 * ARGV is recorded as the command line. meta.json is written at once with
 * status "running", so even a killed run says what it was. The directory
 * is locked while the run lasts (rundir_lock): a second command writing
 * into it is refused, naming the first one's PID.
 * A DIR that holds a run (its meta.json) is added to (run_addition.h):
 * meta.json stays that run's (command line, status, clock, host), this
 * command's files, settings, unavailable results, conditions and checks
 * are merged in and an entry under "additions" says what it was and
 * wrote; a file a whole run ('mesilab run') wrote itself is not replaced
 * but written as NAME-additionN.EXT, said on stderr. A meta.json that is
 * not a run's is refused with ERR naming it, nothing written. */
struct rundir *rundir_create(const char *dir, int argc, char **argv, struct ml_error *err);
/* The same for a command that measures a whole run ('mesilab run'): a DIR
 * that holds a run already is refused (two runs' measurements mixed in
 * one directory would each pass for the other's). */
struct rundir *rundir_create_run(const char *dir, int argc, char **argv, struct ml_error *err);
const char *rundir_path(const struct rundir *r);
/* The hidden file of a directory that mesilab locks while it writes there. */
#define RUNDIR_LOCK_NAME ".mesilab.lock"
/* Locks DIR (an flock on DIR/.mesilab.lock, which then names this
 * process): the descriptor, held until rundir_unlock or the process ends;
 * -1 with ERR naming the holder's PID when another process holds it. */
int rundir_lock(const char *dir, struct ml_error *err);
/* Releases the lock and removes its file. */
void rundir_unlock(const char *dir, int fd);
/* DIR and the directories above it; 0, or -1 with ERR. */
int rundir_make_directories(const char *dir, struct ml_error *err);
/* Whether DIR may take a command's output: it does not exist, is empty,
 * or holds MARKER (its own kind of directory: "meta.json" for a run,
 * "plan.csv" for a sweep). A folder of other files (sources, someone's
 * data: '-o sim' typed in a source tree) is refused, -1 with ERR, so
 * that nothing is mixed into it. */
int rundir_check_output(const char *dir, const char *marker, struct ml_error *err);
/* A new directory DATE-TIME-NAME under $MESILAB_RESULTS_DIR (default
 * "results") for results that are not a run (a sweep); the caller frees
 * it. NULL with ERR. */
char *rundir_new_directory(const char *name, struct ml_error *err);
/* "DIR/NAME", to be freed by the caller. */
char *rundir_file(const struct rundir *r, const char *name);

/* What meta.json describes besides the host. */
void rundir_set_topology(struct rundir *r, const struct topo *t);
void rundir_set_clock(struct rundir *r, const struct clock_calibration *clock);
/* A setting of the run, e.g. ("latency.page_policy", "within-tlb"). */
void rundir_set(struct rundir *r, const char *key, const char *value);
void rundir_setf(struct rundir *r, const char *key, const char *fmt, ...) ML_PRINTF(3, 4);
/* Something that could not be measured or produced, and why. */
void rundir_unavailable(struct rundir *r, const char *what, const char *why);
/* Records a file that was written into the directory by other means. */
void rundir_add_file(struct rundir *r, const char *name);

/* Whether a benchmark had the PUs it ran on: recorded per benchmark under
 * "conditions" in meta.json. */
struct run_conditions {
	char benchmark[32];
	unsigned pus;             /* how many PUs it ran on */
	double available;         /* the least share of a probe's time any of them ran
				   * its thread, 0 to 1; -1 when not probed */
	int least_available_pu;   /* which PU that was, -1 when not probed */
	double steal;             /* share of CPU time a hypervisor gave to others; -1 unknown */
	unsigned runnable;        /* threads runnable on the machine when it started */
	uint64_t preempted;       /* involuntary context switches of its measuring threads */
	unsigned measurements, given_up;
	char verdict[16];         /* "ok", "busy" or "oversubscribed" */
	char why[256];            /* in plain words; empty when ok */
};
void rundir_add_conditions(struct rundir *r, const struct run_conditions *c);
/* The CPU time a hypervisor gave to others while STAGE ran: its share of
 * all CPU time and the seconds (-1: unknown), under "steal" in meta.json. */
void rundir_add_steal(struct rundir *r, const char *stage, double share, double seconds);

/* One of the run's self-checks (see analysis/self_check.h), listed under
 * "checks" in meta.json; a check of the same name is replaced. */
struct run_check {
	char name[32];
	char verdict[16]; /* "agrees", "disagrees" or "not-checked" */
	char detail[320];
};
void rundir_set_check(struct rundir *r, const struct run_check *c);

/* Saves TABLE as NAME (e.g. "topology.csv") and lists it in meta.json. */
int rundir_save_table(struct rundir *r, const char *name, const struct table *t,
		      struct ml_error *err);

/* Rewrites meta.json with the final status and frees R. A pending Ctrl-C
 * turns RUN_COMPLETE into RUN_INTERRUPTED. */
int rundir_finish(struct rundir *r, enum run_status status, struct ml_error *err);
/* Rewrites meta.json as it stands (still "running"), for a stage that
 * reads it back, such as the report. */
int rundir_checkpoint(struct rundir *r, struct ml_error *err);

#endif
