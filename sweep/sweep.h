/* Sweeps: the simulator over the cross product of lists of settings
 * (cache geometries, cores, replacement, order, latencies) and traces,
 * every protocol of a list replayed together in each configuration.
 *
 * A sweep lives in a directory: plan.csv holds one row per configuration
 * (its id, the trace, every setting, the protocols, whether misses are
 * classified), enough for any process on any machine that sees the
 * directory to run one configuration alone; rows/ID.csv holds a finished
 * configuration's rows (one per protocol: the configuration's columns,
 * then sim-summary.csv's), written whole or not at all, so a finished
 * configuration is never redone and an interrupted one leaves nothing
 * (sweep_dir.h reads the directory back). */
#ifndef MESILAB_SWEEP_H
#define MESILAB_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"
#include "engine.h"
#include "error.h"
#include "worker_pool.h"

/* The settings a sweep can take lists of: each one an option of 'sim' and
 * a column of plan.csv and sweep.csv. */
struct sweep_setting {
	const char *name;
	/* Sets VALUE into CFG; 0, or -1 with ERR. */
	int (*apply)(struct sim_config *cfg, const char *value, struct ml_error *err);
	/* CFG's value as text, as apply() reads it. */
	void (*format)(const struct sim_config *cfg, char *buf, size_t len);
};

extern const struct sweep_setting sweep_settings[];
extern const size_t sweep_nsettings;

/* What a sweep crosses: one comma-separated list per setting (NULL: the
 * simulator's default, or the trace's own cores and order) and the
 * traces; each configuration then runs the protocols (comma-separated),
 * with the misses' causes or not. */
struct sweep_request {
	const char *const *lists;
	char *const *traces;
	int ntraces;
	const char *protocols;
	bool causes;
};

/* The configurations the simulator refused (an L2 smaller than the
 * L1...): how many, and the first one's reason. */
struct sweep_refusals {
	size_t count;
	char why[256];
};

/* The cross product of REQUEST's lists and traces, the configurations the
 * simulator refuses left out, into REFUSED. Writes DIR/plan.csv, or checks
 * that the plan already there is the same one (a sweep resumed); returns
 * the number of configurations, or -1 with ERR. */
long sweep_plan_write(const char *dir, const struct sweep_request *request, struct sweep_refusals *refused,
		      struct ml_error *err);

/* Replays configuration ROW of PLAN and writes its rows file; 0, or -1
 * with ERR. */
int sweep_run_config(const char *dir, const struct csv_file *plan, size_t row, struct ml_error *err);

/* The configurations ROWS (N of them; NULL: the plan's first N) of PLAN
 * not finished yet, on JOBS worker processes (worker_pool.h); a failed
 * configuration is said on stderr with its id and settings. */
int sweep_run_pool(const char *dir, const struct csv_file *plan, const size_t *rows, size_t n, unsigned jobs,
		   struct worker_pool_result *result, struct ml_error *err);

#endif
