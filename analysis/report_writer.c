#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "json_read.h"
#include "model_error.h"
#include "path.h"
#include "plot.h"
#include "report_doc.h"
#include "report_explain.h"
#include "report_writer.h"
#include "run_end.h"
#include "self_check.h"
#include "xalloc.h"

struct report {
	const char *run;
	const char *status; /* the run's end as the run itself says, or NULL */
	struct doc *doc;
	struct json_value *meta;
	struct ml_error *err;
	int failed;
	struct model_error model; /* its table's names live until the pages are written */
};

static bool exists(const char *run, const char *name)
{
	char *path = xasprintf("%s/%s", run, name);
	bool found = path_exists(path);

	free(path);
	return found;
}

/* A result file of the run, or NULL when the run has none; a file that is
 * there but malformed fails the report. */
static struct csv_file *result(struct report *r, const char *name)
{
	char *path = xasprintf("%s/%s", r->run, name);
	struct csv_file *f;

	if (csv_read_optional(path, r->run, &f, r->err) < 0)
		r->failed = 1;
	free(path);
	return f;
}

/* The figure with its caption from the table of figures, if drawn. */
static void figure(struct report *r, const char *name, const char *suffix)
{
	char *base = plot_figure_name(name, suffix), *file = xasprintf("figures/%s.png", base);
	/* The figure drawn once per instance when there is a suffix. */
	const char *caption = plot_figure_caption(name, suffix != NULL);

	if (caption && exists(r->run, file))
		doc_figure(r->doc, file, caption);
	free(base);
	free(file);
}

/* A table of some columns of F (CSV name, title), every row. */
static void columns_table(struct report *r, const struct csv_file *f, const char *const *names,
			  const char *const *titles, size_t n)
{
	struct table_column *cols = xcalloc(n, sizeof(*cols));
	struct table *t;

	/* Numbers to the right, words to the left, by the first row. */
	for (size_t c = 0; c < n; c++)
		cols[c] = (struct table_column){ names[c], titles[c],
						 csv_rows(f) && !isnan(csv_number_named(f, 0, names[c])) ? TABLE_RIGHT : TABLE_LEFT };
	t = table_new(cols, n);
	for (size_t row = 0; row < csv_rows(f); row++) {
		table_add_row(t);
		for (size_t c = 0; c < n; c++)
			table_set(t, c, csv_cell_named(f, row, names[c]), NULL);
	}
	doc_table(r->doc, t);
	free(cols);
}

/* What a virtual machine hides: its caches are what the hypervisor
 * describes (the levels the curve shows say what it gives), and the time
 * it gave to other guests during each stage. */
/* The text at PATH of V for a sentence: "unknown" where meta.json (which
 * may come from anyone) lacks it or holds no string there. */
static const char *said(const struct json_value *v, const char *path)
{
	const char *s = json_lookup_string(v, path);

	return s ? s : "unknown";
}

