#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "plot_io.h"
#include "xalloc.h"

struct csv_file *plot_load(const struct plot_input *in, const char *name, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", in->run, name);
	struct csv_file *f = csv_read(path, err);

	free(path);
	return f;
}

/* Column NAME of F; -1 with ERR when missing. */
int plot_need(const struct csv_file *f, const char *name, struct ml_error *err)
{
	int c = csv_column(f, name);

	if (c < 0)
		ml_error_set(err, "%s: no column '%s'", csv_path(f), name);
	return c;
}

/* A gnuplot variable holding FILE's path, under VAR. */
FILE *plot_open_named_data(const struct plot_input *in, const char *var, const char *name,
			     struct ml_error *err)
{
	char *path = xasprintf("%s/%s", in->data, name);
	FILE *fp = fopen(path, "w");

	if (!fp)
		ml_error_set(err, "%s: cannot write", path);
	else
		fprintf(in->vars, "%s = '%s'\n", var, path);
	free(path);
	return fp;
}

FILE *plot_open_data(const struct plot_input *in, const char *name, struct ml_error *err)
{
	return plot_open_named_data(in, "data", name, err);
}

/* An optional result file: *F stays NULL when the run has none. */
int plot_load_optional(const struct plot_input *in, const char *name, struct csv_file **f,
			 struct ml_error *err)
{
	char *path = xasprintf("%s/%s", in->run, name);
	int rc = csv_read_optional(path, f, err);

	free(path);
	return rc;
}

/* Text safe inside a gnuplot single-quoted string. */
void plot_put_quoted(FILE *fp, const char *text)
{
	for (; *text; text++)
		if (*text != '\'' && *text != '\n')
			fputc(*text, fp);
}

bool plot_seen_before(const struct csv_file *f, size_t row, int a, int b)
{
	for (size_t r = 0; r < row; r++)
		if (strcmp(csv_cell(f, r, (size_t)a), csv_cell(f, row, (size_t)a)) == 0 &&
		    (b < 0 || strcmp(csv_cell(f, r, (size_t)b), csv_cell(f, row, (size_t)b)) == 0))
			return true;
	return false;
}
