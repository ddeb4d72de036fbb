/* How much memory this process can still get: the kernel's estimate of
 * what can be allocated without swapping (MemAvailable), less where a
 * cgroup limit (a container, a Slurm job, systemd) is closer. Used to
 * refuse a working set that would end in an out-of-memory kill. */
#ifndef MESILAB_MEMORY_AVAIL_H
#define MESILAB_MEMORY_AVAIL_H

#include <stdint.h>

/* Bytes available, or UINT64_MAX when nothing can be read. WHY (may be
 * NULL) gets what limited it: "MemAvailable" or "the cgroup's limit". */
uint64_t memory_available(const char **why);
/* The machine's memory (MemTotal), or UINT64_MAX when it cannot be read. */
uint64_t memory_total(void);

#endif
