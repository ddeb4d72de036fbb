/* 'mesilab sim': replay a trace under one or more protocols, side by side. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "memory_avail.h"
#include "progress.h"
#include "replay.h"
#include "report.h"
#include "timer.h"
#include "trace_reader.h"
#include "units.h"

enum { OPT_PROTOCOL, OPT_CORES, OPT_L1, OPT_L1I, OPT_L2, OPT_LLC, OPT_NON_INCLUSIVE, OPT_REPLACEMENT,
       OPT_ORDER, OPT_STRADDLE, OPT_HIT, OPT_L2_HIT, OPT_LLC_HIT, OPT_MEMORY, OPT_C2C, OPT_BUS, OPT_LOG,
       OPT_CAUSES, OPT_NO_CAUSES, OPT_PRINT_TABLE, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_PROTOCOL] = { "protocol", 'p', "LIST", "msi, msi-upgr, mesi, moesi, mesif, dragon, comma-separated, or all (default)" },
	[OPT_CORES] = { "cores", 0, "N", "cores (default: the trace's threads; at most 64)" },
	[OPT_L1] = { "l1", 0, "SIZE:WAYS:LINE", "private L1 data cache (default 32K:8:64)" },
	[OPT_L1I] = { "l1i", 0, "SIZE:WAYS:LINE", "private L1 instruction cache (default none: fetches skipped)" },
	[OPT_L2] = { "l2", 0, "SIZE:WAYS:LINE", "private L2, holding the coherence state (default none)" },
	[OPT_LLC] = { "llc", 0, "SIZE:WAYS:LINE", "shared last level (default none)" },
	[OPT_NON_INCLUSIVE] = { "non-inclusive", 0, NULL, "the last level does not force its lines out of the private caches" },
	[OPT_REPLACEMENT] = { "replacement", 0, "POLICY", "lru (default), fifo, random or plru" },
	[OPT_ORDER] = { "order", 0, "MODE", "timed, synced or file (default: the trace's own: synced for a traced program, file for a reference, timed for streams)" },
	[OPT_STRADDLE] = { "straddle", 0, "RULE", "an access over two lines counts once (default) or split" },
	[OPT_HIT] = { "hit", 0, "CYCLES", "L1 hit latency (default 4)" },
	[OPT_L2_HIT] = { "l2-hit", 0, "CYCLES", "private L2 hit latency (default 14)" },
	[OPT_LLC_HIT] = { "llc-hit", 0, "CYCLES", "line from the last level (default 40)" },
	[OPT_MEMORY] = { "memory", 0, "CYCLES", "line from memory (default 200)" },
	[OPT_C2C] = { "c2c", 0, "CYCLES", "line from another cache (default 60)" },
	[OPT_BUS] = { "bus", 0, "CYCLES", "transaction without data: BusUpgr, BusUpd (default 10)" },
	[OPT_LOG] = { "log", 0, NULL, "print every access: time, core, op, address, transaction, source, states" },
	[OPT_CAUSES] = { "causes", 0, NULL, "classify misses by cause (the default for sim)" },
	[OPT_NO_CAUSES] = { "no-causes", 0, NULL, "do not classify misses by cause: about a third faster; the cause columns are left empty" },
	[OPT_PRINT_TABLE] = { "print-table", 0, "PROTOCOL", "print a protocol's table as Markdown and exit" },
};

static void geometry_option(const struct cli_args *args, size_t opt, struct cache_geometry *g)
{
	struct ml_error err;

	if (args->values[opt] && cache_geometry_parse(args->values[opt], g, &err) < 0)
		cli_usage_error(args, "--%s: %s", options[opt].name, err.msg);
}

static unsigned latency_option(const struct cli_args *args, size_t opt, unsigned fallback)
{
	return (unsigned)cli_uint_option(args, opt, 0, 1000000, fallback);
}

static void configure(const struct cli_args *args, struct sim_config *cfg)
{
	const char *repl = args->values[OPT_REPLACEMENT], *order = args->values[OPT_ORDER];
	const char *straddle = args->values[OPT_STRADDLE];
	struct ml_error err;

	sim_config_defaults(cfg);
	geometry_option(args, OPT_L1, &cfg->l1);
	geometry_option(args, OPT_L1I, &cfg->l1i);
	geometry_option(args, OPT_L2, &cfg->l2);
	geometry_option(args, OPT_LLC, &cfg->llc);
	cfg->llc_inclusive = !args->values[OPT_NON_INCLUSIVE];
	if (repl) {
		int found = -1;

		for (int p = 0; p < REPL_NPOLICIES; p++)
			if (strcmp(repl, replacement_names[p]) == 0)
				found = p;
		if (found < 0)
			cli_usage_error(args, "unknown --replacement '%s' (expected lru, fifo, random or plru)", repl);
		cfg->policy = (enum replacement)found;
	}
	if (sim_config_check(cfg, &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	/* Without --order, the trace's header decides (once it is open). */
	if (order && sim_order_parse(order, &cfg->order) < 0)
		cli_usage_error(args, "unknown --order '%s' (expected timed, synced or file)", order);
	if (straddle && strcmp(straddle, "once") && strcmp(straddle, "split"))
		cli_usage_error(args, "unknown --straddle '%s' (expected once or split)", straddle);
	cfg->split_straddles = straddle && strcmp(straddle, "split") == 0;
	cfg->latency.hit = latency_option(args, OPT_HIT, cfg->latency.hit);
	cfg->latency.l2 = latency_option(args, OPT_L2_HIT, cfg->latency.l2);
	cfg->latency.llc = latency_option(args, OPT_LLC_HIT, cfg->latency.llc);
	cfg->latency.memory = latency_option(args, OPT_MEMORY, cfg->latency.memory);
	cfg->latency.c2c = latency_option(args, OPT_C2C, cfg->latency.c2c);
	cfg->latency.bus = latency_option(args, OPT_BUS, cfg->latency.bus);
	if (args->seed_given)
		cfg->seed = args->seed;
	cfg->log = args->values[OPT_LOG] ? stdout : NULL;
	if (args->values[OPT_CAUSES] && args->values[OPT_NO_CAUSES])
		cli_usage_error(args, "--causes and --no-causes contradict each other");
	cfg->classify_causes = !args->values[OPT_NO_CAUSES];
}

