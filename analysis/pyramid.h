/* The storage pyramid measured: registers (one dependent operation, the
 * core clock), each cache level the latency curve shows, memory, the page
 * cache (DRAM caching the file system) and the device itself, each with
 * its latency, capacity and bandwidth, from what the run measured
 * (meta.json's clock and memory, levels.csv, bandwidth.csv, storage.csv). */
#ifndef MESILAB_PYRAMID_H
#define MESILAB_PYRAMID_H

#include "error.h"
#include "table.h"

/* pyramid.csv's table for RUN, top (registers) first: level,
 * latency_ns, capacity_bytes, bandwidth_mbs (empty when unknown), source.
 * NULL with ERR when the run has no latency levels. */
struct table *pyramid_table(const char *run, struct ml_error *err);
/* Writes RUN/pyramid.csv; 0, 1 when the run has nothing to build it from,
 * -1 with ERR. */
int pyramid_save(const char *run, struct ml_error *err);

#endif
