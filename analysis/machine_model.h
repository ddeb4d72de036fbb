/* The machine a run measured, as the simulator can model it: its private
 * L1 and L2 and its shared last level from topology.csv, and the cycles of
 * each level, of a line from another core and of memory from what the run
 * measured (levels.csv, c2c.csv, states.csv, meta.json's clock). Each part
 * says where it came from, or that the run lacks it; the simulator's
 * configuration (sim/) takes the parts the run gave, the others keep its
 * defaults. */
#ifndef MESILAB_MACHINE_MODEL_H
#define MESILAB_MACHINE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum machine_part {
	MACHINE_L1, MACHINE_L2, MACHINE_LLC,
	MACHINE_HIT, MACHINE_L2_HIT, MACHINE_LLC_HIT, MACHINE_MEMORY, MACHINE_C2C, MACHINE_BUS,
	MACHINE_HANDOVER, MACHINE_ATOMIC, MACHINE_NPARTS
};

/* "l1", "l2", "llc", "hit", "l2_hit", "llc_hit", "memory", "c2c", "bus", "handover",
 * "atomic". */
extern const char *const machine_part_names[MACHINE_NPARTS];

struct machine_part_value {
	bool from_run;         /* false: the run lacks it (SOURCE says why) */
	uint64_t size;         /* a cache: 0 for none */
	unsigned ways, line;
	/* A latency: its whole cycles and sixteenths of a cycle (the
	 * simulator's time base), the run's FIGURE to the nearest sixteenth. */
	unsigned cycles, sixteenths;
	double figure;
	char source[384];      /* where it came from, in words */
};

struct machine_model {
	unsigned pus; /* the PUs the run used; 0: unknown */
	/* The caches modelled as topology.csv names them ("L1d", "L3") and
	 * their levels; "" and 0 where unknown or none. */
	char cache_name[MACHINE_LLC + 1][16];
	unsigned cache_level[MACHINE_LLC + 1];
	unsigned top_level; /* the highest level topology.csv lists; 0: unknown */
	struct machine_part_value part[MACHINE_NPARTS];
	/* How far a transfer scatters, in percent either side of its median
	 * (the simulator's spread; 0 where the run does not say), and where
	 * that came from. The suite's sim stage takes it (stage_sim.c). */
	unsigned spread;
	char spread_source[256];
	/* What the model leaves out or changes (a level the simulator has no
	 * room for, a geometry made to fit), one line each. */
	char notes[4][256];
	unsigned nnotes;
};

/* Builds M from the run directory RUN, whose files are read inside it
 * (input_file.h). A file the run lacks leaves its parts to the defaults;
 * 0, or -1 with ERR ("FILE:LINE: what") when a file is there but cannot
 * be read, is malformed or holds a figure no machine can have. */
int machine_model_read(const char *run, struct machine_model *m, struct ml_error *err);

/* The rows of a benchmark between two PUs (c2c.csv, states.csv) the model
 * takes: pass after pass until one finds some, those between cores and
 * judged stable (unstable 0 or empty), those between cores, those of SMT
 * siblings. Whether row R of F is one pass PASS (below
 * MACHINE_ROW_PASSES) takes: 1 or 0; -1 with ERR where its unstable cell
 * is no flag. */
#define MACHINE_ROW_PASSES 3
struct csv_file;
int machine_model_row_in_pass(const struct csv_file *f, size_t r, size_t pass, struct ml_error *err);

#endif