static void virtual_machine_items(struct report *r)
{
	const struct json_value *vm = json_lookup(r->meta, "host.virtualization.virtual_machine");
	const struct json_value *steal = json_lookup(r->meta, "steal");
	const char *hypervisor = json_lookup_string(r->meta, "host.virtualization.hypervisor");
	char stages[256] = "";
	double most = 0, seconds = 0;

	if (!vm || vm->type != JSON_BOOL)
		return;
	if (!vm->boolean) {
		doc_item(r->doc, "Bare metal: no witness of a hypervisor (%s)",
			 said(r->meta, "host.virtualization.evidence"));
		return;
	}
	doc_item(r->doc, "A virtual machine (%s; %s): its caches are what the hypervisor describes, and its vCPUs may share them with other guests or be moved; the levels below say where the latency curve disagrees",
		 hypervisor && *hypervisor ? hypervisor : "hypervisor not named",
		 said(r->meta, "host.virtualization.evidence"));
	for (size_t i = 0; steal && steal->type == JSON_ARRAY && i < steal->count; i++) {
		const struct json_value *share = json_lookup(steal->items[i], "share");
		const struct json_value *s = json_lookup(steal->items[i], "seconds");

		if (!share || share->type != JSON_NUMBER)
			continue;
		most = fmax(most, share->number);
		seconds += s && s->type == JSON_NUMBER ? s->number : 0;
		if (share->number >= 0.01) /* 1% of the CPU time: enough to disturb a measurement's repetitions */
			snprintf(stages + strlen(stages), sizeof(stages) - strlen(stages), "%s%s (%.0f%%)",
				 stages[0] ? ", " : "", said(steal->items[i], "stage"), 100 * share->number);
	}
	if (stages[0])
		doc_item(r->doc, "The hypervisor gave %.1f s of CPU time to others during the run; the stages it took 1%% or more from are less reliable: %s",
			 seconds, stages);
	else if (steal && steal->type == JSON_ARRAY && steal->count)
		doc_item(r->doc, "The hypervisor took %.1f s of CPU time during the run, at most %.2f%% of a stage's: not enough to matter",
			 seconds, 100 * most);
}

static void machine_section(struct report *r)
{
	const struct json_value *m = r->meta;
	const struct json_value *pus = json_lookup(m, "topology.pus"), *cores = json_lookup(m, "topology.cores");
	const struct json_value *packages = json_lookup(m, "topology.packages");
	const struct json_value *numa = json_lookup(m, "topology.numa_nodes");
	const struct json_value *ghz = json_lookup(m, "clock.core_ghz"), *pause = json_lookup(m, "clock.pause_ns");
	const struct json_value *settings = json_lookup(m, "settings");
	const struct json_value *unavailable = json_lookup(m, "unavailable");
	const char *cpu = json_lookup_string(m, "topology.cpu_model");
	const char *status = r->status ? r->status : json_lookup_string(m, "status");
	char ended[512];
	bool complete = run_end_complete_as(m, status, ended, sizeof(ended));

	doc_heading(r->doc, "Machine and run");
	if (!complete)
		doc_paragraph(r->doc, "This run did not complete: %s.", ended);
	figure(r, "topology", NULL);
	doc_item(r->doc, "CPU: %s; %.0f package(s), %.0f NUMA node(s), %.0f cores, %.0f PUs",
		 cpu ? cpu : "unknown", packages ? packages->number : NAN, numa ? numa->number : NAN,
		 cores ? cores->number : NAN, pus ? pus->number : NAN);
	doc_item(r->doc, "Core clock: %.2f GHz (estimated from a dependent add chain)", ghz ? ghz->number : NAN);
	if (pause && pause->type == JSON_NUMBER)
		doc_item(r->doc, "A spin-wait hint (pause) takes %.1f ns here: a benchmark that pauses while it waits measures it too", pause->number);
	doc_item(r->doc, "Host: %s, kernel %s, %s", said(m, "host.hostname"),
		 said(m, "host.kernel"), said(m, "host.machine"));
	virtual_machine_items(r);
	doc_item(r->doc, "mesilab %s (revision %s), built with %s", said(m, "mesilab_version"),
		 said(m, "git_revision"), said(m, "build.compiler"));
	/* Said either way, so that a reader need not infer a whole run from
	 * the absence of a warning. */
	doc_item(r->doc, "Command: %s; started %s; %s", said(m, "command_line"),
		 said(m, "start_time"), complete ? "completed" : "did not complete (see above)");
	for (size_t i = 0; settings && settings->type == JSON_ARRAY && i < settings->count; i++) {
		const char *name = json_lookup_string(settings->items[i], "name");

		if (name && strcmp(name, "profile") == 0)
			doc_item(r->doc, "Profile: %s", said(settings->items[i], "value"));
	}
	if (!unavailable || unavailable->type != JSON_ARRAY || unavailable->count == 0) {
		doc_paragraph(r->doc, "Everything the run set out to measure was measured.");
		return;
	}
	doc_paragraph(r->doc, "What could not be measured or drawn, and why:");
	for (size_t i = 0; i < unavailable->count; i++)
		doc_item(r->doc, "%s: %s", said(unavailable->items[i], "what"),
			 said(unavailable->items[i], "why"));
}

