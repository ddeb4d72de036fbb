/* The one table of workloads. */
#include <config.h>

#include <stddef.h>
#include <string.h>

#include "workload.h"

extern const struct workload workload_latency;
extern const struct workload workload_bandwidth;
extern const struct workload workload_falseshare;
extern const struct workload workload_mix;
extern const struct workload workload_c2c;
extern const struct workload workload_states;
extern const struct workload workload_contention;

const struct workload *const workloads[] = {
	&workload_latency,
	&workload_bandwidth,
	&workload_falseshare,
	&workload_mix,
	&workload_c2c,
	&workload_states,
	&workload_contention,
	NULL,
};

const struct workload *workload_named(const char *name)
{
	for (size_t i = 0; workloads[i]; i++)
		if (strcmp(workloads[i]->name, name) == 0)
			return workloads[i];
	return NULL;
}
