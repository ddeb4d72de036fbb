#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "plot_io.h"
#include "plot_sweep.h"
#include "xalloc.h"

/* sweep.csv's settings lie between these columns. */
#define FIRST_SETTING "cores"
#define AFTER_SETTINGS "protocols"

/* Which setting is drawn along x: among those swept, the one with the
 * most values; on a tie the first of these (the classic figure is
 * against cache size), then the file's order. */
static const char *const x_preference[] = { "l1", "l2", "llc", "l1i", "cores" };

struct sweep_columns {
	int first, end;   /* the settings: [first, end) */
	int trace, protocol, x;
};

static size_t distinct(const struct csv_file *f, int c)
{
	size_t n = 0;

	for (size_t r = 0; r < csv_rows(f); r++)
		n += !plot_seen_before(f, r, c, -1);
	return n;
}

static int preference(const char *name)
{
	for (size_t i = 0; i < sizeof(x_preference) / sizeof(x_preference[0]); i++)
		if (strcmp(name, x_preference[i]) == 0)
			return (int)i;
	return (int)(sizeof(x_preference) / sizeof(x_preference[0]));
}

static int find_columns(const struct csv_file *f, struct sweep_columns *c, struct ml_error *err)
{
	size_t best = 1;

	if ((c->first = plot_need(f, FIRST_SETTING, err)) < 0 || (c->end = plot_need(f, AFTER_SETTINGS, err)) < 0 ||
	    (c->trace = plot_need(f, "trace", err)) < 0 || (c->protocol = plot_need(f, "protocol", err)) < 0)
		return -1;
	c->x = c->first;
	for (int k = c->first; k < c->end; k++) {
		size_t n = distinct(f, k);

		if (n > best || (n == best && n > 1 && preference(csv_header(f, (size_t)k)) <
							   preference(csv_header(f, (size_t)c->x)))) {
			best = n;
			c->x = k;
		}
	}
	return 0;
}

/* Whether rows A and B belong to one figure: the same trace and the same
 * values of every setting but the one along x. */
static bool same_group(const struct csv_file *f, const struct sweep_columns *c, size_t a, size_t b)
{
	if (strcmp(csv_cell(f, a, (size_t)c->trace), csv_cell(f, b, (size_t)c->trace)) != 0)
		return false;
	for (int k = c->first; k < c->end; k++)
		if (k != c->x && strcmp(csv_cell(f, a, (size_t)k), csv_cell(f, b, (size_t)k)) != 0)
			return false;
	return true;
}

/* Each row's figure, numbered from 1 in the order of first appearance. */
static size_t *group_of_rows(const struct csv_file *f, const struct sweep_columns *c, size_t *ngroups)
{
	size_t *group = xcalloc(csv_rows(f) + 1, sizeof(*group));

	*ngroups = 0;
	for (size_t r = 0; r < csv_rows(f); r++) {
		group[r] = 0;
		for (size_t q = 0; q < r && !group[r]; q++)
			if (same_group(f, c, q, r))
				group[r] = group[q];
		if (!group[r])
			group[r] = ++*ngroups;
	}
	return group;
}

static struct csv_file *load_sweep(const char *run, struct sweep_columns *c, struct ml_error *err)
{
	char *path = xasprintf("%s/sweep.csv", run);
	struct csv_file *f = csv_read(path, run, err);

	free(path);
	if (f && find_columns(f, c, err) < 0) {
		csv_free(f);
		f = NULL;
	}
	return f;
}

char **plot_sweep_groups(const char *run)
{
	struct sweep_columns c;
	struct ml_error err;
	struct csv_file *f = load_sweep(run, &c, &err);
	size_t ngroups, *group;
	char **list;

	if (!f)
		return NULL;
	group = group_of_rows(f, &c, &ngroups);
	list = xcalloc(ngroups + 1, sizeof(*list));
	for (size_t g = 0; g < ngroups; g++)
		list[g] = xasprintf("%zu", g + 1);
	free(group);
	csv_free(f);
	return list;
}

