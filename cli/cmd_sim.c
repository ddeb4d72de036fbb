/* 'mesilab sim': replay a trace under one or more protocols, side by side. */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "engine.h"
#include "escape.h"
#include "memory_avail.h"
#include "progress.h"
#include "replay.h"
#include "report.h"
#include "sim_machine.h"
#include "timer.h"
#include "trace_commands.h"
#include "trace_reader.h"
#include "units.h"

enum { OPT_PROTOCOL, OPT_CORES, OPT_MACHINE, OPT_L1, OPT_L1I, OPT_L2, OPT_LLC, OPT_NON_INCLUSIVE, OPT_REPLACEMENT,
       OPT_ORDER, OPT_STRADDLE, OPT_HIT, OPT_L2_HIT, OPT_LLC_HIT, OPT_MEMORY, OPT_C2C, OPT_BUS, OPT_HANDOVER, OPT_ATOMIC,
       OPT_STORE_BUFFER, OPT_IN_FLIGHT,
       OPT_NO_IN_FLIGHT, OPT_LOG,
       OPT_CAUSES, OPT_NO_CAUSES, OPT_PRINT_TABLE, OPT_LIST_PROTOCOLS, NOPTIONS };

static const char *const straddle_names[] = { "once", "split" };
/* The orders as --help and its messages list them (sim_order_parse reads them). */
static const char *const order_names[] = { "timed", "synced", "file" };

/* The latencies and the replacement fill the simulator's configuration;
 * their defaults are the engine's (the rows' test checks that they agree). */
static const struct cli_option options[NOPTIONS] = {
	[OPT_PROTOCOL] = { .name = "protocol", .short_name = 'p', .arg = "LIST", .def = "all",
			   .help = "comma-separated (see --list-protocols), or all: msi, msi-upgr, mesi, moesi, mesif and dragon" },
	[OPT_CORES] = { .name = "cores", .arg = "N", .type = CLI_UINT, .min = 1, .max = SIM_MAX_CORES,
			.help = "cores (default: the trace's threads; at most 64)" },
	[OPT_MACHINE] = { .name = "machine", .arg = "RUN",
			  .help = "the host the run directory RUN measured: its caches and latencies (the options below override single parts)" },
	[OPT_L1] = { .name = "l1", .arg = "SIZE:WAYS:LINE", .def = "32K:8:64",
		     .help = "private L1 data cache, with the trace's line size when no cache is given" },
	[OPT_L1I] = { .name = "l1i", .arg = "SIZE:WAYS:LINE",
		      .help = "private L1 instruction cache (default none: fetches skipped)" },
	[OPT_L2] = { .name = "l2", .arg = "SIZE:WAYS:LINE",
		     .help = "private L2, holding the coherence state (default none); a size alone keeps the replaced L2's ways and line" },
	[OPT_LLC] = { .name = "llc", .arg = "SIZE:WAYS:LINE", .help = "shared last level (default none)" },
	[OPT_NON_INCLUSIVE] = { .name = "non-inclusive",
				.help = "the last level does not force its lines out of the private caches" },
	[OPT_REPLACEMENT] = { .name = "replacement", .arg = "POLICY", .type = CLI_CHOICE, CLI_CHOICES_OF(replacement_names),
			      .def = "lru", CLI_FIELD(struct sim_config, policy), .help = "lru, fifo, random or plru" },
	[OPT_ORDER] = { .name = "order", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(order_names),
			.help = "timed, synced or file (default: the trace's own: synced for a traced program, file for a reference, timed for streams)" },
	[OPT_STRADDLE] = { .name = "straddle", .arg = "RULE", .type = CLI_CHOICE, CLI_CHOICES_OF(straddle_names), .def = "once",
			   .help = "an access over two lines counts once or split" },
	[OPT_HIT] = { .name = "hit", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "4",
		      CLI_FIELD(struct sim_config, latency.hit), .help = "L1 hit latency" },
	[OPT_L2_HIT] = { .name = "l2-hit", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "14",
			 CLI_FIELD(struct sim_config, latency.l2), .help = "private L2 hit latency" },
	[OPT_LLC_HIT] = { .name = "llc-hit", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "40",
			  CLI_FIELD(struct sim_config, latency.llc), .help = "line from the last level" },
	[OPT_MEMORY] = { .name = "memory", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "200",
			 CLI_FIELD(struct sim_config, latency.memory), .help = "line from memory" },
	[OPT_C2C] = { .name = "c2c", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "60",
		      CLI_FIELD(struct sim_config, latency.c2c), .help = "line from another cache" },
	[OPT_BUS] = { .name = "bus", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "10",
		      CLI_FIELD(struct sim_config, latency.bus), .help = "transaction without data: BusUpgr, BusUpd" },
	[OPT_HANDOVER] = { .name = "handover", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "0",
			   CLI_FIELD(struct sim_config, latency.handover),
			   .help = "with --in-flight, a line from another cache to a core whose request waited for it (0: --c2c's)" },
	[OPT_ATOMIC] = { .name = "atomic", .arg = "CYCLES", .type = CLI_UINT, .max = 1000000, .def = "0",
			 CLI_FIELD(struct sim_config, latency.atomic),
			 .help = "what an atomic read-modify-write costs over its access" },
	[OPT_STORE_BUFFER] = { .name = "store-buffer", .arg = "N", .type = CLI_UINT, .max = SIM_MAX_STORE_BUFFER, .def = "0",
			       CLI_FIELD(struct sim_config, store_buffer),
			       .help = "entries of each core's store buffer, where plain stores retire without waiting for their line: 0 for none; --machine takes 56" },
	[OPT_IN_FLIGHT] = { .name = "in-flight",
			    .help = "in the timed and synchronised orders, an access to a line on its way to another core waits until it has landed and that core has used it (--machine's default)" },
	[OPT_NO_IN_FLIGHT] = { .name = "no-in-flight",
			       .help = "every access takes effect when it issues, wherever its line is (the default without --machine)" },
	[OPT_LOG] = { .name = "log", .help = "print every access: time, core, op, address, transaction, source, states" },
	[OPT_CAUSES] = { .name = "causes", .help = "classify misses by cause (the default for sim)" },
	[OPT_NO_CAUSES] = { .name = "no-causes",
			    .help = "do not classify misses by cause: about a third faster; the cause columns are left empty" },
	[OPT_PRINT_TABLE] = { .name = "print-table", .arg = "PROTOCOL", .help = "print a protocol's table as Markdown and exit" },
	[OPT_LIST_PROTOCOLS] = { .name = "list-protocols",
				 .help = "list the protocols and their variants, one line each, and exit" },
};

