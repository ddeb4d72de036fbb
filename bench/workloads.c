/* The one table of workloads. */
#include <config.h>

#include <stddef.h>

#include "workload.h"

extern const struct workload workload_chase;
extern const struct workload workload_falseshare;
extern const struct workload workload_mix;

const struct workload *const workloads[] = {
	&workload_chase,
	&workload_falseshare,
	&workload_mix,
	NULL,
};
