#include <config.h>

#include <string.h>

#include "result_tables.h"

const struct result_table result_tables[] = {
	{ "latency.csv", "latency", { "size_bytes", "order", "pages" }, "latency_ns", "latency-samples.csv", false },
	{ "bandwidth.csv", "bandwidth", { "size_bytes", "op", "threads" }, "bandwidth_gbs", "bandwidth-samples.csv", true },
	{ "falseshare.csv", "falseshare", { "variant", "threads", "distance_bytes" }, "ns_per_op", "falseshare-samples.csv", false },
	{ "c2c.csv", "c2c", { "cpu_a", "cpu_b", "variant" }, "latency_ns", "c2c-samples.csv", false },
	{ "contention.csv", "contention", { "variant", "threads" }, "ns_per_op", "contention-samples.csv", false },
	{ "states.csv", "states", { "cpu_a", "cpu_b", "state", "op" }, "latency_ns", "states-samples.csv", false },
	{ "storage.csv", "storage", { "measure", "block_bytes" }, "latency_ns", "storage-samples.csv", false },
	/* The refill is not compared: a difference of two chases, near nothing
	 * where the other task evicts nothing, whose relative change says
	 * little. */
	{ "timeshare.csv", "timeshare", { "tasks", "handoff" }, "switch_ns", "timeshare-samples.csv", false },
	/* The model's error against the machine: how many times the closest
	 * protocol's figure is off the measured one, lower better; a rise
	 * beyond the measure's scatter is a regression of the model. */
	{ "model-error.csv", "model", { "benchmark", "figure" }, "error_factor", "model-error-samples.csv", false },
	{ "sim-workloads.csv", "sim (suite)", { "workload", "protocol" }, NULL, NULL, false },
	{ "sim-summary.csv", "sim", { "protocol" }, NULL, NULL, false },
	{ "sim-cores.csv", "sim per core", { "protocol", "core" }, NULL, NULL, false },
	{ "sim-transitions.csv", "sim transitions", { "protocol", "state", "event", "next" }, NULL, NULL, false },
};

const size_t nresult_tables = sizeof(result_tables) / sizeof(result_tables[0]);

const struct result_table *result_table_for(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < nresult_tables; i++)
		if (strcmp(result_tables[i].file, base) == 0)
			return &result_tables[i];
	return NULL;
}