/* The self-checks, made again on what the run directory holds now (a
 * result edited since the run is audited as it stands), disagreements
 * first. */
static void checks_section(struct report *r)
{
	size_t max = self_checks_count(), disagree = 0;
	struct self_check *checks = xcalloc(max, sizeof(*checks));
	int n = self_checks_run(r->run, checks, max, r->err);

	if (n < 0) {
		r->failed = 1;
		free(checks);
		return;
	}
	doc_heading(r->doc, "Self-checks");
	doc_paragraph(r->doc, "Figures that two benchmarks measure, or that one bounds for another, checked against each other:");
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < n; i++) {
			static const enum self_check_verdict order[3] = { CHECK_DISAGREES, CHECK_AGREES, CHECK_NOT_CHECKED };
			static const char *const said[3] = { "agrees", "DISAGREES", "not checked" };

			if (checks[i].verdict != order[pass])
				continue;
			disagree += checks[i].verdict == CHECK_DISAGREES;
			doc_item(r->doc, "%s %s: %s", checks[i].name, said[checks[i].verdict], checks[i].detail);
		}
	if (!disagree)
		doc_paragraph(r->doc, "No two figures of this run contradict each other.");
	free(checks);
}

/* Every level of the machine from the registers to the device. */
static void pyramid_section(struct report *r)
{
	static const char *const names[] = { "level", "latency_ns", "capacity_bytes", "bandwidth_mbs", "source" };
	static const char *const titles[] = { "level", "latency (ns)", "capacity (bytes)", "bandwidth (MB/s)", "measured as" };
	struct csv_file *p = result(r, "pyramid.csv");

	if (!p)
		return;
	doc_heading(r->doc, "From registers to disk");
	doc_paragraph(r->doc, "The storage pyramid of this machine, each level measured: a dependent operation on a register "
			      "(a cycle of the core clock), a load within each cache level and from memory, a read of the page "
			      "cache (DRAM caching the file system) and a read of the device past it. Each level down is larger "
			      "and slower; the page cache is why most file reads never reach the device.");
	columns_table(r, p, names, titles, sizeof(names) / sizeof(names[0]));
	figure(r, "pyramid", NULL);
	csv_free(p);
}

/* The switch row of TASKS and HANDOFF, or -1. */
static long switch_row(const struct csv_file *f, const char *tasks, const char *handoff)
{
	for (size_t row = 0; row < csv_rows(f); row++)
		if (strcmp(csv_cell_named(f, row, "tasks"), tasks) == 0 &&
		    strcmp(csv_cell_named(f, row, "handoff"), handoff) == 0)
			return (long)row;
	return -1;
}

/* The refill of the smallest own set with no competitor and with the
 * largest: what a switch alone costs it, and what a switch costs at worst. */
static void refill_summary(struct report *r, const struct csv_file *f)
{
	double own = INFINITY, most = -1, alone = NAN, worst = NAN;

	for (size_t row = 0; row < csv_rows(f); row++) {
		double o = csv_number_named(f, row, "own_bytes");

		own = o < own ? o : own;
	}
	for (size_t row = 0; row < csv_rows(f); row++) {
		double c = csv_number_named(f, row, "competitor_bytes");

		if (csv_number_named(f, row, "own_bytes") != own)
			continue;
		if (c == 0)
			alone = csv_number_named(f, row, "refill_ns_per_line");
		if (c > most) {
			most = c;
			worst = csv_number_named(f, row, "refill_ns_per_line");
		}
	}
	if (isnan(alone) || isnan(worst) || most <= 0)
		return;
	doc_paragraph(r->doc,
		      "The timed task (a %s) with a working set of %.0f KiB needs %.2f ns per line more to be chased after a switch with no other "
		      "work (the switch's own footprint), and %.2f ns per line after the other task read %.0f MiB: its lines "
		      "came back from further down the hierarchy.",
		      csv_cell_named(f, 0, "tasks"), own / 1024, alone, worst, most / (1 << 20));
}

