/* The table of figures: one row per figure, in the order they are drawn
 * (figure.h says what a row holds and how to add one). */
#include <config.h>

#include "figure.h"
#include "plot.h"

const struct figure figures[] = {
	{ "topology", "topology.gp", "topology.csv",
	  "The machine's caches as hwloc reports them: each box one cache instance over the PUs that share it.",
	  plot_prepare_topology, NULL },
	{ "latency", "latency.gp", "latency.csv",
	  "Load-to-use latency against working-set size, with the levels mesilab detected (shaded) and the cache sizes hwloc reports (dashed).",
	  plot_prepare_latency, NULL },
	{ "bandwidth", "bandwidth.gp", "bandwidth.csv",
	  "Bandwidth against working-set size, per operation, with one thread and with all.",
	  plot_prepare_bandwidth, NULL },
	{ "c2c", "c2c.gp", "c2c.csv",
	  "One-way core-to-core latency of a line handed back and forth (store variant), for each pair of PUs.",
	  plot_prepare_c2c, NULL },
	{ "states", "states.gp", "states.csv",
	  "The cost of each operation on a line another core left Modified, Exclusive, Shared or Invalid.",
	  plot_prepare_states, NULL },
	{ "falseshare", "falseshare.gp", "falseshare.csv",
	  "False sharing: slowdown of per-thread counters against padded ones, by the distance between counters.",
	  plot_prepare_falseshare, NULL },
	{ "contention", "contention.gp", "contention.csv",
	  "Many threads on one line: total operations per second as threads are added.",
	  plot_prepare_contention, NULL },
	{ "falseshare-sim", "falseshare-sim.gp", "sim-workloads.csv",
	  "False sharing measured and simulated: the native slowdown with two threads beside each protocol's simulated one, counters 8 against 64 bytes apart.",
	  plot_prepare_falseshare_sim, NULL },
	{ "protocols", "protocols.gp", "sim-workloads.csv",
	  "The protocols side by side on one workload: bus transactions by type and misses by cause.",
	  plot_prepare_protocols, plot_workloads },
	{ "protocols", "protocols.gp", "sim-summary.csv",
	  "The protocols side by side on the simulated trace: bus transactions by type and misses by cause.",
	  plot_prepare_sim_protocols, NULL },
	{ "pyramid", "pyramid.gp", "pyramid.csv",
	  "From registers to disk: every level measured on this machine, its latency (log scale), capacity and bandwidth.",
	  plot_prepare_pyramid, NULL },
	{ "timeshare", "timeshare.gp", "timeshare-refill.csv",
	  "Timesharing one PU: the time a task needs to get its working set back into the caches after another task had its turn, per line of its set, against the other's working set.",
	  plot_prepare_timeshare, NULL },
	{ "sweep", "sweep.gp", "sweep.csv",
	  "A sweep: misses (by cause, when classified) and bus transactions by type against the swept setting, one line per protocol.",
	  plot_prepare_sweep, plot_sweep_groups },
	{ "fleet-latency", "fleet-latency.gp", "fleet.csv",
	  "A fleet group's latency staircases, one line per machine.",
	  plot_prepare_fleet_latency, plot_fleet_groups },
};

const size_t nfigures = sizeof(figures) / sizeof(figures[0]);