static void describe_cache(char *buf, size_t len, const char *name, const struct cache_geometry *g)
{
	char size[32];

	if (!g->size) {
		snprintf(buf, len, "%s none", name);
		return;
	}
	units_format_size(g->size, size, sizeof(size));
	snprintf(buf, len, "%s %s %u-way %u B lines", name, size, g->ways, g->line);
}

/* The configuration, in words and as settings of the run; ORDER: the
 * order used and why, in words. */
static void describe(const struct sim_config *cfg, const char *order, struct rundir *r, FILE *fp)
{
	char l1[64], l1i[64], l2[64], llc[64], lat[160];

	describe_cache(l1, sizeof(l1), "L1", &cfg->l1);
	describe_cache(l1i, sizeof(l1i), "L1i", &cfg->l1i);
	describe_cache(l2, sizeof(l2), "L2", &cfg->l2);
	describe_cache(llc, sizeof(llc), "LLC", &cfg->llc);
	snprintf(lat, sizeof(lat), "hit %u, L2 hit %u, LLC %u, memory %u, cache-to-cache %u, bus-only %u cycles",
		 cfg->latency.hit, cfg->latency.l2, cfg->latency.llc, cfg->latency.memory, cfg->latency.c2c,
		 cfg->latency.bus);
	if (fp)
		fprintf(fp, "%u cores; %s; %s; %s; %s%s; %s replacement\norder: %s\nlatencies: %s\n\n",
			cfg->cores, l1, l1i, l2, llc,
			cfg->llc.size ? (cfg->llc_inclusive ? " (inclusive)" : " (non-inclusive)") : "",
			replacement_names[cfg->policy], order, lat);
	if (r) {
		rundir_set(r, "sim.l1", l1);
		rundir_set(r, "sim.l1i", l1i);
		rundir_set(r, "sim.l2", l2);
		rundir_set(r, "sim.llc", llc);
		rundir_set(r, "sim.llc_inclusive", cfg->llc_inclusive ? "yes" : "no");
		rundir_set(r, "sim.replacement", replacement_names[cfg->policy]);
		rundir_set(r, "sim.order", sim_order_names[cfg->order]);
		rundir_set(r, "sim.order_description", order);
		rundir_set(r, "sim.straddle", cfg->split_straddles ? "split" : "once");
		rundir_set(r, "sim.latencies", lat);
	}
}

