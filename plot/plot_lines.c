/* Lines grouped by a result file's columns (see plot_lines.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_io.h"
#include "plot_lines.h"
#include "xalloc.h"

/* Several lines in one file, one block each (gnuplot's index), with their
 * titles in the variable "titles" and their count in "nblocks". */
#define MAX_BLOCKS 64

struct blocks {
	FILE *fp;
	char *titles[MAX_BLOCKS];
	unsigned count;
};

/* A block titled TITLE (taken). */
static void block_begin(struct blocks *b, char *title)
{
	if (b->count)
		fputs("\n\n", b->fp);
	b->titles[b->count++] = title;
}

/* The titles as a gnuplot array, titles[1] for block 0. */
static void blocks_end(struct blocks *b, FILE *vars)
{
	fprintf(vars, "nblocks = %u\n", b->count);
	plot_set_strings(vars, "titles", b->titles, b->count);
	for (unsigned i = 0; i < b->count; i++)
		free(b->titles[i]);
	fclose(b->fp);
}

int plot_grouped_lines(const struct plot_input *in, const struct grouped_lines *lines, struct ml_error *err)
{
	const char *skip_subgroup = lines->skip_subgroup;
	struct csv_file *f = plot_load(in, lines->file, err);
	int g, s = -1, cx, cy, rc = -1;
	double lo = INFINITY, hi = 0;
	struct blocks b = { 0 };

	if (!f || (g = plot_need(f, lines->group, err)) < 0 ||
	    (lines->subgroup && (s = plot_need(f, lines->subgroup, err)) < 0) ||
	    (cx = plot_need_number(f, lines->x, err)) < 0 || (cy = plot_need_number(f, lines->y, err)) < 0)
		goto out;
	if (!(b.fp = plot_open_data(in, "lines.dat", err)))
		goto out;
	for (size_t r = 0; r < csv_rows(f) && b.count < MAX_BLOCKS; r++) {
		if (plot_seen_before(f, r, g, s) ||
		    (skip_subgroup && s >= 0 && strcmp(csv_cell(f, r, (size_t)s), skip_subgroup) == 0))
			continue;
		block_begin(&b, s >= 0 ? xasprintf("%s, %s %s", csv_cell(f, r, (size_t)g), csv_cell(f, r, (size_t)s),
						   lines->subgroup_label)
				       : xstrdup(csv_cell(f, r, (size_t)g)));
		for (size_t k = r; k < csv_rows(f); k++) {
			double vx = csv_number(f, k, (size_t)cx), vy = csv_number(f, k, (size_t)cy);

			if (strcmp(csv_cell(f, k, (size_t)g), csv_cell(f, r, (size_t)g)) ||
			    (s >= 0 && strcmp(csv_cell(f, k, (size_t)s), csv_cell(f, r, (size_t)s))))
				continue;
			fprintf(b.fp, "%g %g\n", vx, vy * lines->y_scale);
			lo = vx < lo ? vx : lo;
			hi = vx > hi ? vx : hi;
		}
	}
	blocks_end(&b, in->vars);
	fprintf(in->vars, "xmin = %g\nxmax = %g\n", lo, hi);
	rc = b.count ? 0 : 1;
out:
	csv_free(f);
	return rc;
}
