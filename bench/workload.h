/* A workload: a kernel with its options, whose accesses mesilab can trace
 * ('mesilab trace NAME') with the same kernel source the native benchmark
 * runs. One descriptor per file, registered in bench/workloads.c. */
#ifndef MESILAB_WORKLOAD_H
#define MESILAB_WORKLOAD_H

#include <stddef.h>

#include "options.h"
#include "error.h"
#include "trace.h"

struct workload {
	const char *name;
	const char *summary;
	const char *description;
	const struct cli_option *options;
	size_t noptions;
	/* Writes the trace to PATH ("-": standard output). H comes with the
	 * line-size hint and generator filled; the workload sets the threads.
	 * ARGS->values are indexed by the workload's own options. */
	int (*trace)(const struct cli_args *args, struct trace_header *h, const char *path,
		     struct ml_error *err);
};

/* NULL-terminated. */
extern const struct workload *const workloads[];

/* The workload called NAME, or NULL. */
const struct workload *workload_named(const char *name);

#endif
