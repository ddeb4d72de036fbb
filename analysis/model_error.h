/* The model against the machine: each native figure that has a simulated
 * twin in a run (the suite's sim stage replays the benchmarks' kernels on
 * the host's model), measured beside simulated under every protocol, and
 * the error of the protocol closest to the hardware. Calibrated figures
 * are those the model was built from (the levels, c2c, the states' loads):
 * their error checks the model's construction; predicted ones (false
 * sharing, locks) test it. Documented in results/README.md
 * (model-error.csv). */
#ifndef MESILAB_MODEL_ERROR_H
#define MESILAB_MODEL_ERROR_H

#include "error.h"
#include "table.h"

enum model_error_column {
	ME_BENCHMARK, ME_FIGURE, ME_KIND, ME_UNIT, ME_MEASURED, ME_PROTOCOL, ME_SIMULATED, ME_ERROR,
	ME_FACTOR, ME_TARGET, ME_MET, ME_WHY, ME_NFIXED
	/* then one column per protocol simulated: sim_PROTOCOL */
};

/* model-error-samples.csv: the error of each repetition of the figures
 * read from one row whose repetitions the run keeps. */
enum model_error_sample_column { MS_BENCHMARK, MS_FIGURE, MS_REP, MS_FACTOR, MS_NCOLUMNS };

#define MODEL_ERROR_MAX_PROTOCOLS 32

/* The table and what its columns' names are kept in. */
struct model_error {
	struct table *table; /* NULL: the run has no sim-workloads.csv */
	struct table *samples;
	char protocol_why[640]; /* why the protocol judged was chosen */
	char names[MODEL_ERROR_MAX_PROTOCOLS][48], titles[MODEL_ERROR_MAX_PROTOCOLS][40];
};

/* The table of the run directory RUN (its files read inside it), into
 * *M (model_error_free frees it); M->table NULL when the run has nothing
 * simulated to set beside its measures. 0, or -1 with ERR ("FILE:LINE:
 * what") when a file is there but malformed. */
int model_error_build(const char *run, struct model_error *m, struct ml_error *err);
/* Saves M's table (not NULL) as RUN/model-error.csv and its samples as
 * model-error-samples.csv, each atomically, each a regular file of RUN:
 * a link, FIFO or device the run holds by that name is replaced, never
 * written through. */
int model_error_save(const char *run, const struct model_error *m, struct ml_error *err);
void model_error_free(struct model_error *m);

#endif
