/* What an importer's file (trace/import_NAME.c) may use, beside the job
 * it is given (struct trace_import_job, trace_import.h). An importer
 * reads the lines of a foreign format and writes a trace: a format of one
 * thread's accesses hands its line parsers to import_single_thread(); one
 * of a file per core, its producer of each thread's records to
 * trace_merge_write() (trace_merge.h); one of all cores in one file, in
 * their order, its parsers to trace_ordered_convert() (trace_ordered.h).
 * The lines themselves are read by line_source.h, their numbers by
 * digits.h. */
#ifndef MESILAB_IMPORTER_H
#define MESILAB_IMPORTER_H

#include <stdint.h>

#include "error.h"
#include "line_source.h"
#include "trace.h"
#include "trace_import.h"
#include "trace_merge.h"

/* The largest access a record holds: a larger one becomes several. */
#define IMPORT_MAX_PIECE 128

/* Where a line parser of import_single_thread() puts records: the line
 * parser's CTX. */
struct import_sink {
	struct trace_sink *sink;
	struct trace_import_report *report;
};

/* An access into SINK (counted in REPORT), split into pieces when it is
 * larger than a record holds. */
void import_emit(struct trace_sink *sink, struct trace_import_report *report, unsigned thread, enum trace_op op,
		 uint64_t address, uint64_t size, uint64_t gap);

/* A format of one thread's accesses: JOB's one input, read a block at a
 * time, USUAL taking the usual line where it lies (its records counted
 * and written here; NULL for none, where speed does not matter) and
 * GENERAL any other (emitting through its struct import_sink); see
 * line_source.h. 0, or -1 with ERR. */
int import_single_thread(const struct trace_import_job *job,
			 unsigned (*usual)(const char *p, const char **end, struct trace_record *rec),
			 int (*general)(struct line_source *s, const struct line_parser *lp, struct ml_error *err),
			 struct ml_error *err);

/* The importers, one file each, in the table of trace/importers.c. */
int import_din(const struct trace_import_job *job, struct ml_error *err);
int import_lackey(const struct trace_import_job *job, struct ml_error *err);
int import_percore(const struct trace_import_job *job, struct ml_error *err);
int import_interleaved(const struct trace_import_job *job, struct ml_error *err);

#endif
