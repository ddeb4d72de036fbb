#include <config.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json_read.h"
#include "path.h"
#include "plot_io.h"
#include "units.h"
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

int plot_need_number(const struct csv_file *f, const char *name, struct ml_error *err)
{
	int c = plot_need(f, name, err);

	return c < 0 || csv_require_numbers(f, (size_t)c, err) < 0 ? -1 : c;
}

FILE *plot_open_named_data(const struct plot_input *in, const char *var, const char *name,
			     struct ml_error *err)
{
	char *path = xasprintf("%s/%s", in->data, name);
	FILE *fp = fopen(path, "w");

	if (!fp)
		ml_error_set(err, "%s: cannot write", path);
	else
		plot_set_string(in->vars, var, name);
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

/* TEXT through ESCAPE, cut to MAX bytes (at a character's start) with
 * "...": a label from a file can be of any length, and one longer than
 * the figure leaves gnuplot no room for the key or the tics (it warns,
 * the figure fails). */
static void put_label(FILE *fp, const char *text, size_t max, void (*escape)(FILE *, const char *))
{
	size_t len = strlen(text);
	char *cut;

	if (len <= max) {
		escape(fp, text);
		return;
	}
	while (max > 0 && ((unsigned char)text[max] & 0xc0) == 0x80)
		max--;
	cut = xasprintf("%.*s...", (int)max, text);
	escape(fp, cut);
	free(cut);
}

/* The longest title, and the longest key entry or tic label, in bytes. */
#define TITLE_MAX 120
#define LABEL_MAX 48

void plot_put_datum(FILE *fp, const char *text)
{
	put_label(fp, text, LABEL_MAX, escape_gnuplot_datum);
}

void plot_set_string(FILE *vars, const char *var, const char *text)
{
	fprintf(vars, "%s = ", var);
	put_label(vars, text, TITLE_MAX, escape_gnuplot_string);
	fputc('\n', vars);
}

void plot_set_strings(FILE *vars, const char *var, char *const *items, size_t n)
{
	fprintf(vars, "array %s[%zu] = [", var, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", vars);
		put_label(vars, items[i], LABEL_MAX, escape_gnuplot_string);
	}
	fputs(n ? "]\n" : "'']\n", vars);
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
	/* Without meta.json the figure goes without hwloc's caches; one that
	 * cannot be read (malformed, a FIFO) is bad input, said as such. */
	if (!meta && path_exists(meta_path)) {
		free(meta_path);
		fclose(hw);
		return -1;
	}
	free(meta_path);
	if (meta) {
		const struct json_value *caches = json_lookup(meta, "topology.caches");

		for (size_t i = 0; caches && caches->type == JSON_ARRAY && i < caches->count; i++) {
			const char *name = json_lookup_string(caches->items[i], "name");
			const struct json_value *sz = json_lookup(caches->items[i], "size_bytes");

			if (name && sz && sz->type == JSON_NUMBER && strcmp(name, "L1i") != 0 &&
			    sz->number >= lo && sz->number <= hi) {
				fprintf(hw, "%.0f ", sz->number);
				plot_put_datum(hw, name);
				fputc('\n', hw);
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

void plot_format_bytes(double bytes, char *buf, size_t len)
{
	/* A number from a file may be negative, huge or not finite: converted
	 * to an integer, it would be undefined. */
	if (isfinite(bytes) && bytes >= 0 && bytes < 18446744073709551616.0)
		units_format_size((uint64_t)bytes, buf, len);
	else
		snprintf(buf, len, "%g bytes", bytes);
}

void plot_size_label(double bytes, char *buf, size_t len)
{
	static const char suffixes[] = "KMGT";
	double unit = 1;
	size_t s = 0;

	while (s < sizeof(suffixes) - 1 && bytes >= unit * 1024) {
		unit *= 1024;
		s++;
	}
	if (s == 0)
		snprintf(buf, len, "%g", bytes);
	else
		snprintf(buf, len, "%g%c", bytes / unit, suffixes[s - 1]);
}

/* The labels are made here from numbers: nothing of the run's files is in
 * the text gnuplot evaluates. */
void plot_size_tics(FILE *vars, const char *var, double low, double high)
{
	bool first = true;

	fprintf(vars, "%s = '(", var);
	for (double x = 1024; x <= high * 1.01; x *= 4) {
		char label[32];

		if (x < low / 1.01)
			continue;
		plot_size_label(x, label, sizeof(label));
		fprintf(vars, "%s\"%s\" %.0f", first ? "" : ", ", label, x);
		first = false;
	}
	fputs(")'\n", vars);
}