/* Timesharing one PU: the switch and what it costs the caches. */
static void timeshare_section(struct report *r)
{
	static const char *const names[] = { "tasks", "handoff", "switch_ns", "switch_ns_p5", "switch_ns_p95", "pass_ns",
					     "overhead_ns" };
	static const char *const titles[] = { "tasks", "hand-off", "switch (ns)", "p5", "p95", "pass (ns)",
					      "hand-off calls (ns)" };
	struct csv_file *sw = result(r, "timeshare.csv"), *refill;
	long process = -1, thread = -1;

	if (!sw)
		return;
	refill = result(r, "timeshare-refill.csv");
	doc_heading(r->doc, "Timesharing");
	doc_paragraph(r->doc, "Two tasks taking turns on one PU, each blocking until the other hands the turn back. The "
			      "direct cost of a switch is a pass there and back less the hand-off's system calls made "
			      "without a switch, halved (as lmbench's lat_ctx reckons it). The indirect cost is the time "
			      "the first task needs to get its working set back into the caches after the other task's turn.");
	columns_table(r, sw, names, titles, sizeof(names) / sizeof(names[0]));
	process = switch_row(sw, "process", "pipe");
	thread = switch_row(sw, "thread", "futex");
	if (process >= 0 && thread >= 0)
		doc_paragraph(r->doc,
			      "A switch between processes (pipe) took %s ns, between threads of one process (futex) %s ns: "
			      "the difference is the address space's switch and the heavier hand-off.",
			      csv_cell_named(sw, (size_t)process, "switch_ns"), csv_cell_named(sw, (size_t)thread, "switch_ns"));
	if (refill) {
		refill_summary(r, refill);
		figure(r, "timeshare", NULL);
	}
	csv_free(sw);
	csv_free(refill);
}

static void hierarchy_section(struct report *r)
{
	struct csv_file *levels = result(r, "levels.csv"), *bw = result(r, "bandwidth.csv");
	static const char *const level_cols[] = { "level", "latency_ns", "latency_cycles", "ends_bytes",
						  "hwloc_cache", "hwloc_size_bytes", "agrees" };
	static const char *const level_titles[] = { "level", "latency (ns)", "cycles", "ends at (bytes)",
						    "hwloc's cache", "hwloc's size (bytes)", "agrees" };

	if (!levels && !bw && !exists(r->run, "latency.csv"))
		return;
	doc_heading(r->doc, "Memory hierarchy");
	figure(r, "latency", NULL);
	if (levels) {
		size_t disagree = 0;

		doc_paragraph(r->doc, "The levels mesilab detected in the latency curve, beside the caches hwloc reports:");
		columns_table(r, levels, level_cols, level_titles, 7);
		for (size_t i = 0; i < csv_rows(levels); i++) {
			if (strcmp(csv_cell_named(levels, i, "agrees"), "beyond-sweep") == 0)
				doc_item(r->doc, "hwloc's %s (%s bytes) lies beyond the largest working set measured: its edge could not be seen (a longer sweep: --max).",
					 csv_cell_named(levels, i, "hwloc_cache"), csv_cell_named(levels, i, "hwloc_size_bytes"));
			else if (strcmp(csv_cell_named(levels, i, "agrees"), "page-colouring") == 0)
				doc_item(r->doc, "Level %s ends near %s bytes, short of hwloc's %s (%s bytes): with 4 KiB pages a physically indexed cache's sets fill unevenly (page colouring) and it misses before it is full; with huge pages (--pages thp) the sweep sees its whole size.",
					 csv_cell_named(levels, i, "level"), csv_cell_named(levels, i, "ends_bytes"),
					 csv_cell_named(levels, i, "hwloc_cache"), csv_cell_named(levels, i, "hwloc_size_bytes"));
			else if (strcmp(csv_cell_named(levels, i, "agrees"), "no") == 0 && strcmp(csv_cell_named(levels, i, "level"), "-") == 0) {
				doc_item(r->doc, "hwloc's %s (%s bytes) shows no level of its own in the curve: the machine behaves otherwise than it reports.",
					 csv_cell_named(levels, i, "hwloc_cache"), csv_cell_named(levels, i, "hwloc_size_bytes"));
				disagree++;
			} else if (strcmp(csv_cell_named(levels, i, "agrees"), "no") == 0) {
				doc_item(r->doc, "Level %s ends near %s bytes, but hwloc says %s holds %s bytes: the machine behaves otherwise than it reports (a cache shared with other tenants, or one the hypervisor describes but does not give).",
					 csv_cell_named(levels, i, "level"), csv_cell_named(levels, i, "ends_bytes"),
					 csv_cell_named(levels, i, "hwloc_cache"), csv_cell_named(levels, i, "hwloc_size_bytes"));
				disagree++;
			}
		}
		if (!disagree)
			doc_paragraph(r->doc, "Every detected level agrees with hwloc's size within the detector's tolerance.");
	}
	figure(r, "bandwidth", NULL);
	csv_free(levels);
	csv_free(bw);
}

