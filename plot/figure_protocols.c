/* Figure "protocols": its row is in figures.c, its template is
 * scripts/gnuplot/protocols.gp. Two rows of the table: the suite's, once per
 * workload of sim-workloads.csv, and a 'mesilab sim' run's, once. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "json_read.h"
#include "path.h"
#include "plot.h"
#include "plot_io.h"
#include "run_meta.h"
#include "xalloc.h"

/* The protocols of FILE's rows, all of them (a sim run: one trace) or
 * those of the workload WORKLOAD (the suite's sim-workloads.csv), named
 * NAME in the figure. */
static int protocols_of(const struct plot_input *in, const char *file, const char *workload, const char *name,
			struct ml_error *err)
{
	static const char *const bus[] = { "bus_rd", "bus_rdx", "bus_upgr", "bus_upd" };
	static const char *const causes[] = { "misses_cold", "misses_capacity", "misses_conflict",
					      "misses_true_sharing", "misses_false_sharing" };
	struct csv_file *f = plot_load(in, file, err);
	int cw = -1, cp, rc = -1;
	FILE *fp;

	if (!f || (workload && (cw = plot_need(f, "workload", err)) < 0) || (cp = plot_need(f, "protocol", err)) < 0)
		goto out;
	for (size_t i = 0; i < 4; i++)
		if (plot_need_number(f, bus[i], err) < 0)
			goto out;
	for (size_t i = 0; i < 5; i++)
		if (plot_need_number(f, causes[i], err) < 0)
			goto out;
	if (!(fp = plot_open_data(in, "protocols.dat", err)))
		goto out;
	fputs("protocol BusRd BusRdX BusUpgr BusUpd cold capacity conflict true-sharing false-sharing\n", fp);
	for (size_t r = 0; r < csv_rows(f); r++) {
		if (workload && strcmp(csv_cell(f, r, (size_t)cw), workload) != 0)
			continue;
		plot_put_datum(fp, csv_cell(f, r, (size_t)cp));
		/* Numbers, written here: a cell is never copied into the data. */
		for (size_t i = 0; i < 4; i++)
			fprintf(fp, " %g", csv_number_named(f, r, bus[i]));
		for (size_t i = 0; i < 5; i++)
			fprintf(fp, " %g", csv_number_named(f, r, causes[i]));
		fputc('\n', fp);
	}
	fclose(fp);
	plot_set_string(in->vars, "workload", name);
	rc = 0;
out:
	csv_free(f);
	return rc;
}

/* One workload of the suite's simulation stage. */
int plot_prepare_protocols(const struct plot_input *in, struct ml_error *err)
{
	return protocols_of(in, "sim-workloads.csv", in->suffix, in->suffix, err);
}

/* The trace a 'mesilab sim' run replayed, named by its file. */
int plot_prepare_sim_protocols(const struct plot_input *in, struct ml_error *err)
{
	char *meta_path = xasprintf("%s/meta.json", in->run);
	struct json_value *meta = json_parse_file(meta_path, in->run, err);
	const char *trace = meta ? run_meta_setting(meta, "sim.trace") : NULL;
	const char *base = trace && strrchr(trace, '/') ? strrchr(trace, '/') + 1 : trace;
	int rc = meta || !path_exists(meta_path) ? protocols_of(in, "sim-summary.csv", NULL, base ? base : "the trace", err)
						  : -1;

	json_value_free(meta);
	free(meta_path);
	return rc;
}

char **plot_workloads(const char *run)
{
	char *path = xasprintf("%s/sim-workloads.csv", run);
	struct ml_error err;
	struct csv_file *f;
	char **list = NULL;
	int cw;
	size_t n = 0;

	csv_read_optional(path, run, &f, &err);
	free(path);
	if (!f || (cw = csv_column(f, "workload")) < 0) {
		csv_free(f);
		return NULL;
	}
	list = xcalloc(csv_rows(f) + 1, sizeof(*list));
	for (size_t r = 0; r < csv_rows(f); r++)
		if (!plot_seen_before(f, r, cw, -1))
			list[n++] = xstrdup(csv_cell(f, r, (size_t)cw));
	csv_free(f);
	return list;
}
