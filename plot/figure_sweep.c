/* Figure "sweep": its row is in figures.c, its template is
 * scripts/gnuplot/sweep.gp. A sweep's misses (by cause, when classified)
 * and bus transactions by type against the swept setting, one line per
 * protocol; one figure per trace and combination of the other settings
 * swept. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt.h"
#include "figure.h"
#include "plot.h"
#include "plot_io.h"
#include "units.h"
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
	/* Quadratic at worst: rows left at 0 when asked to stop. */
	for (size_t r = 0; r < csv_rows(f) && !interrupt_requested(); r++) {
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

/* The values along x of one figure, in the order they are drawn. */
struct sweep_axis {
	const char **values; /* the cells of the x column, each once */
	double *x;           /* where each is drawn: its size, or its index */
	size_t n;
	bool sizes;          /* cache sizes on a log2 axis, else one value a step */
	size_t *of_row;      /* each row's value (its index), SIZE_MAX when not drawn */
};

/* The size of a cache setting ("32K:8:64"), or 0 when it is none. */
static double cache_size(const char *spec)
{
	char head[32];
	uint64_t size;
	size_t len = strcspn(spec, ":");

	if (len == 0 || len >= sizeof(head))
		return 0;
	memcpy(head, spec, len);
	head[len] = '\0';
	return units_parse_size(head, &size) == 0 ? (double)size : 0;
}

static bool is_cache_setting(const char *name)
{
	static const char *const caches[] = { "l1", "l1i", "l2", "llc" };

	for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++)
		if (strcmp(name, caches[i]) == 0)
			return true;
	return false;
}

/* The group's values along x: cache sizes, when every value is one and no
 * two are alike, drawn at their size, smallest first; else each value
 * one step apart in the sweep's order. */
static void sweep_axis(const struct csv_file *f, const struct sweep_columns *c, const size_t *group,
		       size_t wanted, struct sweep_axis *a)
{
	a->values = xcalloc(csv_rows(f) + 1, sizeof(*a->values));
	a->x = xcalloc(csv_rows(f) + 1, sizeof(*a->x));
	a->n = 0;
	for (size_t r = 0; r < csv_rows(f); r++) {
		const char *v = csv_cell(f, r, (size_t)c->x);
		bool known = group[r] != wanted;

		for (size_t i = 0; i < a->n && !known; i++)
			known = strcmp(a->values[i], v) == 0;
		if (!known)
			a->values[a->n++] = v;
	}
	a->sizes = is_cache_setting(csv_header(f, (size_t)c->x));
	for (size_t i = 0; i < a->n; i++) {
		a->x[i] = cache_size(a->values[i]);
		a->sizes &= a->x[i] > 0;
		for (size_t k = 0; k < i && a->sizes; k++)
			a->sizes = a->x[k] != a->x[i];
	}
	/* Smallest first, so that each line runs left to right (insertion:
	 * a sweep has a few values). */
	for (size_t i = 1; a->sizes && i < a->n; i++)
		for (size_t k = i; k > 0 && a->x[k - 1] > a->x[k]; k--) {
			double x = a->x[k];
			const char *v = a->values[k];

			a->x[k] = a->x[k - 1];
			a->values[k] = a->values[k - 1];
			a->x[k - 1] = x;
			a->values[k - 1] = v;
		}
	for (size_t i = 0; !a->sizes && i < a->n; i++)
		a->x[i] = (double)i;
	a->of_row = xcalloc(csv_rows(f) + 1, sizeof(*a->of_row));
	for (size_t r = 0; r < csv_rows(f); r++) {
		a->of_row[r] = SIZE_MAX;
		for (size_t i = 0; group[r] == wanted && i < a->n && a->of_row[r] == SIZE_MAX; i++)
			if (strcmp(csv_cell(f, r, (size_t)c->x), a->values[i]) == 0)
				a->of_row[r] = i;
	}
}

/* The tics: one per value, labelled by its size ("4K", "1M") or by
 * itself; by the exact byte count where two sizes would read alike. */
static void put_axis(FILE *vars, const struct csv_file *f, const struct sweep_columns *c,
		     const struct sweep_axis *a)
{
	char **labels = xcalloc(a->n + 1, sizeof(*labels));
	bool exact = false, rotate = false;
	char *xlabel;

	for (size_t i = 0; i < a->n; i++) {
		char label[32];

		if (!a->sizes) {
			labels[i] = xstrdup(a->values[i]);
			/* Slanted where labels side by side could meet. */
			rotate |= strlen(labels[i]) > 5;
			continue;
		}
		plot_size_label(a->x[i], label, sizeof(label));
		labels[i] = xstrdup(label);
		for (size_t k = 0; k < i; k++)
			exact |= strcmp(labels[k], labels[i]) == 0;
	}
	for (size_t i = 0; i < a->n && exact; i++) {
		free(labels[i]);
		labels[i] = xasprintf("%.0f", a->x[i]);
	}
	fprintf(vars, "nx = %zu\nlogx = %d\nxrotate = %d\narray xvalues[%zu] = [", a->n, a->sizes, rotate, a->n);
	for (size_t i = 0; i < a->n; i++)
		fprintf(vars, "%s%.17g", i ? ", " : "", a->x[i]);
	fputs("]\n", vars);
	plot_set_strings(vars, "xlabels", labels, a->n);
	fprintf(vars, "xmin = %.17g\nxmax = %.17g\n", a->sizes ? a->x[0] / 1.3 : -0.5,
		a->sizes ? a->x[a->n - 1] * 1.3 : (double)a->n - 0.5);
	xlabel = a->sizes ? xasprintf("%s size (bytes, log scale)", csv_header(f, (size_t)c->x))
			  : xstrdup(csv_header(f, (size_t)c->x));
	plot_set_string(vars, "xname", xlabel);
	free(xlabel);
	plot_free_list(labels);
}

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