static int write_results(const struct cli_args *args, struct sim *s, const struct sim_config *cfg,
			 const char *trace_name, const char *order)
{
	struct ml_error err;
	struct topo *host = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	struct rundir *r = cli_open_rundir(args, host, NULL);
	struct table *tables[3] = { sim_summary_table(s), sim_cores_table(s), sim_transitions_table(s) };
	static const char *const names[3] = { "sim-summary.csv", "sim-cores.csv", "sim-transitions.csv" };
	int rc = 0;

	rundir_set(r, "sim.trace", trace_name);
	describe(cfg, order, r, NULL);
	for (int i = 0; i < 3; i++) {
		if (rc == 0 && rundir_save_table(r, names[i], tables[i], &err) < 0) {
			ml_warn("%s", err.msg);
			rc = -1;
		}
		table_free(tables[i]);
	}
	if (!args->quiet && !args->csv)
		fprintf(stderr, "results in %s\n", rundir_path(r));
	if (rundir_finish(r, rc ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		rc = -1;
	}
	topo_free(host);
	return rc;
}

/* Caches, cores and protocols whose tables would not fit in memory are
 * refused, not left to the out-of-memory killer. */
static void refuse_if_too_big(const struct cli_args *args, const struct sim_config *cfg, unsigned nprotocols)
{
	const char *why;
	uint64_t need = sim_memory_estimate(cfg, nprotocols), available = memory_available(&why);
	char need_text[32], available_text[32];

	if (available == UINT64_MAX || (double)need <= 0.8 * (double)available)
		return;
	units_format_size(need, need_text, sizeof(need_text));
	units_format_size(available, available_text, sizeof(available_text));
	cli_usage_error(args, "%u cores with these caches under %u protocol%s need about %s of memory; %s is available (%s)",
			cfg->cores, nprotocols, nprotocols == 1 ? "" : "s", need_text, available_text, why);
}

static int run_sim(const struct cli_args *args)
{
	const char *print = args->values[OPT_PRINT_TABLE], *list = args->values[OPT_PROTOCOL];
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	struct sim_config cfg;
	struct trace_reader *r;
	struct ml_error err;
	struct sim *s;
	char bad[64], order[512];
	unsigned threads;
	int n;
	uint64_t done, start;
	double seconds;

	if (print) {
		const struct protocol *p = protocol_find(print);

		if (!p)
			cli_usage_error(args, "unknown protocol '%s' (expected msi, msi-upgr, mesi, moesi, mesif or dragon)", print);
		protocol_print_markdown(p, stdout);
		return ML_EXIT_OK;
	}
	if (args->noperands != 1)
		cli_usage_error(args, "expected one TRACE operand (a file, or - for standard input)");
	n = protocol_parse_list(list ? list : "all", chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	if (n < 0)
		cli_usage_error(args, "unknown protocol '%s' (expected msi, msi-upgr, mesi, moesi, mesif, dragon or all)", bad);
	configure(args, &cfg);
	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	threads = trace_reader_header(r)->threads;
	if (!args->values[OPT_ORDER])
		cfg.order = sim_order_of_trace(trace_reader_header(r));
	cfg.cores = (unsigned)cli_uint_option(args, OPT_CORES, 1, SIM_MAX_CORES, threads);
	if (threads > cfg.cores)
		ml_die(ML_EXIT_USAGE, "%s has %u threads but the simulation has %u cores (see --cores)",
		       trace_reader_name(r), threads, cfg.cores);
	if (threads > SIM_MAX_CORES)
		ml_die(ML_EXIT_USAGE, "%s has %u threads; the simulator models at most %d cores",
		       trace_reader_name(r), threads, SIM_MAX_CORES);
	refuse_if_too_big(args, &cfg, (unsigned)n);
	s = sim_new(&cfg, chosen, (unsigned)n);
	start = timer_now_ns();
	if (cfg.log)
		printf("# protocol time core op line: transaction source; states of the line in each cache\n");
	done = sim_replay(s, r, &err);
	seconds = (double)(timer_now_ns() - start) / 1e9;
	progress_done();
	if (done == UINT64_MAX)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	sim_order_describe(s, trace_reader_header(r), args->values[OPT_ORDER] != NULL, done, order, sizeof(order));
	if (args->csv) {
		struct table *t = sim_summary_table(s);

		table_print_csv(t, stdout);
		table_free(t);
	} else {
		struct table *t = sim_side_by_side_table(s);

		printf("%s%s: %" PRIu64 " accesses, replayed in %.2f s (%.1f M accesses/s)\n",
		       cfg.log ? "\n" : "", trace_reader_name(r), done, seconds,
		       seconds > 0 ? (double)done / seconds / 1e6 : 0.0);
		describe(&cfg, order, NULL, stdout);
		table_print_human(t, stdout);
		table_free(t);
	}
	n = write_results(args, s, &cfg, trace_reader_name(r), order);
	sim_free(s);
	trace_reader_close(r);
	return n < 0 ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_sim = {
	.name = "sim",
	.summary = "replay a trace under coherence protocols, side by side",
	.operands = "TRACE",
	.min_operands = 0,
	.max_operands = 1,
	.description =
		"Replays TRACE (binary or text; - for standard input) over per-core private\n"
		"caches on a snooping bus under each protocol, in one pass, and prints the\n"
		"totals side by side with the change against the first protocol, and the\n"
		"order the accesses were replayed in and why (by default the one the\n"
		"trace's header asks for). Writes sim-summary.csv, sim-cores.csv and\n"
		"sim-transitions.csv into the run directory.\n",
	.common = CLI_OUTPUT | CLI_CSV | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_sim,
};
