/* A fleet: the run directories of many machines side by side (one
 * directory per machine under one parent, however they were made: by
 * hand, over ssh, or 'mesilab run --slurm'). Each machine's key figures;
 * machines grouped by hardware (the same CPU model and topology compare
 * with each other, not with another model); each figure that stands out
 * from its group flagged with how far (the group's median and median
 * absolute deviation: robust to the odd machine itself) and whether that
 * is beyond the machine's own run-to-run noise. */
#ifndef MESILAB_FLEET_H
#define MESILAB_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define FLEET_MAX_FIGURES 48

/* A machine's figure is flagged when its robust z-score within a group of
 * at least FLEET_MIN_GROUP machines is beyond this (Iglewicz and
 * Hoaglin's modified z-score threshold). */
#define FLEET_Z_LIMIT 3.5
#define FLEET_MIN_GROUP 3

struct fleet_machine {
	char *name; /* its directory's name */
	char *path;
	char *hostname, *cpu, *kernel;
	char *shape; /* "1 package, 2 cores, 2 PUs; L1d 48 KiB, L2 1 MiB" */
	size_t group;
	bool complete; /* the run says it completed */
	double value[FLEET_MAX_FIGURES]; /* NAN: not measured */
	double noise[FLEET_MAX_FIGURES]; /* relative run-to-run noise; NAN: unknown */
};

struct fleet {
	size_t nmachines;
	struct fleet_machine *machines;
	size_t nfigures;
	char *figures[FLEET_MAX_FIGURES]; /* "memory_latency_ns", units in the name */
	size_t ngroups;
	char **groups; /* "CPU model; shape" */
};

struct fleet_flag {
	size_t machine, figure;
	double median;       /* the group's */
	double deviation;    /* (value - median) / median */
	double z;            /* robust z-score */
	bool noise_known;    /* the machine's run says how noisy the figure was */
	bool beyond_noise;   /* |value - median| > 3 x that noise */
};

/* Every run directory under DIR (a subdirectory with a meta.json); 0, or
 * -1 with ERR (none at all, or one that cannot be read). */
int fleet_load(const char *dir, struct fleet *f, struct ml_error *err);
void fleet_free(struct fleet *f);
/* The group's median of FIGURE (NAN when no machine has it). */
double fleet_group_median(const struct fleet *f, size_t group, size_t figure);
size_t fleet_group_size(const struct fleet *f, size_t group);
/* The figures that stand out, machine by machine; the caller frees. */
size_t fleet_flags(const struct fleet *f, struct fleet_flag **flags);

#endif
