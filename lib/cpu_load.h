/* How busy the machine is, as the kernel counts it (/proc/stat): CPU time
 * by kind, including what a hypervisor took for other guests (steal), and
 * how many threads are runnable right now. Read before and after a
 * measurement, it tells whether the measurement had the machine. */
#ifndef MESILAB_CPU_LOAD_H
#define MESILAB_CPU_LOAD_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_load {
	bool known;          /* false where /proc/stat cannot be read */
	uint64_t total;      /* every CPU's time, in clock ticks */
	uint64_t steal;      /* of which a hypervisor ran something else */
	unsigned runnable;   /* threads running or ready to run, at the reading */
};

void cpu_load_read(struct cpu_load *load);
/* The share of CPU time stolen between two readings, or -1 when unknown
 * (no reading, or no time passed). */
double cpu_load_steal_share(const struct cpu_load *before, const struct cpu_load *after);
/* The CPU time stolen between two readings, all CPUs together, in
 * seconds; -1 when unknown. */
double cpu_load_stolen_seconds(const struct cpu_load *before, const struct cpu_load *after);

#endif
