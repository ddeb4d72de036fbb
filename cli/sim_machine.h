/* The machine a simulation models: a run directory's host (machine_model.h)
 * put into the simulator's configuration, the parts an option gives
 * excepted, and said: in the summary, as sim-machine.csv and as the
 * setting sim.machine. Shared by 'mesilab sim --machine' and the suite's
 * simulation stage. */
#ifndef MESILAB_SIM_MACHINE_H
#define MESILAB_SIM_MACHINE_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "machine_model.h"
#include "rundir.h"
#include "table.h"

struct sim_machine {
	const char *name; /* the run directory as given, or a description of it */
	struct machine_model model;
	bool given[MACHINE_NPARTS]; /* set by an option, over the model */
	/* A given part's value as its option gave it (a sweep's list), NULL:
	 * the configuration's. */
	const char *given_value[MACHINE_NPARTS];
	bool inclusive_given;       /* --non-inclusive */
	bool store_buffer_given;    /* --store-buffer */
	bool in_flight_given;       /* --in-flight or --no-in-flight */
	/* Why the replays have no store buffer, lines in flight, hand-over or
	 * atomic's cost (a sweep's, whose settings do not hold them); NULL:
	 * they have. */
	const char *plain_replays;
	const char *cores_source;   /* where the cores came from, in words */
	/* The configuration has the model's spread (the suite's sim stage
	 * sets it; 'sim --machine' and 'sweep --machine' do not), said in a
	 * row of its own. */
	bool spread_applied;
};

/* The protocols the suite's sim stage replays its twins under: those
 * compared ('all') and mesif-migratory, the migratory sharing of Intel's
 * caches (a line another core has written comes to its reader whole),
 * which model-error.csv judges on an Intel host (see model_error.c). */
#define SIM_MACHINE_PROTOCOLS "all,mesif-migratory"

/* Reads the model of the run directory RUN into M (NAME: how RUN is
 * named); 0, or -1 with ERR naming the file and line. */
int sim_machine_read(struct sim_machine *m, const char *run, const char *name, struct ml_error *err);
/* Puts M's parts into CFG, but those an option gave. */
void sim_machine_apply(const struct sim_machine *m, struct sim_config *cfg);
/* The model of CFG, one row per part: part, value, from (run, default,
 * option), source. */
struct table *sim_machine_table(const struct sim_machine *m, const struct sim_config *cfg);
/* The summary's block: the machine, each part and where it came from,
 * and what the model leaves out. */
void sim_machine_print(const struct sim_machine *m, const struct sim_config *cfg, FILE *fp);
/* sim-machine.csv and the setting sim.machine in the run R. */
int sim_machine_save(const struct sim_machine *m, const struct sim_config *cfg, struct rundir *r, struct ml_error *err);
/* A copy of T with a last column, machine, of NAME in every row: which
 * machine its figures are of. */
struct table *sim_machine_tagged(const struct table *t, const char *name);

#endif
