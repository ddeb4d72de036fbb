/* The trace readers: binary and text, through the header check, every
 * record, and the per-thread cursors the simulator uses. */
#include <config.h>

#include <unistd.h>

#include "fuzz_input.h"
#include "trace_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_input_file(data, size, path, sizeof(path));
	struct ml_error err;
	struct trace_reader *r = trace_reader_open_fd(fd, path, &err);
	const struct trace_record *recs;

	if (r) {
		while (trace_reader_batch(r, &recs, &err) > 0)
			;
		trace_reader_close(r);
	}
	close(fd);
	return 0;
}
