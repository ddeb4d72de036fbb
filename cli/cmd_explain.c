/* 'mesilab explain': a traced program's costs under each protocol, by
 * code line and by data object, and its false sharing in words, with what
 * padding the falsely shared objects apart would save, computed by
 * replaying the trace with them on lines of their own. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "commands.h"
#include "escape.h"
#include "explain_report.h"
#include "progress.h"
#include "replay.h"
#include "rundir.h"
#include "table.h"
#include "topo.h"
#include "trace_reader.h"
#include "trace_symbols.h"
#include "xalloc.h"

static const char *const order_names[] = { "timed", "synced", "file" };

enum { OPT_PROTOCOL, OPT_ORDER, OPT_TOP, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_PROTOCOL] = { .name = "protocol", .short_name = 'p', .arg = "LIST", .def = "msi,mesi",
			   .help = "protocols, comma-separated, or all" },
	[OPT_ORDER] = { .name = "order", .arg = "MODE", .type = CLI_CHOICE, CLI_CHOICES_OF(order_names),
			.help = "replay order: timed, synced or file (default: the trace's, as sim)" },
	[OPT_TOP] = { .name = "top", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "10",
		      .help = "rows of each table on the terminal (the CSVs have all)" },
};

/* Each thread's locations, read beside the simulator: the k-th record of a
 * thread it takes is the thread's k-th in the file. */
struct loc_feed {
	struct trace_reader **cursor; /* per thread */
	const struct trace_record **recs;
	const uint32_t **locs;
	size_t *n, *at;
	unsigned threads;
	bool out_of_step;
	struct ml_error err;
};

static uint32_t next_loc(void *ctx, const struct trace_record *rec)
{
	struct loc_feed *f = ctx;
	unsigned t = rec->thread;

	if (t >= f->threads || f->out_of_step)
		return 0;
	if (f->at[t] == f->n[t]) {
		ssize_t n = trace_reader_batch(f->cursor[t], &f->recs[t], &f->err);

		if (n <= 0) {
			f->out_of_step = true;
			return 0;
		}
		f->n[t] = (size_t)n;
		f->at[t] = 0;
		f->locs[t] = trace_reader_locs(f->cursor[t]);
	}
	if (f->recs[t][f->at[t]].address != rec->address || !f->locs[t]) {
		f->out_of_step = true;
		return 0;
	}
	return f->locs[t][f->at[t]++];
}

static void loc_feed_open(struct loc_feed *f, struct trace_reader *r, uint64_t offset)
{
	memset(f, 0, sizeof(*f));
	f->threads = trace_reader_header(r)->threads;
	f->cursor = xcalloc(f->threads, sizeof(*f->cursor));
	f->recs = xcalloc(f->threads, sizeof(*f->recs));
	f->locs = xcalloc(f->threads, sizeof(*f->locs));
	f->n = xcalloc(f->threads, sizeof(*f->n));
	f->at = xcalloc(f->threads, sizeof(*f->at));
	for (unsigned t = 0; t < f->threads; t++)
		f->cursor[t] = trace_reader_cursor(r, offset, t, 4096);
}

static void loc_feed_close(struct loc_feed *f)
{
	for (unsigned t = 0; t < f->threads; t++)
		trace_reader_close(f->cursor[t]);
	free(f->cursor);
	free(f->recs);
	free(f->locs);
	free(f->n);
	free(f->at);
}

static void warn_symbols(const char *msg)
{
	char *safe = escape_terminal_new(msg);

	ml_warn("%s", safe);
	free(safe);
}