/* COUNT per 1,000 of the row's accesses (hits and misses); NaN when the
 * count is empty (misses not classified) or there was no access. */
static double per_1000(const struct csv_file *f, size_t r, double count)
{
	double accesses = csv_number_named(f, r, "hits") + csv_number_named(f, r, "misses");

	return accesses > 0 ? count * 1000 / accesses : NAN;
}

/* One line of the data: x, then per 1,000 accesses misses, coherence
 * misses (true and false sharing), capacity and conflict misses, copies
 * invalidated by other cores' transactions; then the bytes put on the
 * bus per access (a BusUpgr carries no line, a BusUpd 4 bytes: a count of
 * transactions would hide the difference between protocols). */
static void put_row(FILE *fp, const struct csv_file *f, size_t r, double x)
{
	double coherence = csv_number_named(f, r, "misses_true_sharing") + csv_number_named(f, r, "misses_false_sharing");
	double size = csv_number_named(f, r, "misses_capacity") + csv_number_named(f, r, "misses_conflict");

	fprintf(fp, "%.17g %g %g %g %g %g\n", x, per_1000(f, r, csv_number_named(f, r, "misses")),
		per_1000(f, r, coherence), per_1000(f, r, size),
		per_1000(f, r, csv_number_named(f, r, "invalidations_received")),
		per_1000(f, r, csv_number_named(f, r, "bus_bytes")) / 1000);
}

/* The columns the figure reads. */
static const char *const figures_columns[] = { "hits", "misses", "misses_capacity", "misses_conflict",
					       "misses_true_sharing", "misses_false_sharing", "invalidations_received",
					       "bus_bytes" };
#define NFIGURE_COLUMNS (sizeof(figures_columns) / sizeof(figures_columns[0]))

int plot_prepare_sweep(const struct plot_input *in, struct ml_error *err)
{
	struct sweep_columns c;
	struct csv_file *f = load_sweep(in->run, &c, err);
	size_t ngroups = 0, *group = NULL, wanted = strtoul(in->suffix, NULL, 10), first = SIZE_MAX;
	struct sweep_axis axis = { NULL, NULL, 0, false, NULL };
	char **protocols = NULL;
	size_t nprotocols = 0, *row_at = NULL;
	bool causes = false;
	int rc = -1;
	FILE *fp = NULL;

	if (!f)
		goto out;
	for (size_t i = 0; i < NFIGURE_COLUMNS; i++)
		if (plot_need_number(f, figures_columns[i], err) < 0)
			goto out;
	group = group_of_rows(f, &c, &ngroups);
	if (interrupt_check(err))
		goto out;
	sweep_axis(f, &c, group, wanted, &axis);
	if (!(fp = plot_open_data(in, "sweep.dat", err)))
		goto out;
	protocols = xcalloc(csv_rows(f) + 1, sizeof(*protocols));
	row_at = xcalloc(axis.n + 1, sizeof(*row_at));
	/* A block per protocol, a line per value along x: the first row of
	 * the protocol with that value. */
	for (size_t p = 0; p < csv_rows(f); p++) {
		const char *protocol = csv_cell(f, p, (size_t)c.protocol);
		bool seen = false;

		if (interrupt_check(err))
			goto out;
		for (size_t i = 0; i < nprotocols && !seen; i++)
			seen = strcmp(protocols[i], protocol) == 0;
		if (axis.of_row[p] == SIZE_MAX || seen)
			continue;
		protocols[nprotocols++] = xstrdup(protocol);
		for (size_t i = 0; i < axis.n; i++)
			row_at[i] = SIZE_MAX;
		for (size_t r = csv_rows(f); r-- > p;)
			if (axis.of_row[r] != SIZE_MAX && strcmp(csv_cell(f, r, (size_t)c.protocol), protocol) == 0)
				row_at[axis.of_row[r]] = r;
		for (size_t i = 0; i < axis.n; i++) {
			if (row_at[i] == SIZE_MAX)
				continue;
			first = first < row_at[i] ? first : row_at[i];
			causes |= *csv_cell_named(f, row_at[i], "misses_true_sharing") != '\0';
			put_row(fp, f, row_at[i], axis.x[i]);
		}
		fputs("\n\n", fp);
	}
	if (first == SIZE_MAX) {
		ml_error_set(err, "sweep.csv: no figure %s", in->suffix);
		goto out;
	}
	fprintf(in->vars, "nprotocols = %zu\ncauses = %d\n", nprotocols, causes);
	plot_set_strings(in->vars, "protocols", protocols, nprotocols);
	put_axis(in->vars, f, &c, &axis);
	put_title(in->vars, f, &c, first);
	rc = 0;
out:
	if (fp)
		fclose(fp);
	plot_free_list(protocols);
	free(row_at);
	free(axis.values);
	free(axis.x);
	free(axis.of_row);
	free(group);
	csv_free(f);
	return rc;
}
