#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "plot_io.h"
#include "xalloc.h"

struct csv_file *plot_load(const struct plot_input *in, const char *name, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", in->run, name);
	struct csv_file *f = csv_read(path, in->run, err);

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
	int rc = csv_read_optional(path, in->run, f, err);

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

int plot_hwloc_caches(const struct plot_input *in, double lo, double hi, struct ml_error *err)
{
	FILE *hw = plot_open_named_data(in, "hwloc", "hwloc.dat", err);
	char *meta_path = xasprintf("%s/meta.json", in->run);
	struct json_value *meta;
	unsigned n = 0;

	if (!hw) {
		free(meta_path);
		return -1;
	}
	meta = json_parse_file(meta_path, in->run, err);
	free(meta_path);
	if (meta) {
		const struct json_value *caches = json_lookup(meta, "topology.caches");

		for (size_t i = 0; caches && caches->type == JSON_ARRAY && i < caches->count; i++) {
			const char *name = json_lookup_string(caches->items[i], "name");
			const struct json_value *sz = json_lookup(caches->items[i], "size_bytes");

			if (name && sz && sz->type == JSON_NUMBER && strcmp(name, "L1i") != 0 &&
			    sz->number >= lo && sz->number <= hi) {
				fprintf(hw, "%.0f \"%s\"\n", sz->number, name);
				n++;
			}
		}
	}
	fprintf(in->vars, "nhwloc = %u\n", n);
	if (n == 0)
		fprintf(hw, "%g \"\"\n", lo / 100);
	json_value_free(meta);
	fclose(hw);
	return 0;
}

void plot_size_tics(FILE *vars, const char *var, double low, double high)
{
	bool first = true;

	fprintf(vars, "%s = '(", var);
	for (double x = 1024; x <= high * 1.01; x *= 4) {
		double unit = x >= 1 << 30 ? 1 << 30 : x >= 1 << 20 ? 1 << 20 : 1 << 10;

		if (x < low / 1.01)
			continue;
		fprintf(vars, "%s\"%g%c\" %.0f", first ? "" : ", ", x / unit,
			unit == 1 << 30 ? 'G' : unit == 1 << 20 ? 'M' : 'K', x);
		first = false;
	}
	fputs(")'\n", vars);
}