static void coherence_section(struct report *r)
{
	struct csv_file *c2c = result(r, "c2c.csv"), *states = result(r, "states.csv");
	struct csv_file *fs = result(r, "falseshare.csv"), *ct = result(r, "contention.csv");
	static const char *const c2c_cols[] = { "cpu_a", "cpu_b", "relation", "variant", "latency_ns", "latency_ns_p5", "latency_ns_p95", "unstable" };
	static const char *const c2c_titles[] = { "from", "to", "relation", "variant", "one-way ns", "p5", "p95", "unstable" };
	static const char *const st_cols[] = { "state", "op", "latency_ns", "latency_cycles", "latency_ns_p5", "latency_ns_p95", "accesses" };
	static const char *const st_titles[] = { "state", "operation", "ns/op", "cycles", "p5", "p95", "accesses" };
	static const char *const ct_cols[] = { "variant", "threads", "ns_per_op", "ops_per_s" };
	static const char *const ct_titles[] = { "variant", "threads", "ns per op per thread", "ops/s, all threads" };

	if (c2c) {
		doc_heading(r->doc, "Core-to-core transfers");
		figure(r, "c2c", NULL);
		if (csv_rows(c2c) <= 32)
			columns_table(r, c2c, c2c_cols, c2c_titles, 8);
	}
	if (states) {
		doc_heading(r->doc, "Coherence-state costs");
		figure(r, "states", NULL);
		columns_table(r, states, st_cols, st_titles, 7);
	}
	if (fs) {
		doc_heading(r->doc, "False sharing");
		figure(r, "falseshare", NULL);
		for (size_t i = 0; i < csv_rows(fs); i++)
			if (strcmp(csv_cell_named(fs, i, "threads"), "2") == 0 && strcmp(csv_cell_named(fs, i, "distance_bytes"), "8") == 0)
				doc_item(r->doc, "%s increments, two threads, counters 8 bytes apart: %.3g ns each, %.2fx the time with counters a line apart.",
					 csv_cell_named(fs, i, "variant"), csv_number_named(fs, i, "ns_per_op"), csv_number_named(fs, i, "slowdown"));
	}
	if (ct) {
		doc_heading(r->doc, "Contention");
		figure(r, "contention", NULL);
		columns_table(r, ct, ct_cols, ct_titles, 4);
	}
	csv_free(c2c);
	csv_free(states);
	csv_free(fs);
	csv_free(ct);
}

