/* The spool of a traced program: the threads' buffers, written out as
 * chunks into one unlinked file beside the trace, and their merge into
 * the trace when the program ends. */
#ifndef MESILAB_TRACER_SPOOL_H
#define MESILAB_TRACER_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "locations.h"
#include "trace.h"

struct rt_chunk {
	uint64_t offset; /* bytes into the spool */
	uint32_t thread, events;
};

struct rt_spool {
	atomic_flag lock;
	int fd;
	uint64_t bytes;
	struct rt_chunk *chunks;
	size_t nchunks, cap;
	int error; /* errno of the first failed write, 0 */
};

/* Writes N bytes at OFFSET, or where the descriptor stands when STREAM
 * (a FIFO or a device, which have no offsets); false with *ERROR (an
 * errno) when it cannot. */
bool rt_write_all(int fd, const void *data, size_t n, uint64_t offset, bool stream, int *error);
/* Opens the spool in DIR; 0, or an errno. */
int rt_spool_open(struct rt_spool *s, const char *dir);
/* Appends THREAD's N events as one chunk; false once a write failed. */
bool rt_spool_append(struct rt_spool *s, uint32_t thread, const struct trace_stamped *events, size_t n);

/* The file a trace for PATH is written to: a symbolic link's target (the
 * link stays, as with other tools that write), created when it dangles.
 * NULL when memory ran out. */
char *rt_final_name(const char *path);

/* Writes the trace to PATH (through a hidden file beside it, renamed into
 * place: never a partial trace; a symbolic link's target so; a device or
 * a FIFO written through, never replaced): header H, then the spooled events of
 * H->threads threads in the order of their stamps (ties: the lower
 * thread first), at most LIMIT of them (0: all). With LOCS (and
 * H->locations), each record's location, which its gap holds as its
 * thread's number, becomes LOCS's, and the locations follow the records.
 * *WRITTEN: how many. Returns 0, or -1 with WHY. */
int rt_spool_merge(struct rt_spool *s, const struct trace_header *h, const struct rt_locations *locs,
		   uint64_t limit, const char *path, uint64_t *written, char *why, size_t why_len);

#endif