/* What each line of the data holds after x's index and label. */
static const char *const figures_columns[] = { "misses", "misses_cold", "misses_capacity", "misses_conflict",
					       "misses_true_sharing", "misses_false_sharing", "bus_rd", "bus_rdx",
					       "bus_upgr", "bus_upd" };
#define NFIGURE_COLUMNS (sizeof(figures_columns) / sizeof(figures_columns[0]))

/* The group's title: its trace and the settings it holds, where they vary. */
static void put_title(FILE *vars, const struct csv_file *f, const struct sweep_columns *c, size_t row)
{
	const char *trace = csv_cell(f, row, (size_t)c->trace);
	char *title = xstrdup(strrchr(trace, '/') ? strrchr(trace, '/') + 1 : trace), *longer;

	for (int k = c->first; k < c->end; k++) {
		if (k == c->x || distinct(f, k) < 2)
			continue;
		longer = xasprintf("%s, %s %s", title, csv_header(f, (size_t)k), csv_cell(f, row, (size_t)k));
		free(title);
		title = longer;
	}
	longer = xasprintf("%s (simulated)", title);
	plot_set_string(vars, "title", longer);
	free(longer);
	free(title);
}

int plot_prepare_sweep(const struct plot_input *in, struct ml_error *err)
{
	struct sweep_columns c;
	struct csv_file *f = load_sweep(in->run, &c, err);
	size_t ngroups = 0, *group = NULL, wanted = strtoul(in->suffix, NULL, 10), first = SIZE_MAX;
	char **protocols = NULL;
	size_t nprotocols = 0;
	bool causes = false;
	int rc = -1;
	FILE *fp = NULL;

	if (!f)
		goto out;
	for (size_t i = 0; i < NFIGURE_COLUMNS; i++)
		if (plot_need(f, figures_columns[i], err) < 0)
			goto out;
	group = group_of_rows(f, &c, &ngroups);
	if (!(fp = plot_open_data(in, "sweep.dat", err)))
		goto out;
	protocols = xcalloc(csv_rows(f) + 1, sizeof(*protocols));
	/* A block per protocol, a line per value along x, in the sweep's order. */
	for (size_t p = 0; p < csv_rows(f); p++) {
		size_t x = 0;

		bool seen = false;

		for (size_t q = 0; q < p && !seen; q++)
			seen = group[q] == wanted && !strcmp(csv_cell(f, q, (size_t)c.protocol), csv_cell(f, p, (size_t)c.protocol));
		if (group[p] != wanted || seen)
			continue;
		protocols[nprotocols++] = xstrdup(csv_cell(f, p, (size_t)c.protocol));
		for (size_t r = 0; r < csv_rows(f); r++) {
			if (group[r] != wanted || strcmp(csv_cell(f, r, (size_t)c.protocol), csv_cell(f, p, (size_t)c.protocol)))
				continue;
			first = first < r ? first : r;
			fprintf(fp, "%zu ", x++);
			escape_gnuplot_datum(fp, csv_cell(f, r, (size_t)c.x));
			/* Numbers, written here (NaN where empty): a cell is never
			 * copied into the data. */
			for (size_t i = 0; i < NFIGURE_COLUMNS; i++) {
				fprintf(fp, " %g", csv_number_named(f, r, figures_columns[i]));
				causes |= i >= 1 && i <= 5 && *csv_cell_named(f, r, figures_columns[i]);
			}
			fputc('\n', fp);
		}
		fputs("\n\n", fp);
	}
	if (first == SIZE_MAX) {
		ml_error_set(err, "sweep.csv: no figure %s", in->suffix);
		goto out;
	}
	fprintf(in->vars, "nprotocols = %zu\ncauses = %d\n", nprotocols, causes);
	plot_set_strings(in->vars, "protocols", protocols, nprotocols);
	plot_set_string(in->vars, "xname", csv_header(f, (size_t)c.x));
	put_title(in->vars, f, &c, first);
	rc = 0;
out:
	if (fp)
		fclose(fp);
	plot_free_list(protocols);
	free(group);
	csv_free(f);
	return rc;
}
