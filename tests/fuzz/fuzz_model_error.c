/* The model against the machine on a run directory made from the input:
 * model-error.csv built from the run's native figures, sim-workloads.csv
 * and sim-machine.csv, saved (a regular file of the run, whatever the run
 * held by its name) and read back as compare and fleet read it (every
 * row and cell as written: a quote or a line break in a cell survives),
 * then the report that shows it in Markdown and HTML, its pages regular
 * files of the run too. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_read.h"
#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "model_error.h"
#include "report_writer.h"
#include "xalloc.h"

/* RUN's file NAME, once written, is a regular file of the run: not
 * written through a link or a FIFO the run held by that name. */
static void written_in_run(const char *run, const char *name)
{
	char *path = xasprintf("%s/%s", run, name);
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s is not a regular file of the run once written\n", path);
		abort();
	}
	free(path);
}

/* The saved table T (NAME in RUN) reads back whole. */
static void read_back(const char *run, const char *name, const struct table *t)
{
	char *path = xasprintf("%s/%s", run, name);
	struct ml_error err;
	struct csv_file *f;

	written_in_run(run, name);
	f = csv_read(path, run, &err);
	if (!f) {
		fprintf(stderr, "%s does not read back: %s\n", path, err.msg);
		abort();
	}
	if (csv_rows(f) != table_rows(t)) {
		fprintf(stderr, "%s reads back %zu rows of %zu\n", path, csv_rows(f), table_rows(t));
		abort();
	}
	for (size_t r = 0; r < table_rows(t); r++)
		for (size_t c = 0; c < table_columns(t); c++)
			if (strcmp(csv_cell(f, r, c), table_get(t, r, c)) != 0) {
				fprintf(stderr, "%s row %zu column %zu reads back '%s', written '%s'\n", path, r, c,
					csv_cell(f, r, c), table_get(t, r, c));
				abort();
			}
	csv_free(f);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_model_error"), data, size);
	char *run = xasprintf("%s/run", tree);
	struct model_error m;
	struct ml_error err;

	if (model_error_build(run, &m, &err) == 0 && m.table && model_error_save(run, &m, &err) == 0) {
		read_back(run, "model-error.csv", m.table);
		read_back(run, "model-error-samples.csv", m.samples);
	}
	model_error_free(&m);
	if (report_write(run, &err) == 0) {
		written_in_run(run, "report.md");
		written_in_run(run, "report.html");
	}
	free(run);
	return 0;
}
