/* The native benchmarks and what they share. */
#include <config.h>

#include <stddef.h>

#include "bench.h"

void bench_set_stability(struct table *t, size_t column, const struct stats *st)
{
	bool unstable = stats_unstable(st);

	table_set(t, column, unstable ? "1" : "0", unstable ? "UNSTABLE" : "yes");
}

/* The one table of native benchmarks. */
const struct benchmark *const benchmarks[] = {
	&bench_latency,
	&bench_bandwidth,
	&bench_falseshare,
	&bench_c2c,
	&bench_contention,
	&bench_states,
	NULL,
};