static int run_explain(const struct cli_args *args)
{
	const struct protocol *chosen[SIM_MAX_PROTOCOLS];
	struct explain ex = { 0 };
	struct loc_feed feed;
	struct sim_config cfg;
	struct ml_error err;
	struct trace_reader *r;
	struct topo *host;
	struct rundir *run;
	char bad[64], names[256];
	uint64_t offset;
	int n, rc;

	protocol_names(names, sizeof(names));
	n = protocol_parse_list(cli_text(args, OPT_PROTOCOL), chosen, SIM_MAX_PROTOCOLS, bad, sizeof(bad));
	if (n < 0)
		cli_usage_error(args, "unknown protocol '%s' (expected %s or all)", bad, names);
	r = trace_reader_open(args->operands[0], &err);
	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (!trace_reader_header(r)->locations)
		ml_die(ML_EXIT_USAGE, "%s has no code locations: explain needs a program's trace made by mesilab-cc",
		       trace_reader_name(r));
	if (!trace_reader_locations(r))
		ml_die(ML_EXIT_USAGE, "%s: its code locations follow the records: give a file, not a pipe",
		       trace_reader_name(r));
	if (trace_reader_header(r)->threads > SIM_MAX_CORES)
		ml_die(ML_EXIT_USAGE, "%s has %u threads; the simulator models at most %d cores",
		       trace_reader_name(r), trace_reader_header(r)->threads, SIM_MAX_CORES);
	sim_config_defaults(&cfg);
	if (sim_line_of_trace(trace_reader_header(r)))
		cfg.l1.line = sim_line_of_trace(trace_reader_header(r));
	cfg.order = sim_order_of_trace(trace_reader_header(r));
	if (cli_given(args, OPT_ORDER))
		sim_order_parse(order_names[cli_choice(args, OPT_ORDER)], &cfg.order);
	cfg.cores = trace_reader_header(r)->threads;
	cfg.classify_causes = true;
	if (args->seed_given)
		cfg.seed = args->seed;

	host = topo_load(TOPO_THIS_MACHINE, NULL, &err);
	run = cli_open_rundir(args, host, NULL);
	offset = trace_reader_offset(r);
	loc_feed_open(&feed, r, offset);
	ex.s = sim_new(&cfg, chosen, (unsigned)n);
	ex.a = attribution_new(ex.s, cfg.l1.line, trace_reader_locations(r)->npcs + 1, next_loc, &feed);
	ex.accesses = sim_replay(ex.s, r, &err);
	progress_done();
	if (ex.accesses == UINT64_MAX)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	attribution_finish(ex.a);
	if (feed.out_of_step)
		ml_die(ML_EXIT_USAGE, "%s: %s", trace_reader_name(r),
		       feed.err.msg[0] ? feed.err.msg : "the records' locations could not be followed");
	loc_feed_close(&feed);
	ex.trace = r;
	ex.path = args->operands[0];
	ex.cfg = &cfg;
	ex.protocols = chosen;
	ex.nprotocols = (unsigned)n;
	ex.top = (unsigned)cli_uint(args, OPT_TOP);
	ex.sym = trace_symbols_new(trace_reader_locations(r), args->quiet ? NULL : warn_symbols);
	sim_order_describe(ex.s, trace_reader_header(r), cli_given(args, OPT_ORDER), ex.accesses, ex.order,
			   sizeof(ex.order));
	rc = explain_report(&ex, run, &err);
	if (rc < 0)
		ml_warn("%s", err.msg);
	if (!args->quiet)
		fprintf(stderr, "results in %s\n", rundir_path(run));
	if (rundir_finish(run, rc ? RUN_FAILED : RUN_COMPLETE, &err) < 0) {
		ml_warn("%s", err.msg);
		rc = -1;
	}
	trace_symbols_free(ex.sym);
	attribution_free(ex.a);
	sim_free(ex.s);
	topo_free(host);
	trace_reader_close(r);
	return rc < 0 ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_explain = {
	.name = "explain",
	.summary = "a traced program's misses by code line and data object, and its false sharing",
	.operands = "TRACE",
	.min_operands = 1,
	.max_operands = 1,
	.description =
		"Replays TRACE, a program's trace made with mesilab-cc, under each protocol\n"
		"as sim does, and attributes every miss (cold, capacity, conflict, true and\n"
		"false sharing), invalidation and cache-to-cache transfer to the code line\n"
		"that made the access and to the data object it touched (a global or\n"
		"static variable and, with -g, the struct member). Prints the top lines and\n"
		"objects; for each falsely shared cache line, which threads touched which\n"
		"bytes, reading or writing, at which lines, the fix (padding, or each\n"
		"thread's data on lines of its own) and what it saves, computed by\n"
		"replaying the trace with the data so moved. Writes explain-lines.csv,\n"
		"explain-objects.csv and\n"
		"explain-falseshare.csv into the run directory.\n",
	.common = CLI_OUTPUT | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_explain,
};