/* A protocol's row of the workload in sim-workloads.csv, or -1. */
static long protocol_row(const struct csv_file *f, const char *workload, const char *protocol)
{
	for (size_t i = 0; i < csv_rows(f); i++)
		if (strcmp(csv_cell_named(f, i, "workload"), workload) == 0 && strcmp(csv_cell_named(f, i, "protocol"), protocol) == 0)
			return (long)i;
	return -1;
}

static double transactions(const struct csv_file *f, long row)
{
	return csv_number_named(f, (size_t)row, "bus_rd") + csv_number_named(f, (size_t)row, "bus_rdx") +
	       csv_number_named(f, (size_t)row, "bus_upgr") + csv_number_named(f, (size_t)row, "bus_upd");
}

/* MESI against MSI on one workload, in plain words, with the reason the
 * counts give. */
static void explain_mesi(struct report *r, const struct csv_file *f, const char *workload)
{
	long msi = protocol_row(f, workload, "msi"), mesi = protocol_row(f, workload, "mesi");
	double t_msi, t_mesi, saved, writes_msi, writes_mesi;

	if (msi < 0 || mesi < 0)
		return;
	t_msi = transactions(f, msi);
	t_mesi = transactions(f, mesi);
	saved = t_msi > 0 ? (t_msi - t_mesi) / t_msi * 100 : 0;
	writes_msi = csv_number_named(f, (size_t)msi, "bus_rdx") + csv_number_named(f, (size_t)msi, "bus_upgr");
	writes_mesi = csv_number_named(f, (size_t)mesi, "bus_rdx") + csv_number_named(f, (size_t)mesi, "bus_upgr");
	if (t_msi == t_mesi)
		doc_item(r->doc, "%s: MESI and MSI issued the same %.0f bus transactions: every write found its line shared or absent, so the Exclusive state never spared one.",
			 workload, t_msi);
	else if (writes_mesi < writes_msi)
		doc_item(r->doc, "%s: MESI saved %.1f%% of MSI's bus transactions (%.0f against %.0f) because a line one core read alone was Exclusive, and %.0f writes to such lines needed no bus transaction, where MSI had to ask for ownership.",
			 workload, saved, t_mesi, t_msi, writes_msi - writes_mesi);
	else
		doc_item(r->doc, "%s: MESI issued %.1f%% %s bus transactions than MSI (%.0f against %.0f).", workload,
			 fabs(saved), saved > 0 ? "fewer" : "more", t_mesi, t_msi);
}

/* The other protocols against MESI: what each of their ideas changed. */
static void explain_others(struct report *r, const struct csv_file *f, const char *workload)
{
	long mesi = protocol_row(f, workload, "mesi"), moesi = protocol_row(f, workload, "moesi");
	long dragon = protocol_row(f, workload, "dragon");

	if (mesi >= 0 && moesi >= 0) {
		double wb = csv_number_named(f, (size_t)mesi, "writebacks") - csv_number_named(f, (size_t)moesi, "writebacks");

		if (wb > 0)
			doc_item(r->doc, "%s: MOESI wrote back %.0f fewer lines than MESI: a dirty line another core read stayed Owned and was supplied cache to cache instead of going to memory.",
				 workload, wb);
	}
	if (mesi >= 0 && dragon >= 0) {
		double misses = csv_number_named(f, (size_t)mesi, "misses") - csv_number_named(f, (size_t)dragon, "misses");

		if (csv_number_named(f, (size_t)dragon, "updates") > 0)
			doc_item(r->doc, "%s: Dragon sent %.0f updates instead of invalidations and had %.0f %s misses than MESI (%.0f against %.0f bus transactions).",
				 workload, csv_number_named(f, (size_t)dragon, "updates"), fabs(misses),
				 misses >= 0 ? "fewer" : "more", transactions(f, dragon), transactions(f, mesi));
	}
}

