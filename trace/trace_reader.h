/* Reading a trace, binary or text (told apart by the magic), from a file
 * or a pipe, in bounded memory: records come in batches straight from a
 * read buffer, checked as they come. A text trace is checked whole and
 * converted to a binary temporary file first, so errors in it are
 * reported before anything is replayed. */
#ifndef MESILAB_TRACE_READER_H
#define MESILAB_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "trace.h"
#include "trace_locations.h"

struct trace_reader;

/* PATH "-" reads standard input. */
struct trace_reader *trace_reader_open(const char *path, struct ml_error *err);
/* Reads from FD (not closed by the reader), named NAME in messages. */
struct trace_reader *trace_reader_open_fd(int fd, const char *name, struct ml_error *err);
/* Reads bare records (no header) from FD, described by H. */
struct trace_reader *trace_reader_raw(int fd, const struct trace_header *h, const char *name);
void trace_reader_close(struct trace_reader *r);

const struct trace_header *trace_reader_header(const struct trace_reader *r);
const char *trace_reader_name(const struct trace_reader *r);
bool trace_reader_was_text(const struct trace_reader *r);
/* The binary format's version (0 for text). A version 1 program's atomics
 * come out marked as synchronisation records, as version 2 has them. */
unsigned trace_reader_version(const struct trace_reader *r);

/* The next records, in file order: returns how many (*RECORDS points at
 * them until the next call), 0 at the end, -1 on malformed input. */
ssize_t trace_reader_batch(struct trace_reader *r, const struct trace_record **records,
			   struct ml_error *err);
/* One record at a time: 1, 0 at the end, -1 on error. */
int trace_reader_next(struct trace_reader *r, struct trace_record *rec, struct ml_error *err);

/* A trace with code locations (version 3): each record of the last batch's
 * location index (0: unknown, i: the table's i-th program counter), NULL
 * for a trace without them (or a spool of one). */
const uint32_t *trace_reader_locs(const struct trace_reader *r);
/* Their table and the program's load map, read at the start of a file;
 * NULL for a pipe (its section comes after the records, unread) and for a
 * trace without them. */
const struct trace_locations *trace_reader_locations(const struct trace_reader *r);

/* Whether the records can be read again from a given offset (a regular
 * file), and the byte offset of the next record not yet returned. */
bool trace_reader_seekable(const struct trace_reader *r);
uint64_t trace_reader_offset(const struct trace_reader *r);
/* A second reader over the same records starting at byte OFFSET that
 * returns only THREAD's records (for replaying threads separately). */
struct trace_reader *trace_reader_cursor(const struct trace_reader *r, uint64_t offset,
					 unsigned thread, size_t buffer_records);
/* The same, returning every thread's records. */
struct trace_reader *trace_reader_cursor_all(const struct trace_reader *r, uint64_t offset,
					     size_t buffer_records);
/* The same, returning the synchronisation records alone, in the file's
 * order, without decoding what holds none: for a chunked trace (version
 * 4) whose chunks count them and whose order no limit cuts; else NULL. */
struct trace_reader *trace_reader_cursor_syncs(const struct trace_reader *r, uint64_t offset);
/* Whether R reads a chunked trace (version 4), whose order keys are
 * stamps (trace_reader_indices). */
bool trace_reader_is_chunked(const struct trace_reader *r);
/* Has a cursor follow the file's order: keep each record's order key
 * (see trace_reader_indices), and show WATCH every record it reads, those
 * its filter drops too, a batch at a time: N records from the one of
 * index FIRST on (0: the first after the header). */
typedef void (*trace_watch)(void *ctx, const struct trace_record *recs, size_t n, uint64_t first);
void trace_reader_follow(struct trace_reader *r, trace_watch watch, void *ctx);
/* Has R keep each record's order key, without watching (a chunked
 * trace's cursor of one thread then reads that thread's chunks alone). */
void trace_reader_order_keys(struct trace_reader *r);
/* A following (or key keeping) reader's last batch: each record's order
 * key, its index among the file's records, or in a chunked trace its
 * stamp raised to its thread's greatest so far (the merge's order); the
 * file's order is the records' by key, then by thread (then each
 * thread's own). Kept for a filtered cursor, and for a chunked trace's
 * every reader; a cursor made where its reader stands goes on with the
 * reader's keys. */
const uint64_t *trace_reader_indices(const struct trace_reader *r);

/* The records still unread, copied into an unlinked temporary file (for a
 * pipe that must be replayed per thread). Returns a seekable reader over
 * them, or NULL with ERR set. R is left at its end. */
struct trace_reader *trace_reader_spool(struct trace_reader *r, struct ml_error *err);

#endif
