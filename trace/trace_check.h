/* What checking a batch of records needs: the highest thread, the union of
 * the op bits and the smallest size. Computed as reductions, with SIMD
 * where the CPU has it, because this check runs on every record read and
 * must not slow reading down. */
#ifndef MESILAB_TRACE_CHECK_H
#define MESILAB_TRACE_CHECK_H

#include <stddef.h>

#include "trace.h"

struct trace_summary {
	unsigned max_thread, op_bits, min_size;
};

void trace_summarise(const struct trace_record *recs, size_t n, struct trace_summary *sum);

#endif