static void protocols_section(struct report *r)
{
	struct csv_file *f = result(r, "sim-workloads.csv");
	char **workloads = f ? plot_workloads(r->run) : NULL;
	static const char *const cols[] = { "workload", "protocol", "bus_rd", "bus_rdx", "bus_upgr", "bus_upd",
					    "misses", "c2c_transfers", "memory_reads", "writebacks", "cycles" };
	static const char *const titles[] = { "workload", "protocol", "BusRd", "BusRdX", "BusUpgr", "BusUpd",
					      "misses", "cache-to-cache", "from memory", "writebacks", "cycles" };

	if (!f)
		return;
	doc_heading(r->doc, "Protocols compared (simulated)");
	doc_paragraph(r->doc, "The coherence kernels above, traced from the same source as the native runs, replayed over per-core private caches (32 KiB, 8-way, 64-byte lines) on a snooping bus under each protocol.");
	for (size_t w = 0; workloads && workloads[w]; w++) {
		explain_mesi(r, f, workloads[w]);
		explain_others(r, f, workloads[w]);
	}
	figure(r, "falseshare-sim", NULL);
	for (size_t w = 0; workloads && workloads[w]; w++)
		figure(r, "protocols", workloads[w]);
	columns_table(r, f, cols, titles, 11);
	plot_free_list(workloads);
	csv_free(f);
}

/* The rows of KIND of the model's table: figure, measured, each protocol,
 * the error of the protocol judged, the target and whether it was met. */
static void model_table(struct report *r, const struct table *m, const char *kind)
{
	size_t nprotocols = table_columns(m) - ME_NFIXED, n = 0;
	struct table_column *cols = xcalloc(nprotocols + 7, sizeof(*cols));
	struct table *t;

	cols[n++] = (struct table_column){ "figure", "figure", TABLE_LEFT };
	cols[n++] = (struct table_column){ "unit", "unit", TABLE_LEFT };
	cols[n++] = (struct table_column){ "measured", "measured", TABLE_RIGHT };
	for (size_t p = 0; p < nprotocols; p++)
		cols[n++] = *table_column(m, ME_NFIXED + p);
	cols[n++] = (struct table_column){ "error_pct", "error %", TABLE_RIGHT };
	cols[n++] = (struct table_column){ "target_pct", "target %", TABLE_RIGHT };
	cols[n++] = (struct table_column){ "met", "met", TABLE_LEFT };
	t = table_new(cols, n);
	for (size_t row = 0; row < table_rows(m); row++) {
		size_t c = 0;

		if (strcmp(table_get(m, row, ME_KIND), kind) != 0)
			continue;
		table_add_row(t);
		table_set(t, c++, table_get(m, row, ME_FIGURE), NULL);
		table_set(t, c++, table_get(m, row, ME_UNIT), NULL);
		table_set(t, c++, table_get(m, row, ME_MEASURED), NULL);
		for (size_t p = 0; p < nprotocols; p++)
			table_set(t, c++, table_get(m, row, ME_NFIXED + p), NULL);
		table_set(t, c++, table_get(m, row, ME_ERROR), NULL);
		table_set(t, c++, table_get(m, row, ME_TARGET), NULL);
		table_set(t, c++, table_get(m, row, ME_MET), NULL);
	}
	doc_table(r->doc, t);
	free(cols);
	for (size_t row = 0; row < table_rows(m); row++) {
		const char *met = table_get(m, row, ME_MET);

		if (strcmp(table_get(m, row, ME_KIND), kind) != 0 || strcmp(met, "yes") == 0)
			continue;
		if (strcmp(met, "no") == 0)
			doc_item(r->doc, "%s: target of %s%% missed, the model off by %s%%: %s.", table_get(m, row, ME_FIGURE),
				 table_get(m, row, ME_TARGET), table_get(m, row, ME_ERROR), table_get(m, row, ME_WHY));
		else
			doc_item(r->doc, "%s: not judged: %s.", table_get(m, row, ME_FIGURE), table_get(m, row, ME_WHY));
	}
}

