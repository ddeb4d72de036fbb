/* 'mesilab trace bench': how fast traces are read, in records per second. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "progress.h"
#include "rng.h"
#include "stats.h"
#include "timer.h"
#include "trace_commands.h"
#include "trace_reader.h"
#include "trace_writer.h"
#include "xalloc.h"

enum { OPT_RECORDS, OPT_REPEAT, NOPTIONS };

static const struct cli_option options[NOPTIONS] = {
	[OPT_RECORDS] = { .name = "records", .arg = "N", .help = "records of the generated trace (default 50000000; 2000000 with --quick)" },
	[OPT_REPEAT] = { .name = "repeat", .arg = "N", .help = "times the trace is read (default 5)" },
};

/* A 4-thread trace with a realistic mix: mostly reads, some writes. */
static char *generate(uint64_t records, uint64_t seed, struct ml_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mesilab-bench-%ld.trace", dir && *dir ? dir : "/tmp", (long)getpid());
	struct trace_header h = { .threads = 4, .line_size = 64, .generator = "mesilab trace bench" };
	struct trace_writer *w = trace_writer_open(path, &h, err);
	struct rng rng;

	if (!w) {
		free(path);
		return NULL;
	}
	rng_seed(&rng, seed);
	for (uint64_t i = 0; i < records; i++) {
		uint64_t x = rng_next(&rng);
		struct trace_record rec = {
			.address = (x >> 20) & 0xffffffc0u,
			.gap = (uint32_t)(x & 7),
			.thread = (uint16_t)(i & 3),
			.op = (x & 0x70) == 0 ? TRACE_WRITE : TRACE_READ,
			.size = 8,
		};

		trace_writer_add(w, &rec);
	}
	if (trace_writer_close(w, err) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

static int run_bench(const struct cli_args *args)
{
	uint64_t records = cli_uint_option(args, OPT_RECORDS, 1, UINT64_MAX,
					   args->quick ? 2000000 : 50000000);
	unsigned repeat = (unsigned)cli_uint_option(args, OPT_REPEAT, 1, 1000, 5);
	char *generated = NULL;
	const char *path;
	double *rates = xcalloc(repeat, sizeof(*rates));
	struct ml_error err;
	struct stats st;
	uint64_t count = 0, checksum = 0;

	if (args->noperands) {
		path = args->operands[0];
	} else {
		progress_update("writing a trace of %" PRIu64 " records", records);
		generated = generate(records, args->seed_given ? args->seed : 1, &err);
		if (!generated)
			ml_die(ML_EXIT_CHECK_FAILED, "%s", err.msg);
		path = generated;
	}
	for (unsigned i = 0; i <= repeat; i++) {
		struct trace_reader *r = trace_reader_open(path, &err);
		const struct trace_record *recs;
		uint64_t start, elapsed;
		ssize_t n;

		if (!r)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		progress_update("reading %s: %u of %u", path, i, repeat);
		count = 0;
		start = timer_now_ns();
		while ((n = trace_reader_batch(r, &recs, &err)) > 0) {
			/* Touch every record, as a consumer would. */
			for (ssize_t k = 0; k < n; k++)
				checksum += recs[k].address;
			count += (uint64_t)n;
		}
		elapsed = timer_now_ns() - start;
		trace_reader_close(r);
		if (n < 0)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		if (i > 0) /* the first read warms the page cache */
			rates[i - 1] = (double)count / ((double)elapsed / 1e9);
	}
	progress_done();
	stats_compute(rates, repeat, &st);
	if (args->csv)
		printf("records,repeat,records_per_s_median,records_per_s_min,records_per_s_max,gb_per_s_median\n"
		       "%" PRIu64 ",%u,%.0f,%.0f,%.0f,%.3f\n", count, repeat, st.median, st.min, st.max,
		       st.median * TRACE_RECORD_SIZE / 1e9);
	else
		printf("read %" PRIu64 " records %u times: median %.0f M records/s (min %.0f, max %.0f), %.2f GB/s"
		       " (checksum %" PRIx64 ")\n", count, repeat, st.median / 1e6, st.min / 1e6,
		       st.max / 1e6, st.median * TRACE_RECORD_SIZE / 1e9, checksum);
	if (generated) {
		unlink(generated);
		free(generated);
	}
	free(rates);
	return ML_EXIT_OK;
}

const struct cli_command cmd_trace_bench = {
	.name = "bench",
	.parent = "trace",
	.summary = "measure how fast traces are read, in records per second",
	.operands = "[FILE]",
	.min_operands = 0,
	.max_operands = 1,
	.description = "Reads FILE (or a generated 4-thread trace) from the page cache several\n"
		       "times and reports the records read per second.\n",
	.common = CLI_CSV | CLI_QUICK | CLI_QUIET | CLI_SEED,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_bench,
};
