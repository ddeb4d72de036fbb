/* The trace a program writes in place (version 4, chunked: see
 * trace_chunk.h), for a trace that is a regular file: each thread's
 * buffer, encoded by the thread when it is full, is appended as a chunk
 * to a file in the trace's directory that has no name yet (O_TMPFILE; a
 * hidden file where the file system refuses it). At exit the end record,
 * the locations and the header complete it, and it is linked under the
 * trace's name: the exit costs no merge, a killed program leaves no
 * partial trace (nor, with O_TMPFILE, any file), and the file is the
 * only spool. */
#ifndef MESILAB_TRACER_TRACE_FILE_H
#define MESILAB_TRACER_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "locations.h"
#include "trace.h"

struct rt_trace_file {
	atomic_flag lock;
	int fd;
	uint64_t bytes;       /* the header's room and the chunks written */
	uint32_t header_room; /* bytes before the first chunk */
	char *path;           /* the name it gets (a symbolic link's target) */
	char *hidden;         /* without O_TMPFILE: its hidden name, else NULL */
	int error;            /* errno of the first failed write, 0 */
};

/* Starts the trace for PATH with HEADER_ROOM bytes for its header (a
 * multiple of 16): 0, or an errno. */
int rt_trace_file_open(struct rt_trace_file *f, const char *path, uint32_t header_room);
/* Appends one chunk (header and payload, N bytes); false once a write
 * failed. */
bool rt_trace_file_append(struct rt_trace_file *f, const void *chunk, size_t n);
/* Completes the trace (the end record with LIMIT, the threads' maps of
 * locations and the locations from LOCS when H->locations, the header H)
 * and gives it its name. 0, or -1 with WHY (nothing is left then). */
int rt_trace_file_finish(struct rt_trace_file *f, const struct trace_header *h, const struct rt_locations *locs,
			 uint64_t limit, char *why, size_t why_len);
/* Drops the trace (a write failed): nothing is left. */
void rt_trace_file_drop(struct rt_trace_file *f);

#endif
