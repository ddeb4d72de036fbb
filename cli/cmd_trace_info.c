/* 'mesilab trace info': what a trace holds, per thread. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "line_set.h"
#include "progress.h"
#include "table.h"
#include "trace_commands.h"
#include "trace_reader.h"
#include "units.h"
#include "xalloc.h"

enum { OPT_LINE, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_LINE] = { .name = "line", .arg = "BYTES", .help = "line size for counting lines (default: the trace's hint, else 64)" },
};

/* Lines remembered exactly, over all threads, before estimating. */
#define EXACT_LINES (8u << 20)

enum { C_THREAD, C_RECORDS, C_READS, C_WRITES, C_RMWS, C_IFETCHES, C_GAP, C_LINES, C_ESTIMATED,
       C_MIN, C_MAX, C_SYNC, NCOLUMNS };

struct thread_stats {
	uint64_t ops[TRACE_NOPS], records, gap, min, max, sync;
	struct line_set *lines;
};

static void add_row(struct table *t, const char *name, const struct thread_stats *s)
{
	char min[24], max[24], min_csv[24], max_csv[24];

	table_add_row(t);
	table_set(t, C_THREAD, name, NULL);
	table_setf(t, C_RECORDS, "%" PRIu64, s->records);
	table_setf(t, C_READS, "%" PRIu64, s->ops[TRACE_READ]);
	table_setf(t, C_WRITES, "%" PRIu64, s->ops[TRACE_WRITE]);
	table_setf(t, C_RMWS, "%" PRIu64, s->ops[TRACE_RMW]);
	table_setf(t, C_IFETCHES, "%" PRIu64, s->ops[TRACE_IFETCH]);
	table_setf(t, C_GAP, "%" PRIu64, s->gap);
	table_setf(t, C_LINES, "%" PRIu64, line_set_count(s->lines));
	table_set(t, C_ESTIMATED, line_set_exact(s->lines) ? "0" : "1",
		  line_set_exact(s->lines) ? "no" : "yes");
	snprintf(min, sizeof(min), "0x%" PRIx64, s->min);
	snprintf(max, sizeof(max), "0x%" PRIx64, s->max);
	snprintf(min_csv, sizeof(min_csv), "%" PRIu64, s->min);
	snprintf(max_csv, sizeof(max_csv), "%" PRIu64, s->max);
	table_set(t, C_MIN, min_csv, min);
	table_set(t, C_MAX, max_csv, max);
	table_setf(t, C_SYNC, "%" PRIu64, s->sync);
}

static void account(struct thread_stats *s, const struct trace_record *r, uint64_t line)
{
	s->records++;
	s->ops[trace_op_of(r)]++;
	s->sync += trace_is_sync(r);
	s->gap += r->gap;
	if (s->records == 1 || r->address < s->min)
		s->min = r->address;
	if (r->address + r->size - 1 > s->max)
		s->max = r->address + r->size - 1;
	line_set_add(s->lines, line);
}

/* What a kind of order means for the replay (sim's default order). */
static const char *const order_meaning[TRACE_NORDER_KINDS] = {
	[TRACE_ORDER_STREAMS] = "independent per-thread streams: sim interleaves them by its timing",
	[TRACE_ORDER_REFERENCE] = "the file's order is the reference: sim keeps it",
	/* One string over two lines (the parentheses say so). */
	[TRACE_ORDER_PROGRAM] = ("a traced program: sim keeps the synchronisation records in the file's order, "
				 "the rest between them by its timing"),
};

/* What a program's trace holds beside its records (trace_locations.h):
 * whether it has code locations, how many, its load map's modules, the
 * heap blocks the program allocated and its threads' stacks. */
static void print_locations(struct trace_reader *r)
{
	const struct trace_locations *l = trace_reader_locations(r);
	uint32_t stacks = 0, heap = 0;

	if (!trace_reader_header(r)->locations) {
		printf("code locations: none (a program traced by mesilab-cc has them, which mesilab explain needs)\n");
		return;
	}
	if (!l) {
		printf("code locations: yes (they follow the records: read from a pipe, not counted)\n");
		return;
	}
	for (uint32_t i = 0; i < l->nblocks; i++) {
		stacks += l->blocks[i].kind == TRACE_BLOCK_STACK;
		heap += l->blocks[i].kind == TRACE_BLOCK_HEAP;
	}
	printf("code locations: %" PRIu32 " distinct, in %" PRIu32 " module%s of the load map; %" PRIu32
	       " heap block%s", l->npcs, l->nmodules, l->nmodules == 1 ? "" : "s", heap, heap == 1 ? "" : "s");
	if (l->blocks_dropped)
		printf(" (%" PRIu32 " more not recorded)", l->blocks_dropped);
	printf("; %" PRIu32 " thread stack%s\n", stacks, stacks == 1 ? "" : "s");
	for (uint32_t i = 0; i < l->nmodules; i++) {
		const struct trace_module *m = &l->modules[i];
		char *path = escape_terminal_new(m->path ? m->path : "");

		printf("  module 0x%" PRIx64 "-0x%" PRIx64 " %s, build id ", m->start, m->end, path);
		for (unsigned b = 0; b < m->build_id_len; b++)
			printf("%02x", m->build_id[b]);
		printf("%s\n", m->build_id_len ? "" : "none");
		free(path);
	}
}

