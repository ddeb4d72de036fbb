#include <config.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "json_read.h"
#include "path.h"
#include "plot_data.h"
#include "plot_fleet.h"
#include "plot_io.h"
#include "plot_sweep.h"
#include "plot_timeshare.h"
#include "run_meta.h"
#include "units.h"
#include "xalloc.h"

/* The latency staircase: the main sweep, the detected levels as shaded
 * spans, hwloc's sizes as markers. */
static int prepare_latency(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "latency.csv", err), *lv = NULL;
	int size, ns, p5, p95, order, pages, rc = -1;
	double lo = INFINITY, hi = 0, ymin = INFINITY, ymax = 0, prev_end;
	FILE *data = NULL, *levels = NULL;
	char *sweep = NULL;

	if (!f || (size = plot_need_number(f, "size_bytes", err)) < 0 || (ns = plot_need_number(f, "latency_ns", err)) < 0 ||
	    (p5 = plot_need_number(f, "latency_ns_p5", err)) < 0 || (p95 = plot_need_number(f, "latency_ns_p95", err)) < 0 ||
	    (order = plot_need(f, "order", err)) < 0 || (pages = plot_need(f, "pages", err)) < 0)
		goto out;
	if (!(data = plot_open_data(in, "latency.dat", err)))
		goto out;
	/* The main sweep is the first row's order and page size. */
	for (size_t r = 0; r < csv_rows(f); r++) {
		double x = csv_number(f, r, (size_t)size), y = csv_number(f, r, (size_t)ns);

		if (strcmp(csv_cell(f, r, (size_t)order), csv_cell(f, 0, (size_t)order)) ||
		    strcmp(csv_cell(f, r, (size_t)pages), csv_cell(f, 0, (size_t)pages)))
			continue;
		fprintf(data, "%.0f %g %g %g\n", x, y, csv_number(f, r, (size_t)p5), csv_number(f, r, (size_t)p95));
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		ymin = y < ymin ? y : ymin;
		ymax = y > ymax ? y : ymax;
	}
	sweep = xasprintf("%s order, %s pages", csv_cell(f, 0, (size_t)order), csv_cell(f, 0, (size_t)pages));
	plot_set_string(in->vars, "sweep", sweep);
	fprintf(in->vars, "xmin = %g\nxmax = %g\nymin = %g\nymax = %g\n", lo / 1.2, hi * 1.2, ymin / 1.6,
		ymax * 2.5);
	plot_size_tics(in->vars, "xtics_spec", lo, hi);

	/* Detected levels: from the previous level's end to this one's. */
	if (!(levels = plot_open_named_data(in, "levels", "levels.dat", err)))
		goto out;
	if (plot_load_optional(in, "levels.csv", &lv, err) < 0)
		goto out;
	prev_end = lo;
	fprintf(in->vars, "nlevels = %zu\n", lv ? csv_rows(lv) : 0);
	if (!lv || csv_rows(lv) == 0)
		fprintf(levels, "%g %g \"\" %d %g\n", lo / 100, lo / 50, 0x4477aa, ymax);
	for (size_t r = 0; lv && r < csv_rows(lv); r++) {
		int level = plot_need(lv, "level", err), lat = plot_need_number(lv, "latency_ns", err);
		int ends = plot_need_number(lv, "ends_bytes", err);
		double end;
		char *label;

		if (level < 0 || lat < 0 || ends < 0)
			goto out;
		end = csv_number(lv, r, (size_t)ends);
		if (isnan(end))
			end = hi;
		/* Neighbouring levels in two alternating colours, their labels at
		 * two heights so that narrow ones do not overlap. */
		label = xasprintf("%s%s %.3g ns", strcmp(csv_cell(lv, r, (size_t)level), "memory") ? "L" : "",
				  csv_cell(lv, r, (size_t)level), csv_number(lv, r, (size_t)lat));
		fprintf(levels, "%g %g ", prev_end, end);
		plot_put_datum(levels, label);
		fprintf(levels, " %d %g\n", r % 2 ? 0xccbb44 : 0x4477aa, ymax * 2.5 / (r % 2 ? 2.0 : 1.4));
		free(label);
		prev_end = end;
	}

	if (plot_hwloc_caches(in, lo, hi, err) < 0)
		goto out;
	rc = 0;
