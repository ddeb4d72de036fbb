/* The one table of workloads, and their command line. */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "xalloc.h"

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

void workload_configure(const struct workload *w, enum cli_profile profile, const char *const *values,
			void *config)
{
	struct ml_error err;

	/* The rows' defaults are checked by their test: a bad one is a bug. */
	if (cli_fill(w->options, w->noptions, values, profile, config, &err) < 0)
		ml_die(ML_EXIT_CHECK_FAILED, "internal: workload %s: %s", w->name, err.msg);
}

int workload_command(const struct cli_args *args, struct trace_header *h, const char *path, struct ml_error *err)
{
	const struct workload *w = workload_named(args->name);
	void *config = xcalloc(1, w->config_size);
	int rc;

	workload_configure(w, args->quick ? CLI_PROFILE_QUICK : CLI_PROFILE_DEFAULT, args->values, config);
	if (w->check)
		w->check(args, config);
	rc = w->generate(config, args->seed_given ? &args->seed : NULL, h, path, err);
	free(config);
	return rc;
}