/* A cache option into G: a size alone (or with its ways) keeps the rest
 * of BASE, the cache it replaces (the machine's, with --machine). */
static void geometry_option(const struct cli_args *args, size_t opt, const struct cache_geometry *base,
			    struct cache_geometry *g)
{
	struct ml_error err;
	struct cache_geometry parsed = *base;

	if (!cli_text(args, opt))
		return;
	if (cache_geometry_parse(cli_text(args, opt), &parsed, &err) < 0)
		cli_usage_error(args, "--%s: %s", options[opt].name, err.msg);
	*g = parsed;
}

/* The line size of the caches given on the command line (every cache has
 * the L1's), 0 when none was given. */
static unsigned line_given(const struct cli_args *args, const struct sim_config *cfg)
{
	const size_t opts[] = { OPT_L1, OPT_L1I, OPT_L2, OPT_LLC };
	const struct cache_geometry *caches[] = { &cfg->l1, &cfg->l1i, &cfg->l2, &cfg->llc };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (cli_given(args, opts[i]))
			return caches[i]->line;
	return 0;
}

/* The options that override each part of a machine model. */
static const size_t part_options[MACHINE_NPARTS] = {
	[MACHINE_L1] = OPT_L1, [MACHINE_L2] = OPT_L2, [MACHINE_LLC] = OPT_LLC, [MACHINE_HIT] = OPT_HIT,
	[MACHINE_L2_HIT] = OPT_L2_HIT, [MACHINE_LLC_HIT] = OPT_LLC_HIT, [MACHINE_MEMORY] = OPT_MEMORY,
	[MACHINE_C2C] = OPT_C2C, [MACHINE_BUS] = OPT_BUS, [MACHINE_HANDOVER] = OPT_HANDOVER,
	[MACHINE_ATOMIC] = OPT_ATOMIC,
};

