/* The CSV reader behind compare, plot and report, and every cell read as
 * text and as a number. */
#include <config.h>

#include <unistd.h>

#include "csv_read.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_input_file(data, size, path, sizeof(path));
	struct ml_error err;
	struct csv_file *f = csv_read(path, NULL, &err);

	if (f) {
		for (size_t c = 0; c < csv_columns(f); c++)
			csv_column(f, csv_header(f, c));
		for (size_t r = 0; r < csv_rows(f); r++)
			for (size_t c = 0; c < csv_columns(f); c++)
				if (csv_cell(f, r, c))
					csv_number(f, r, c);
		csv_free(f);
	}
	close(fd);
	return 0;
}
