/* A workload: a kernel whose accesses mesilab can trace ('mesilab trace
 * NAME') with the same kernel source the native benchmark runs, and its
 * typed configuration. One descriptor per file, registered in
 * bench/workloads.c; its configuration struct is declared below, for the
 * callers that set it (the suite's simulation stage). */
#ifndef MESILAB_WORKLOAD_H
#define MESILAB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contention_variants.h"
#include "error.h"
#include "kernels.h"
#include "options.h"
#include "trace.h"

struct workload {
	const char *name;
	const char *summary;
	const char *description;
	/* Its options, each filling a field of its configuration struct
	 * (CONFIG_SIZE bytes). */
	const struct cli_option *options;
	size_t noptions, config_size;
	/* The command line's checks beyond the rows (how options go
	 * together): a usage error. NULL: none. */
	void (*check)(const struct cli_args *args, const void *config);
	/* Writes the trace of CONFIG to PATH ("-": standard output). H comes
	 * with the line-size hint and generator filled; the workload sets the
	 * threads. SEED: --seed, NULL when not given. */
	int (*generate)(const void *config, const uint64_t *seed, struct trace_header *h, const char *path,
			struct ml_error *err);
	/* 'mesilab trace NAME': workload_command, for every workload. */
	int (*trace)(const struct cli_args *args, struct trace_header *h, const char *path, struct ml_error *err);
};

/* The defaults of W's configuration in PROFILE, into CONFIG (W's struct);
 * the values of the command line, VALUES, where given (NULL for none). */
void workload_configure(const struct workload *w, enum cli_profile profile, const char *const *values,
			void *config);
/* 'mesilab trace NAME' (NAME: ARGS->name): the options into the workload's
 * configuration, checked, then its trace. */
int workload_command(const struct cli_args *args, struct trace_header *h, const char *path, struct ml_error *err);

/* The workloads' configurations. */
struct latency_workload {
	uint64_t size, steps; /* STEPS 0: twice around the cycle */
	unsigned stride, threads;
};
struct bandwidth_workload {
	uint64_t size;
	enum bandwidth_op op;
	unsigned threads, passes;
};
struct falseshare_workload {
	unsigned threads, work;
	uint64_t distance, iterations;
	bool atomic, read_mostly; /* READ_MOSTLY: thread 0 writes, the others read */
};
struct mix_workload {
	unsigned threads, hot_share, writes;
	uint64_t accesses, hot, cold;
};
enum c2c_variant { C2C_STORE, C2C_CAS, C2C_NVARIANTS };
struct c2c_workload {
	uint64_t rounds;
	enum c2c_variant variant;
};
struct states_workload {
	bool states[LINE_NSTATES], ops[LINE_NOPS];
	unsigned lines, repeat;
};
struct contention_workload {
	enum contention_variant_id variant;
	unsigned threads;
	uint64_t iterations;
};

extern const struct workload workload_latency, workload_bandwidth, workload_falseshare, workload_mix, workload_c2c,
	workload_states, workload_contention;

/* NULL-terminated. */
extern const struct workload *const workloads[];

/* The workload called NAME, or NULL. */
const struct workload *workload_named(const char *name);

#endif
