/* How much of a PU the calling thread gets: it reads the clock for a
 * while, and every jump in the clock longer than a hardware interrupt is
 * time the PU ran something else (another process, another guest of the
 * hypervisor, nothing at all under a CPU quota). It works inside a VM,
 * where the kernel cannot see the host. */
#ifndef MESILAB_PU_PROBE_H
#define MESILAB_PU_PROBE_H

#include <stdint.h>

#include "access.h"

/* The share of DURATION_NS the calling thread ran, 0 to 1; it ends early
 * when CTX's measurement is given up. */
double pu_probe_available(uint64_t duration_ns, const struct access_native *ctx);

#endif
