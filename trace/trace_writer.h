/* Writing a binary trace: buffered, and atomic when writing to a file
 * (a failed or interrupted write leaves no file behind). */
#ifndef MESILAB_TRACE_WRITER_H
#define MESILAB_TRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "trace.h"

struct trace_writer;

/* PATH "-" writes to standard output. Control characters in the header's
 * generator text become spaces so the text form keeps it on one line. */
struct trace_writer *trace_writer_open(const char *path, const struct trace_header *h,
				       struct ml_error *err);
void trace_writer_add(struct trace_writer *w, const struct trace_record *r);
/* N records at once: what a reader that makes records one by one in a
 * hot loop collects first (a call per record costs as much as its copy). */
void trace_writer_add_many(struct trace_writer *w, const struct trace_record *r, size_t n);
uint64_t trace_writer_records(const struct trace_writer *w);
/* True once a write failed (a full disk, a closed pipe): ERR says why, and
 * whoever feeds the writer should stop. */
bool trace_writer_failed(const struct trace_writer *w, struct ml_error *err);
/* Flushes and, for a file, renames it into place; frees W. */
int trace_writer_close(struct trace_writer *w, struct ml_error *err);
/* Drops everything written; frees W. */
void trace_writer_abort(struct trace_writer *w);

#endif