/* MACHINE: the model of --machine, or NULL. */
static void configure(const struct cli_args *args, struct sim_config *cfg, struct sim_machine *machine)
{
	struct ml_error err;

	struct sim_config base;

	sim_config_defaults(cfg);
	if (cli_fill(options, NOPTIONS, args->values, CLI_PROFILE_DEFAULT, cfg, &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	/* The caches the options replace: the machine's whole, or the defaults. */
	base = *cfg;
	if (machine) {
		struct sim_machine whole = *machine;

		memset(whole.given, 0, sizeof(whole.given));
		sim_machine_apply(&whole, &base);
	}
	geometry_option(args, OPT_L1, &base.l1, &cfg->l1);
	geometry_option(args, OPT_L1I, &base.l1i, &cfg->l1i);
	geometry_option(args, OPT_L2, &base.l2, &cfg->l2);
	geometry_option(args, OPT_LLC, &base.llc, &cfg->llc);
	if (machine) {
		for (int p = 0; p < MACHINE_NPARTS; p++)
			machine->given[p] = cli_given(args, part_options[p]);
		machine->inclusive_given = cli_given(args, OPT_NON_INCLUSIVE);
		machine->store_buffer_given = cli_given(args, OPT_STORE_BUFFER);
		machine->in_flight_given = cli_given(args, OPT_IN_FLIGHT) || cli_given(args, OPT_NO_IN_FLIGHT);
		sim_machine_apply(machine, cfg);
	}
	if (cli_given(args, OPT_IN_FLIGHT) && cli_given(args, OPT_NO_IN_FLIGHT))
		cli_usage_error(args, "--in-flight and --no-in-flight contradict each other");
	if (cli_given(args, OPT_IN_FLIGHT) || cli_given(args, OPT_NO_IN_FLIGHT))
		cfg->in_flight = cli_given(args, OPT_IN_FLIGHT);
	/* Without --l1, the L1 has the line of the caches given; with none
	 * given, the trace's (once it is open). */
	if (line_given(args, cfg))
		cfg->l1.line = line_given(args, cfg);
	cfg->llc_inclusive = !cli_given(args, OPT_NON_INCLUSIVE);
	if (sim_config_check(cfg, &err) < 0)
		cli_usage_error(args, "%s", err.msg);
	/* Without --order, the trace's header decides (once it is open). */
	if (cli_given(args, OPT_ORDER))
		sim_order_parse(order_names[cli_choice(args, OPT_ORDER)], &cfg->order);
	cfg->split_straddles = cli_choice(args, OPT_STRADDLE) == 1;
	if (args->seed_given)
		cfg->seed = args->seed;
	cfg->log = cli_given(args, OPT_LOG) ? stdout : NULL;
	if (cli_given(args, OPT_CAUSES) && cli_given(args, OPT_NO_CAUSES))
		cli_usage_error(args, "--causes and --no-causes contradict each other");
	cfg->classify_causes = !cli_given(args, OPT_NO_CAUSES);
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

/* Appends to BUF (LEN) at USED what FMT says, as snprintf would past
 * USED; the new USED (LEN or more when it did not fit: nothing more fits). */
static int append(char *buf, size_t len, int used, const char *fmt, ...) ML_PRINTF(4, 5);
static int append(char *buf, size_t len, int used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used < 0 || (size_t)used >= len)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - (size_t)used, fmt, ap);
	va_end(ap);
	return n < 0 ? n : used + n;
}

static double cycles_of(unsigned whole, unsigned sixteenths)
{
	return whole + sixteenths / 16.0;
}

/* The configuration, in words and as settings of the run; ORDER: the
 * order used and why, in words; NPROTOCOLS: the protocols replayed. */
static void describe(const struct sim_config *cfg, const char *order, unsigned nprotocols, struct rundir *r, FILE *fp)
{
	char l1[64], l1i[64], l2[64], llc[64], lat[512];
	int used;

	describe_cache(l1, sizeof(l1), "L1", &cfg->l1);
	describe_cache(l1i, sizeof(l1i), "L1i", &cfg->l1i);
	describe_cache(l2, sizeof(l2), "L2", &cfg->l2);
	describe_cache(llc, sizeof(llc), "LLC", &cfg->llc);
	/* With their sixteenths of a cycle (a host's model: 1.6875), as
	 * simulated; whole cycles print as before. */
	used = snprintf(lat, sizeof(lat), "hit %g, L2 hit %g, LLC %g, memory %g, cache-to-cache %g, bus-only %g cycles",
			cycles_of(cfg->latency.hit, cfg->sixteenths.hit), cycles_of(cfg->latency.l2, cfg->sixteenths.l2),
			cycles_of(cfg->latency.llc, cfg->sixteenths.llc),
			cycles_of(cfg->latency.memory, cfg->sixteenths.memory),
			cycles_of(cfg->latency.c2c, cfg->sixteenths.c2c), cycles_of(cfg->latency.bus, cfg->sixteenths.bus));
	/* Each said only when there is one, so that a run without says what
	 * it said. */
	if (cfg->latency.atomic + cfg->sixteenths.atomic)
		used = append(lat, sizeof(lat), used, "; an atomic %g cycles over its access", cycles_of(cfg->latency.atomic, cfg->sixteenths.atomic));
	if (cfg->store_buffer)
		used = append(lat, sizeof(lat), used, "; a store buffer of %u entries per core", cfg->store_buffer);
	/* The rule is the timed and synchronised orders': the file order
	 * keeps its own. */
	if (cfg->in_flight && cfg->order != SIM_ORDER_FILE)
		used = append(lat, sizeof(lat), used, "; lines in flight, a hand-over %g cycles%s",
			      cfg->latency.handover + cfg->sixteenths.handover
				      ? cycles_of(cfg->latency.handover, cfg->sixteenths.handover)
				      : cycles_of(cfg->latency.c2c, cfg->sixteenths.c2c),
			      nprotocols > 1 ? ", the first protocol's waiting every protocol's (one -p each for its own)"
					     : "");
	else if (cfg->in_flight)
		used = append(lat, sizeof(lat), used, "; lines in flight asked for, but the file order keeps its own");
	else if (cfg->latency.handover + cfg->sixteenths.handover)
		used = append(lat, sizeof(lat), used, "; a hand-over of %g cycles, unused: no line is in flight (--in-flight)",
			      cycles_of(cfg->latency.handover, cfg->sixteenths.handover));
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

/* The protocols as -p named them, variants included, each with its line
 * of --list-protocols: a run says which rules its columns follow. */
static void protocols_setting(struct sim *s, struct rundir *r)
{
	char names[256] = "", key[96];
	size_t used = 0;

	for (unsigned i = 0; i < sim_protocols(s) && used < sizeof(names); i++) {
		const struct protocol *p = sim_protocol(s, i);

		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? "," : "", p->name);
		snprintf(key, sizeof(key), "sim.protocol.%s", p->name);
		rundir_set(r, key, p->summary);
	}
	rundir_set(r, "sim.protocols", names);
}

static int write_results(const struct cli_args *args, struct rundir *r, struct sim *s, const struct sim_config *cfg,
			 const struct sim_machine *machine, const char *trace_name, const char *order)
{
	struct ml_error err;
	struct table *tables[3] = { sim_summary_table(s), sim_cores_table(s), sim_transitions_table(s) };
	static const char *const names[3] = { "sim-summary.csv", "sim-cores.csv", "sim-transitions.csv" };
	int rc = 0;

	rundir_set(r, "sim.trace", trace_name);
	protocols_setting(s, r);
	describe(cfg, order, sim_protocols(s), r, NULL);
	if (machine) {
		struct table *tagged = sim_machine_tagged(tables[0], machine->name);

		table_free(tables[0]);
		tables[0] = tagged;
		if (sim_machine_save(machine, cfg, r, &err) < 0) {
			ml_warn("%s", err.msg);
			rc = -1;
		}
	}
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
	return rc;
}

/* Caches, cores and protocols whose tables would not fit in memory are
 * refused, not left to the out-of-memory killer. The trace R is closed
 * first: nothing points to it on the way out, and a sanitizer build's leak
 * check made the refusal's exit status 1. */
static void refuse_if_too_big(const struct cli_args *args, const struct sim_config *cfg, unsigned nprotocols,
			      struct trace_reader *r)
{
	const char *why;
	uint64_t need = sim_memory_estimate(cfg, nprotocols), available = memory_available(&why);
	char need_text[32], available_text[32];

	if (available == UINT64_MAX || (double)need <= 0.8 * (double)available)
		return;
	trace_reader_close(r);
	units_format_size(need, need_text, sizeof(need_text));
	units_format_size(available, available_text, sizeof(available_text));
	cli_usage_error(args, "%u cores with these caches under %u protocol%s need about %s of memory; %s is available (%s)",
			cfg->cores, nprotocols, nprotocols == 1 ? "" : "s", need_text, available_text, why);
}

static int run_sim(const struct cli_args *args)
{
	const char *print = cli_text(args, OPT_PRINT_TABLE), *list = cli_text(args, OPT_PROTOCOL);
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	struct sim_config cfg;
	struct sim_machine model, *machine = NULL;
	struct trace_reader *r;
	struct ml_error err;
	struct sim *s;
	struct topo *host;
	struct rundir *run;
	char bad[64], order[512], names[256];
	unsigned threads;
	int n;
	uint64_t done, start;
	double seconds;

	protocol_names(names, sizeof(names));
	if (cli_given(args, OPT_LIST_PROTOCOLS)) {
		protocol_print_list(stdout);
		return ML_EXIT_OK;
	}
	if (print) {
		const struct protocol *p = protocol_find(print);

		if (!p)
			cli_usage_error(args, "unknown protocol '%s' (expected one of %s)", print, names);
		protocol_print_markdown(p, stdout);
		return ML_EXIT_OK;
	}
	if (args->noperands != 1)
		cli_usage_error(args, "expected one TRACE operand (a file, or - for standard input)");
	n = protocol_parse_list(list, chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	if (n < 0)
		cli_usage_error(args, "unknown protocol '%s' (expected %s or all)", bad, names);
	if (cli_text(args, OPT_MACHINE)) {
		machine = &model;
		if (sim_machine_read(machine, cli_text(args, OPT_MACHINE), cli_text(args, OPT_MACHINE), &err) < 0)
			ml_die(ML_EXIT_USAGE, "--machine: %s", err.msg);
	}
	configure(args, &cfg, machine);
	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	threads = trace_reader_header(r)->threads;
	/* A machine's lines are its own, whatever the tracing machine's. */
	if (!line_given(args, &cfg) && !machine)
		cfg.l1.line = trace_line_of_header(r, cfg.l1.line);
	if (!cli_given(args, OPT_ORDER))
		cfg.order = sim_order_of_trace(trace_reader_header(r));
	cfg.cores = cli_given(args, OPT_CORES) ? (unsigned)cli_uint(args, OPT_CORES) : threads;
	if (threads > cfg.cores)
		ml_die(ML_EXIT_USAGE, "%s has %u threads but the simulation has %u cores (see --cores)",
		       trace_reader_name(r), threads, cfg.cores);
	if (threads > SIM_MAX_CORES)
		ml_die(ML_EXIT_USAGE, "%s has %u threads; the simulator models at most %d cores",
		       trace_reader_name(r), threads, SIM_MAX_CORES);
	if (machine) {
		machine->cores_source = cli_given(args, OPT_CORES) ? "--cores" : "the trace's threads, one core each";
		/* A core of the model per thread, with the machine's caches,
		 * even where the machine has fewer PUs: the trace asks for
		 * them, and what is said is how many it had. */
		if (machine->model.pus && cfg.cores > machine->model.pus)
			ml_warn("%s: %u cores simulated with the caches and latencies of %s, which used %u PU%s",
				trace_reader_name(r), cfg.cores, machine->name, machine->model.pus,
				machine->model.pus == 1 ? "" : "s");
	}
	refuse_if_too_big(args, &cfg, (unsigned)n, r);
	/* The run directory before anything is printed: one that cannot be
	 * had is refused with no output; it is removed again, empty, when
	 * the replay fails. */
	host = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	run = cli_open_rundir(args, host, NULL);
	s = sim_new(&cfg, chosen, (unsigned)n);
	start = timer_now_ns();
	if (cfg.log)
		printf("# protocol time core op line: transaction source; states of the line in each cache\n");
	done = sim_replay(s, r, &err);
	seconds = (double)(timer_now_ns() - start) / 1e9;
	progress_done();
	if (done == UINT64_MAX)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	sim_order_describe(s, trace_reader_header(r), cli_given(args, OPT_ORDER), done, order, sizeof(order));
	if (args->csv) {
		struct table *t = sim_summary_table(s);

		if (machine) {
			struct table *tagged = sim_machine_tagged(t, machine->name);

			table_free(t);
			t = tagged;
		}
		table_print_csv(t, stdout);
		table_free(t);
	} else {
		struct table *t = sim_side_by_side_table(s);
		char *name = escape_terminal_new(trace_reader_name(r));

		printf("%s%s: %" PRIu64 " accesses, replayed in %.2f s (%.1f M accesses/s)\n", cfg.log ? "\n" : "", name,
		       done, seconds, seconds > 0 ? (double)done / seconds / 1e6 : 0.0);
		free(name);
		describe(&cfg, order, sim_protocols(s), NULL, stdout);
		if (machine)
			sim_machine_print(machine, &cfg, stdout);
		table_print_human(t, stdout);
		table_free(t);
	}
	n = write_results(args, run, s, &cfg, machine, trace_reader_name(r), order);
	topo_free(host);
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
		"sim-transitions.csv into the run directory.\n"
		"\n"
		"With --machine RUN, the simulated machine is the host the run directory\n"
		"RUN measured: its L1, private L2 and shared last level from topology.csv,\n"
		"the cycles of each level from levels.csv, of memory from levels.csv or\n"
		"states.csv, of a line from another core and of an upgrade from\n"
		"states.csv, of a hand-over from c2c.csv, of an atomic from\n"
		"contention.csv; each core has a store buffer, and lines are in flight\n"
		"(--in-flight). What RUN lacks keeps the default, and an option given\n"
		"sets its part. The summary says where each part came from;\n"
		"sim-machine.csv keeps it.\n",
	.common = CLI_OUTPUT | CLI_CSV | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_sim,
};
