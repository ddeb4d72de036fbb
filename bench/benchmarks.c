/* The one table of native benchmarks. */
#include <config.h>

#include <stddef.h>

#include "bench.h"

const struct benchmark *const benchmarks[] = {
	&bench_latency,
	&bench_bandwidth,
	&bench_falseshare,
	&bench_c2c,
	&bench_contention,
	NULL,
};