out:
	if (data)
		fclose(data);
	if (levels)
		fclose(levels);
	free(sweep);
	csv_free(f);
	csv_free(lv);
	return rc;
}

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

/* One block per distinct (GROUP, SUBGROUP): X and Y of the rows in it. */
static int grouped_lines(const struct plot_input *in, const char *file, const char *group,
			 const char *subgroup, const char *subgroup_label, const char *x, const char *y,
			 double y_scale, const char *skip_subgroup, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, file, err);
	int g, s = -1, cx, cy, rc = -1;
	double lo = INFINITY, hi = 0;
	struct blocks b = { 0 };

	if (!f || (g = plot_need(f, group, err)) < 0 || (subgroup && (s = plot_need(f, subgroup, err)) < 0) ||
	    (cx = plot_need_number(f, x, err)) < 0 || (cy = plot_need_number(f, y, err)) < 0)
		goto out;
	if (!(b.fp = plot_open_data(in, "lines.dat", err)))
		goto out;
	for (size_t r = 0; r < csv_rows(f) && b.count < MAX_BLOCKS; r++) {
		if (plot_seen_before(f, r, g, s) ||
		    (skip_subgroup && s >= 0 && strcmp(csv_cell(f, r, (size_t)s), skip_subgroup) == 0))
			continue;
		block_begin(&b, s >= 0 ? xasprintf("%s, %s %s", csv_cell(f, r, (size_t)g), csv_cell(f, r, (size_t)s),
						   subgroup_label)
				       : xstrdup(csv_cell(f, r, (size_t)g)));
		for (size_t k = r; k < csv_rows(f); k++) {
			double vx = csv_number(f, k, (size_t)cx), vy = csv_number(f, k, (size_t)cy);

			if (strcmp(csv_cell(f, k, (size_t)g), csv_cell(f, r, (size_t)g)) ||
			    (s >= 0 && strcmp(csv_cell(f, k, (size_t)s), csv_cell(f, r, (size_t)s))))
				continue;
			fprintf(b.fp, "%g %g\n", vx, vy * y_scale);
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

static int prepare_bandwidth(const struct plot_input *in, struct ml_error *err)
{
	int rc = grouped_lines(in, "bandwidth.csv", "op", "threads", "thread(s)", "size_bytes",
			       "bandwidth_gbs", 1, NULL, err);
	struct csv_file *f;

	if (rc != 0)
		return rc;
	if (!(f = plot_load(in, "bandwidth.csv", err)))
		return -1;
	plot_size_tics(in->vars, "xtics_spec", csv_number(f, 0, (size_t)csv_column(f, "size_bytes")),
		  csv_number(f, csv_rows(f) - 1, (size_t)csv_column(f, "size_bytes")));
	csv_free(f);
	return 0;
}

static int prepare_falseshare(const struct plot_input *in, struct ml_error *err)
{
	/* One thread shares with nobody: its flat line is only clutter. */
	return grouped_lines(in, "falseshare.csv", "variant", "threads", "threads", "distance_bytes",
			     "slowdown", 1, "1", err);
}

static int prepare_contention(const struct plot_input *in, struct ml_error *err)
{
	return grouped_lines(in, "contention.csv", "variant", NULL, NULL, "threads", "ops_per_s", 1e-6,
			     NULL, err);
}

/* The PUs of the c2c matrix, in order of first appearance. */
static size_t c2c_pus(const struct csv_file *f, int ca, int cb, long *pus, size_t max)
{
	size_t n = 0;

	for (size_t r = 0; r < csv_rows(f); r++) {
		for (int side = 0; side < 2; side++) {
			long pu = atol(csv_cell(f, r, (size_t)(side ? cb : ca)));
			bool known = false;

			for (size_t i = 0; i < n; i++)
				known |= pus[i] == pu;
			if (!known && n < max)
				pus[n++] = pu;
		}
	}
	return n;
}

/* Every cell of the PU x PU grid (NaN where no pair was measured), the
 * store variant, so that gnuplot draws it as an image. */
static int prepare_c2c(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "c2c.csv", err);
	int ca, cb, cv, cn, rc = -1;
	long pus[256];
	double lo = INFINITY, hi = -INFINITY;
	size_t n;
	FILE *fp;

	if (!f || (ca = plot_need_number(f, "cpu_a", err)) < 0 || (cb = plot_need_number(f, "cpu_b", err)) < 0 ||
	    (cv = plot_need(f, "variant", err)) < 0 || (cn = plot_need_number(f, "latency_ns", err)) < 0)
		goto out;
	n = c2c_pus(f, ca, cb, pus, 256);
	if (n < 2) {
		rc = 1;
		goto out;
	}
	if (!(fp = plot_open_data(in, "c2c.dat", err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++) {
			double v = NAN;

			for (size_t r = 0; r < csv_rows(f); r++)
				if (atol(csv_cell(f, r, (size_t)ca)) == pus[i] &&
				    atol(csv_cell(f, r, (size_t)cb)) == pus[k] &&
				    strcmp(csv_cell(f, r, (size_t)cv), "store") == 0)
					v = csv_number(f, r, (size_t)cn);
			fprintf(fp, "%zu %zu %g\n", k, i, v);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		fputc('\n', fp);
	}
	fclose(fp);
	/* The colour scale spans the values, and a little more when they are
	 * all the same (gnuplot warns about an empty range). */
	if (!(hi > lo)) {
		lo = isinf(lo) ? 0 : lo - 1;
		hi = isinf(hi) ? 1 : hi + 1;
	}
	fprintf(in->vars, "cbmin = %g\ncbmax = %g\n", lo, hi);
	fprintf(in->vars, "npus = %zu\nlabels_on = %d\npu_tics = '(", n, n <= 16);
	for (size_t i = 0; i < n; i++)
		fprintf(in->vars, "%s\"%ld\" %zu", i ? ", " : "", pus[i], i);
	fputs(")'\n", in->vars);
	rc = 0;
out:
	csv_free(f);
	return rc;
}

/* The row of F for the first pair's STATE and OP, or -1. */
static long states_row(const struct csv_file *f, int ca, int cb, int cs, int co, const char *state,
		       const char *op)
{
	for (size_t r = 0; r < csv_rows(f); r++)
		if (strcmp(csv_cell(f, r, (size_t)ca), csv_cell(f, 0, (size_t)ca)) == 0 &&
		    strcmp(csv_cell(f, r, (size_t)cb), csv_cell(f, 0, (size_t)cb)) == 0 &&
		    strcmp(csv_cell(f, r, (size_t)cs), state) == 0 && strcmp(csv_cell(f, r, (size_t)co), op) == 0)
			return (long)r;
	return -1;
}

/* Operations down, states across (only the states measured), for the
 * first pair measured. */
static int prepare_states(const struct plot_input *in, struct ml_error *err)
{
	static const char *const states[] = { "M", "E", "S", "I" }, *const ops[] = { "load", "store", "cas", "faa", "swap" };
	struct csv_file *f = plot_load(in, "states.csv", err);
	int ca, cb, cs, co, cn, crel, rc = -1;
	bool measured[4] = { false };
	unsigned columns = 1;
	char *pair;
	FILE *fp;

	if (!f || (ca = plot_need_number(f, "cpu_a", err)) < 0 || (cb = plot_need_number(f, "cpu_b", err)) < 0 ||
	    (cs = plot_need(f, "state", err)) < 0 || (co = plot_need(f, "op", err)) < 0 ||
	    (cn = plot_need_number(f, "latency_ns", err)) < 0 || (crel = plot_need(f, "relation", err)) < 0)
		goto out;
	for (size_t s = 0; s < 4; s++)
		for (size_t o = 0; o < 5 && !measured[s]; o++)
			measured[s] = csv_rows(f) > 0 && states_row(f, ca, cb, cs, co, states[s], ops[o]) >= 0;
	/* No state of the four with an operation mesilab knows: nothing to
	 * draw (gnuplot would find no point). */
	if (!measured[0] && !measured[1] && !measured[2] && !measured[3]) {
		rc = 1;
		goto out;
	}
	if (!(fp = plot_open_data(in, "states.dat", err)))
		goto out;
	fputs("op", fp);
	for (size_t s = 0; s < 4; s++)
		if (measured[s]) {
			fprintf(fp, " %s", states[s]);
			columns++;
		}
	fputc('\n', fp);
	for (size_t o = 0; o < 5; o++) {
		fprintf(fp, "%s", ops[o]);
		for (size_t s = 0; s < 4; s++) {
			long r = measured[s] ? states_row(f, ca, cb, cs, co, states[s], ops[o]) : -1;

			if (measured[s])
				fprintf(fp, r < 0 ? " -" : " %g", r < 0 ? 0 : csv_number(f, (size_t)r, (size_t)cn));
		}
		fputc('\n', fp);
	}
	fclose(fp);
	pair = xasprintf("A = PU %s, B = PU %s (%s)", csv_cell(f, 0, (size_t)ca), csv_cell(f, 0, (size_t)cb),
			 csv_cell(f, 0, (size_t)crel));
	fprintf(in->vars, "ncolumns = %u\n", columns);
	plot_set_string(in->vars, "pair", pair);
	free(pair);
	rc = 0;
out:
	csv_free(f);
	return rc;
}

/* One workload of sim-workloads.csv: per protocol, transactions by type
 * and misses by cause. */
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
static int prepare_protocols(const struct plot_input *in, struct ml_error *err)
{
	return protocols_of(in, "sim-workloads.csv", in->suffix, in->suffix, err);
}

/* The trace a 'mesilab sim' run replayed, named by its file. */
static int prepare_sim_protocols(const struct plot_input *in, struct ml_error *err)
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

/* The simulated slowdown (cycles with counters 8 bytes apart over 64)
 * per protocol beside the native one for two threads. */
static int prepare_falseshare_sim(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *sim = plot_load(in, "sim-workloads.csv", err), *native = NULL;
	int cw, cp, cc, rc = -1;
	FILE *fp;

	if (!sim || (cw = plot_need(sim, "workload", err)) < 0 || (cp = plot_need(sim, "protocol", err)) < 0 ||
	    (cc = plot_need_number(sim, "cycles", err)) < 0)
		goto out;
	if (!(fp = plot_open_data(in, "falseshare-sim.dat", err)))
		goto out;
	if (plot_load_optional(in, "falseshare.csv", &native, err) < 0) {
		fclose(fp);
		goto out;
	}
	for (size_t r = 0; native && r < csv_rows(native); r++) {
		int v = csv_column(native, "variant"), t = csv_column(native, "threads");
		int d = csv_column(native, "distance_bytes"), s = csv_column(native, "slowdown");

		if (v >= 0 && t >= 0 && d >= 0 && s >= 0 && strcmp(csv_cell(native, r, (size_t)t), "2") == 0 &&
		    strcmp(csv_cell(native, r, (size_t)d), "8") == 0 &&
		    strcmp(csv_cell(native, r, (size_t)v), "readmostly") != 0) {
			char *label = xasprintf("native %s", csv_cell(native, r, (size_t)v));

			plot_put_datum(fp, label);
			fprintf(fp, " %g 1\n", csv_number(native, r, (size_t)s));
			free(label);
		}
	}
	for (size_t r = 0; r < csv_rows(sim); r++) {
		if (strcmp(csv_cell(sim, r, (size_t)cw), "falseshare-8") != 0)
			continue;
		for (size_t k = 0; k < csv_rows(sim); k++)
			if (strcmp(csv_cell(sim, k, (size_t)cw), "falseshare-64") == 0 &&
			    strcmp(csv_cell(sim, k, (size_t)cp), csv_cell(sim, r, (size_t)cp)) == 0) {
				plot_put_datum(fp, csv_cell(sim, r, (size_t)cp));
				fprintf(fp, " %g 2\n", csv_number(sim, r, (size_t)cc) / csv_number(sim, k, (size_t)cc));
			}
	}
	fclose(fp);
	rc = 0;
out:
	csv_free(sim);
	csv_free(native);
	return rc;
}

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
static int prepare_topology(const struct plot_input *in, struct ml_error *err)
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

/* The pyramid, top first: one bar per level on a log latency axis. */
static int prepare_pyramid(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "pyramid.csv", err);
	FILE *fp = NULL;
	int rc = -1;

	if (!f || plot_need(f, "level", err) < 0 || plot_need_number(f, "latency_ns", err) < 0 ||
	    plot_need_number(f, "capacity_bytes", err) < 0 || plot_need_number(f, "bandwidth_mbs", err) < 0 ||
	    !(fp = plot_open_data(in, "pyramid.dat", err)))
		goto out;
	for (size_t r = 0; r < csv_rows(f); r++) {
		double bytes = csv_number_named(f, r, "capacity_bytes"), mbs = csv_number_named(f, r, "bandwidth_mbs");
		double ns = csv_number_named(f, r, "latency_ns");
		char size[32] = "capacity unknown", bw[48] = "", latency[32], *label;

		if (isfinite(bytes))
			units_format_size((uint64_t)bytes, size, sizeof(size));
		if (isfinite(mbs))
			snprintf(bw, sizeof(bw), ", %.3g GB/s", mbs / 1000);
		snprintf(latency, sizeof(latency), ns < 1e3 ? "%.3g ns" : ns < 1e6 ? "%.3g us" : "%.3g ms",
			 ns < 1e3 ? ns : ns < 1e6 ? ns / 1e3 : ns / 1e6);
		label = xasprintf("%s, %s%s", latency, size, bw);
		fprintf(fp, "%zu ", r);
		plot_put_datum(fp, csv_cell_named(f, r, "level"));
		fprintf(fp, " %g ", ns);
		plot_put_datum(fp, label);
		fputc('\n', fp);
		free(label);
	}
	fprintf(in->vars, "nlevels = %zu\n", csv_rows(f));
	rc = 0;
out:
	if (fp)
		fclose(fp);
	csv_free(f);
	return rc;
}

const struct figure figures[] = {
	{ "topology", "topology.gp", "topology.csv",
	  "The machine's caches as hwloc reports them: each box one cache instance over the PUs that share it.",
	  prepare_topology, NULL },
	{ "latency", "latency.gp", "latency.csv",
	  "Load-to-use latency against working-set size, with the levels mesilab detected (shaded) and the cache sizes hwloc reports (dashed).",
	  prepare_latency, NULL },
	{ "bandwidth", "bandwidth.gp", "bandwidth.csv",
	  "Bandwidth against working-set size, per operation, with one thread and with all.",
	  prepare_bandwidth, NULL },
	{ "c2c", "c2c.gp", "c2c.csv",
	  "One-way core-to-core latency of a line handed back and forth (store variant), for each pair of PUs.",
	  prepare_c2c, NULL },
	{ "states", "states.gp", "states.csv",
	  "The cost of each operation on a line another core left Modified, Exclusive, Shared or Invalid.",
	  prepare_states, NULL },
	{ "falseshare", "falseshare.gp", "falseshare.csv",
	  "False sharing: slowdown of per-thread counters against padded ones, by the distance between counters.",
	  prepare_falseshare, NULL },
	{ "contention", "contention.gp", "contention.csv",
	  "Many threads on one line: total operations per second as threads are added.",
	  prepare_contention, NULL },
	{ "falseshare-sim", "falseshare-sim.gp", "sim-workloads.csv",
	  "False sharing measured and simulated: the native slowdown with two threads beside each protocol's simulated one, counters 8 against 64 bytes apart.",
	  prepare_falseshare_sim, NULL },
	{ "protocols", "protocols.gp", "sim-workloads.csv",
	  "The protocols side by side on one workload: bus transactions by type and misses by cause.",
	  prepare_protocols, plot_workloads },
	{ "protocols", "protocols.gp", "sim-summary.csv",
	  "The protocols side by side on the simulated trace: bus transactions by type and misses by cause.",
	  prepare_sim_protocols, NULL },
	{ "pyramid", "pyramid.gp", "pyramid.csv",
	  "From registers to disk: every level measured on this machine, its latency (log scale), capacity and bandwidth.",
	  prepare_pyramid, NULL },
	{ "timeshare", "timeshare.gp", "timeshare-refill.csv",
	  "Timesharing one PU: the time a task needs to get its working set back into the caches after another task had its turn, per line of its set, against the other's working set.",
	  plot_prepare_timeshare, NULL },
	{ "sweep", "sweep.gp", "sweep.csv",
	  "A sweep: misses (by cause, when classified) and bus transactions by type against the swept setting, one line per protocol.",
	  plot_prepare_sweep, plot_sweep_groups },
	{ "fleet-latency", "fleet-latency.gp", "fleet.csv",
	  "A fleet group's latency staircases, one line per machine.",
	  plot_prepare_fleet, plot_fleet_groups },
};

const size_t nfigures = sizeof(figures) / sizeof(figures[0]);

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

void plot_free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}
