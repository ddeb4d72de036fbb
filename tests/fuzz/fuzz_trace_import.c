/* The importers of trace/importers.c: the first byte picks one; for
 * per-core traces, a NUL splits the rest into one file per core. The
 * trace goes to standard output, which the target sends to /dev/null. */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "trace_import.h"

#define MAX_INPUTS 4

static void quiet_stdout(void)
{
	static int done;
	int null;

	if (done)
		return;
	null = open("/dev/null", O_WRONLY);
	if (null >= 0)
		dup2(null, STDOUT_FILENO);
	done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct trace_importer *importer;
	char paths[MAX_INPUTS][64], *inputs[MAX_INPUTS];
	int fds[MAX_INPUTS], n = 0;
	struct trace_header h = { .line_size = 0 };
	struct trace_import_report rep;
	struct ml_error err;

	if (size < 1)
		return 0;
	quiet_stdout();
	importer = &trace_importers[data[0] % trace_nimporters];
	data++;
	size--;
	while (n < MAX_INPUTS) {
		const uint8_t *nul = strcmp(importer->name, "percore") == 0 ? memchr(data, 0, size) : NULL;
		size_t part = nul ? (size_t)(nul - data) : size;

		fds[n] = fuzz_input_file(data, part, paths[n], sizeof(paths[n]));
		inputs[n] = paths[n];
		n++;
		if (!nul)
			break;
		data += part + 1;
		size -= part + 1;
	}
	trace_import(importer, inputs, n, "-", &h, &rep, &err);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
