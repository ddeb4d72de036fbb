/* The trace readers: binary and text, through the header check, every
 * record, and the per-thread cursors the simulator uses (a chunked
 * trace's read alone, following the order or not). */
#include <config.h>

#include <unistd.h>

#include "fuzz_input.h"
#include "trace_reader.h"

#define MAX_CURSORS 8 /* threads read per thread: more costs time, not paths */

static void watch(void *ctx, const struct trace_record *recs, size_t n, uint64_t first)
{
	(void)ctx;
	(void)recs;
	(void)n;
	(void)first;
}

/* Each thread's records through a cursor of its own, every other one
 * following the order. */
static void per_thread(const struct trace_reader *r)
{
	const struct trace_header *h = trace_reader_header(r);
	const struct trace_record *recs;
	struct ml_error err;

	for (unsigned t = 0; t < h->threads && t < MAX_CURSORS; t++) {
		struct trace_reader *c = trace_reader_cursor(r, trace_reader_offset(r), t, 64);

		if (t % 2)
			trace_reader_follow(c, watch, NULL);
		while (trace_reader_batch(c, &recs, &err) > 0)
			;
		trace_reader_close(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_input_file(data, size, path, sizeof(path));
	struct ml_error err;
	struct trace_reader *r = trace_reader_open_fd(fd, path, &err);
	const struct trace_record *recs;

	if (r) {
		if (trace_reader_seekable(r))
			per_thread(r);
		while (trace_reader_batch(r, &recs, &err) > 0)
			;
		trace_reader_close(r);
	}
	close(fd);
	return 0;
}
