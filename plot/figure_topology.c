/* Figure "topology": its row is in figures.c, its template is
 * scripts/gnuplot/topology.gp. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "plot_io.h"
#include "xalloc.h"

/* The PUs of a list such as "0-3,8-11" into SET (a flag per OS index,
 * below MAX); returns how many. */
static size_t parse_pus(const char *list, bool *set, size_t max)
{
	size_t n = 0;

	while (*list) {
		char *end;
		unsigned long first = strtoul(list, &end, 10), last = first;

		if (end == list)
			break;
		if (*end == '-')
			last = strtoul(end + 1, &end, 10);
		for (unsigned long pu = first; pu <= last && pu < max; pu++)
			n += !set[pu], set[pu] = true;
		list = *end == ',' ? end + 1 : end;
		if (end[0] != ',' && end[0] != '\0')
			break;
	}
	return n;
}

#define MAX_PUS 4096

/* One box per contiguous run of the instance's PUs in the drawing's order. */
static void topology_boxes(FILE *fp, const bool *set, const unsigned *column, size_t npus,
			   double y, const char *label, const char *colour)
{
	long start = -1;

	for (size_t x = 0; x <= npus; x++) {
		bool in = false;

		for (size_t pu = 0; x < npus && pu < MAX_PUS && !in; pu++)
			in = set[pu] && column[pu] == x;
		if (in && start < 0)
			start = (long)x;
		if (!in && start >= 0) {
			/* A label only where it fits: about 7 pixels a character
			 * across the 880 the figure gives the PUs. */
			bool fits = strlen(label) * 7.0 <= ((double)x - (double)start) * 880.0 / (double)npus;

			fprintf(fp, "%g %g %g %g ", (double)start - 0.45, (double)x - 0.55, y - 0.4, y + 0.4);
			plot_put_datum(fp, fits ? label : "");
			fprintf(fp, " %s\n", colour);
			start = -1;
		}
	}
}

/* The machine drawn from topology.csv: PUs along the bottom, each cache
 * level a row of boxes over the PUs that share an instance, the PUs in the
 * order of the first level's instances so that every instance is one box. */
int plot_prepare_topology(const struct plot_input *in, struct ml_error *err)
{
	static const char *const colours[] = { "0xbbccee", "0xcceeff", "0xccddaa", "0xeeeebb", "0xffcccc" };
	struct csv_file *f = plot_load(in, "topology.csv", err);
	unsigned *column = xcalloc(MAX_PUS, sizeof(*column));
	bool *placed = xcalloc(MAX_PUS, sizeof(*placed)), *set = xcalloc(MAX_PUS, sizeof(*set));
	int cc, cl, ct, cs, cp, rc = -1;
	size_t npus = 0;
	long top = 0;
	char *names[8] = { NULL }; /* what each level is, for the axis */
	int widest = 1;
	FILE *fp = NULL;

	if (!f || (cc = plot_need(f, "cache", err)) < 0 || (cl = plot_need_number(f, "level", err)) < 0 ||
	    (ct = plot_need(f, "type", err)) < 0 || (cs = plot_need_number(f, "size_bytes", err)) < 0 ||
	    (cp = plot_need(f, "pus", err)) < 0)
		goto out;
	/* Columns: the PUs of each first-level data cache in turn. */
	for (size_t r = 0; r < csv_rows(f); r++) {
		if (atol(csv_cell(f, r, (size_t)cl)) != 1 || strcmp(csv_cell(f, r, (size_t)ct), "instruction") == 0)
			continue;
		memset(set, 0, MAX_PUS * sizeof(*set));
		parse_pus(csv_cell(f, r, (size_t)cp), set, MAX_PUS);
		for (size_t pu = 0; pu < MAX_PUS; pu++)
			if (set[pu] && !placed[pu]) {
				placed[pu] = true;
				column[pu] = (unsigned)npus++;
			}
	}
	if (npus == 0) {
		rc = 1;
		goto out;
	}
	if (!(fp = plot_open_data(in, "topology.dat", err)))
		goto out;
	/* Every PU numbered, or none: the widest number must fit. */
	for (size_t pu = 0; pu < MAX_PUS; pu++)
		if (placed[pu])
			widest = snprintf(NULL, 0, "%zu", pu);
	for (size_t pu = 0; pu < MAX_PUS; pu++) {
		char label[16];

		if (!placed[pu])
			continue;
		memset(set, 0, MAX_PUS * sizeof(*set));
		set[pu] = true;
		snprintf(label, sizeof(label), "%zu", pu);
		topology_boxes(fp, set, column, npus, 0, widest * 7.0 <= 880.0 / (double)npus ? label : "",
			       "0xdddddd");
	}
	for (size_t r = 0; r < csv_rows(f); r++) {
		long level = atol(csv_cell(f, r, (size_t)cl));
		double size = csv_number(f, r, (size_t)cs);
		char *label;

		if (strcmp(csv_cell(f, r, (size_t)ct), "instruction") == 0)
			continue;
		memset(set, 0, MAX_PUS * sizeof(*set));
		parse_pus(csv_cell(f, r, (size_t)cp), set, MAX_PUS);
		label = xasprintf("%s %g %s", csv_cell(f, r, (size_t)cc),
				  size >= 1 << 20 ? size / (1 << 20) : size / 1024, size >= 1 << 20 ? "MiB" : "KiB");
		topology_boxes(fp, set, column, npus, (double)level, label, colours[level % 5]);
		top = level > top ? level : top;
		if (level >= 1 && level <= 8 && !names[level - 1])
			names[level - 1] = xstrdup(label);
		free(label);
	}
	top = top > 8 ? 8 : top;
	fprintf(in->vars, "npus = %zu\nlevels = %ld\n", npus, top);
	for (long l = 0; l < top; l++)
		if (!names[l])
			names[l] = xstrdup("");
	plot_set_strings(in->vars, "level_names", names, (size_t)top);
	rc = 0;
out:
	for (size_t l = 0; l < 8; l++)
		free(names[l]);
	if (fp)
		fclose(fp);
	free(column);
	free(placed);
	free(set);
	csv_free(f);
	return rc;
}