/* Each native figure with a simulated twin, measured beside simulated;
 * the table is saved as model-error.csv with the pages. */
static void model_section(struct report *r)
{
	const struct table *m;
	size_t rows[2] = { 0, 0 };

	if (r->failed || model_error_build(r->run, &r->model, r->err) < 0) {
		r->failed = 1;
		return;
	}
	if (!(m = r->model.table) || !table_rows(m))
		return;
	for (size_t row = 0; row < table_rows(m); row++)
		rows[strcmp(table_get(m, row, ME_KIND), "calibrated") != 0]++;
	doc_heading(r->doc, "The model against the machine");
	doc_paragraph(r->doc, "The suite's workloads simulated on this host's model (sim-machine.csv) beside what the benchmarks measured, under every protocol. The error is the simulated figure's, in percent of the measured one, under %s, the protocol closest to this machine (%s). model-error.csv holds the table.",
		      table_get(m, 0, ME_PROTOCOL), r->model.protocol_why);
	if (rows[0]) {
		doc_paragraph(r->doc, "Calibrated: the model was built from these figures (the levels, c2c's hand-over, states' loads and upgrade), so their error checks its construction; the target is within 10%%.");
		model_table(r, m, "calibrated");
	}
	if (rows[1]) {
		doc_paragraph(r->doc, "Predicted: the model never saw these (false sharing, locks); their error tests it. The target is within 25%%.");
		model_table(r, m, "predicted");
	}
}

static void counters_section(struct report *r)
{
	struct csv_file *f = result(r, "counters.csv");
	static const char *const cols[] = { "benchmark", "event", "value" };
	static const char *const titles[] = { "benchmark", "event", "count" };

	if (!f)
		return;
	doc_heading(r->doc, "Hardware counters");
	columns_table(r, f, cols, titles, 3);
	csv_free(f);
}

/* STATUS: see struct report. */
static int write_report(const char *run, const char *status, struct ml_error *err)
{
	char *meta_path = xasprintf("%s/meta.json", run), *md, *html, *title;
	struct report r = { run, status, NULL, json_parse_file(meta_path, run, err), err, 0, { 0 } };
	int rc = -1;

	free(meta_path);
	if (!r.meta)
		return -1;
	title = xasprintf("mesilab report: %s, %s", said(r.meta, "host.hostname"),
			  said(r.meta, "start_time"));
	r.doc = doc_new(title);
	free(title);
	machine_section(&r);
	checks_section(&r);
	hierarchy_section(&r);
	pyramid_section(&r);
	timeshare_section(&r);
	coherence_section(&r);
	protocols_section(&r);
	model_section(&r);
	counters_section(&r);
	if (report_explain(r.doc, run, err) < 0)
		r.failed = 1;
	if (exists(run, "figures/lstopo.png"))
		doc_figure(r.doc, "figures/lstopo.png", "The machine as lstopo draws it.");
	md = xasprintf("%s/report.md", run);
	html = xasprintf("%s/report.html", run);
	/* The table first: a report never shows a table its file lacks. */
	if (!r.failed && (!r.model.table || model_error_save(run, &r.model, err) == 0) &&
	    doc_write(r.doc, run, md, html, err) == 0)
		rc = 0;
	free(md);
	free(html);
	doc_free(r.doc);
	model_error_free(&r.model);
	json_value_free(r.meta);
	return rc;
}

int report_write(const char *run, struct ml_error *err)
{
	return write_report(run, NULL, err);
}

int report_write_ending(const char *run, bool failed, struct ml_error *err)
{
	return write_report(run, failed ? "failed" : "complete", err);
}