static int run_info(const struct cli_args *args)
{
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(args->operands[0], &err);
	const struct trace_header *h;
	const struct trace_record *recs;
	struct thread_stats *threads, all = { 0 };
	struct table_column columns[NCOLUMNS] = {
		[C_THREAD] = { "thread", "thread", TABLE_LEFT },
		[C_RECORDS] = { "records", "records", TABLE_RIGHT },
		[C_READS] = { "reads", "reads", TABLE_RIGHT },
		[C_WRITES] = { "writes", "writes", TABLE_RIGHT },
		[C_RMWS] = { "rmws", "atomics", TABLE_RIGHT },
		[C_IFETCHES] = { "ifetches", "ifetches", TABLE_RIGHT },
		[C_GAP] = { NULL, NULL, TABLE_RIGHT },
		[C_LINES] = { "distinct_lines", "lines", TABLE_RIGHT },
		[C_ESTIMATED] = { "lines_estimated", "estimated", TABLE_LEFT },
		[C_MIN] = { "address_min", "lowest", TABLE_RIGHT },
		[C_MAX] = { "address_max", "highest", TABLE_RIGHT },
		[C_SYNC] = { "sync_records", "sync", TABLE_RIGHT },
	};
	uint64_t line, shift = 0;
	struct table *t;
	ssize_t n;
	char name[16], footprint[32];

	if (!r)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	h = trace_reader_header(r);
	line = args->values[OPT_LINE] ? cli_size_option(args, OPT_LINE, 64) : trace_line_of_header(r, 64);
	if (line == 0 || (line & (line - 1)))
		cli_usage_error(args, "invalid --line '%s' (a power of two)", args->values[OPT_LINE]);
	while ((1ull << shift) < line)
		shift++;
	columns[C_GAP].csv_name = h->gap_unit == TRACE_GAP_CYCLES ? "gap_cycles" : "gap_instructions";
	columns[C_GAP].title = columns[C_GAP].csv_name;

	threads = xcalloc(h->threads, sizeof(*threads));
	for (unsigned i = 0; i < h->threads; i++)
		threads[i].lines = line_set_new(EXACT_LINES / h->threads + 1);
	all.lines = line_set_new(EXACT_LINES);
	while ((n = trace_reader_batch(r, &recs, &err)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			account(&threads[recs[i].thread], &recs[i], recs[i].address >> shift);
			account(&all, &recs[i], recs[i].address >> shift);
		}
		progress_update("%" PRIu64 " records", all.records);
	}
	progress_done();
	if (n < 0)
		ml_die(ML_EXIT_USAGE, "%s", err.msg);

	t = table_new(columns, NCOLUMNS);
	for (unsigned i = 0; i < h->threads; i++) {
		snprintf(name, sizeof(name), "%u", i);
		add_row(t, name, &threads[i]);
	}
	add_row(t, "all", &all);
	if (args->csv) {
		table_print_csv(t, stdout);
	} else {
		/* The path and the generator are the file's bytes: a terminal
		 * sees no control of theirs. */
		char *name_safe = escape_terminal_new(trace_reader_name(r));
		char *generator_safe = escape_terminal_new(h->generator[0] ? h->generator : "(none)");
		char hint[32];

		units_format_size(line_set_count(all.lines) * line, footprint, sizeof(footprint));
		/* 0: the machine that made the trace did not say. */
		if (h->line_size)
			snprintf(hint, sizeof(hint), "%" PRIu32 " B", h->line_size);
		else
			snprintf(hint, sizeof(hint), "none");
		printf("%s: %s trace, %u thread%s, line-size hint %s, gaps in %s\n", name_safe,
		       trace_reader_was_text(r) ? "text" : "binary", h->threads, h->threads == 1 ? "" : "s", hint,
		       trace_gap_unit_names[h->gap_unit]);
		printf("order: %s%s (%s)\n", trace_order_kind_names[h->order],
		       trace_reader_version(r) == 1 ? ", as a version 1 trace is taken" : "", order_meaning[h->order]);
		printf("generator: %s\n", generator_safe);
		free(name_safe);
		free(generator_safe);
		if (h->truncated)
			printf("truncated: the records end before the program did (the generator says why)\n");
		printf("footprint: %s%s in %" PRIu64 " lines of %" PRIu64 " B\n", footprint,
		       line_set_exact(all.lines) ? "" : " (estimated)", line_set_count(all.lines), line);
		print_locations(r);
		printf("\n");
		table_print_human(t, stdout);
	}
	table_free(t);
	for (unsigned i = 0; i < h->threads; i++)
		line_set_free(threads[i].lines);
	line_set_free(all.lines);
	free(threads);
	trace_reader_close(r);
	return ML_EXIT_OK;
}

const struct cli_command cmd_trace_info = {
	.name = "info",
	.parent = "trace",
	.summary = "records per thread and per operation, lines touched, address range, footprint",
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.description = "FILE may be - for standard input.\n",
	.common = CLI_CSV | CLI_QUIET,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_info,
};
