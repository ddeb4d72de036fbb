/* The one table of native benchmarks. */
#include <config.h>

#include <stddef.h>

#include "bench.h"

extern const struct benchmark bench_latency;

const struct benchmark *const benchmarks[] = {
	&bench_latency,
	NULL,
};
