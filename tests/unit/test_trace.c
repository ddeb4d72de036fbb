#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "line_set.h"
#include "rng.h"
#include "trace_check.h"
#include "trace_demux.h"
#include "trace_reader.h"
#include "trace_text.h"
#include "trace_writer.h"
#include "unit_helpers.h"
#include "xalloc.h"

static struct trace_record random_record(struct rng *rng, unsigned threads)
{
	uint64_t x = rng_next(rng);
	struct trace_record r = {
		.address = rng_next(rng),
		.gap = (uint32_t)(x >> 32),
		.thread = (uint16_t)(x % threads),
		.op = (uint8_t)((x >> 8) % TRACE_NOPS),
		.size = (uint8_t)(1 + (x >> 16) % 255),
	};

	return r;
}

static void write_trace(const char *path, const struct trace_record *recs, size_t n, unsigned threads)
{
	struct trace_header h = { .threads = threads, .line_size = 64, .generator = "unit test" };
	struct ml_error err;
	struct trace_writer *w = trace_writer_open(path, &h, &err);

	assert_non_null(w);
	for (size_t i = 0; i < n; i++)
		trace_writer_add(w, &recs[i]);
	assert_int_equal(trace_writer_records(w), n);
	assert_int_equal(trace_writer_close(w, &err), 0);
}

static void assert_same_record(const struct trace_record *a, const struct trace_record *b)
{
	assert_int_equal(a->address, b->address);
	assert_int_equal(a->gap, b->gap);
	assert_int_equal(a->thread, b->thread);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->size, b->size);
}

static void test_round_trip_many_batches(void **state)
{
	size_t n = 300001; /* several read buffers, and an odd count */
	struct trace_record *recs = xmalloc(n * sizeof(*recs)), rec;
	struct rng rng;
	struct ml_error err;
	char *path = unit_temp_file("test-trace");
	struct trace_reader *r;
	size_t i = 0;
	int got;

	(void)state;
	rng_seed(&rng, 42);
	for (size_t k = 0; k < n; k++)
		recs[k] = random_record(&rng, 5);
	write_trace(path, recs, n, 5);
	r = trace_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(trace_reader_header(r)->threads, 5);
	assert_int_equal(trace_reader_header(r)->line_size, 64);
	assert_string_equal(trace_reader_header(r)->generator, "unit test");
	assert_false(trace_reader_was_text(r));
	while ((got = trace_reader_next(r, &rec, &err)) == 1)
		assert_same_record(&rec, &recs[i++]);
	assert_int_equal(got, 0);
	assert_int_equal(i, n);
	trace_reader_close(r);
	unlink(path);
	free(path);
	free(recs);
}

/* A bad record anywhere in a batch, including the odd last one, is found
 * and reported at its exact offset. */
static void test_bad_record_positions(void **state)
{
	const size_t n = 1001, positions[] = { 0, 1, 500, 999, 1000 };
	struct trace_record *recs = xmalloc(n * sizeof(*recs));
	struct rng rng;
	char *path = unit_temp_file("test-trace");

	(void)state;
	rng_seed(&rng, 7);
	for (size_t p = 0; p < sizeof(positions) / sizeof(positions[0]); p++) {
		for (int kind = 0; kind < 3; kind++) {
			struct ml_error err;
			struct trace_reader *r;
			const struct trace_record *batch;
			char where[64];
			ssize_t got;

			for (size_t k = 0; k < n; k++)
				recs[k] = random_record(&rng, 4);
			if (kind == 0)
				recs[positions[p]].thread = 4;
			else if (kind == 1)
				recs[positions[p]].op = 4;
			else
				recs[positions[p]].size = 0;
			write_trace(path, recs, n, 4);
			r = trace_reader_open(path, &err);
			assert_non_null(r);
			while ((got = trace_reader_batch(r, &batch, &err)) > 0)
				;
			assert_int_equal(got, -1);
			snprintf(where, sizeof(where), ": byte %zu: ", 48 + positions[p] * 16);
			assert_non_null(strstr(err.msg, where));
			trace_reader_close(r);
		}
	}
	unlink(path);
	free(path);
	free(recs);
}

static void test_summary_matches_portable(void **state)
{
	struct trace_record recs[37];
	struct trace_summary sum;
	struct rng rng;

	(void)state;
	rng_seed(&rng, 3);
	for (size_t n = 0; n <= 37; n++) {
		unsigned max_thread = 0, bits = 0, min_size = 255;

		for (size_t i = 0; i < n; i++) {
			recs[i] = random_record(&rng, 65535);
			recs[i].op = (uint8_t)(rng_next(&rng) & 0xff);
			max_thread = recs[i].thread > max_thread ? recs[i].thread : max_thread;
			bits |= recs[i].op;
			min_size = recs[i].size < min_size ? recs[i].size : min_size;
		}
		trace_summarise(recs, n, &sum);
		assert_int_equal(sum.max_thread, max_thread);
		assert_int_equal(sum.op_bits, bits);
		assert_int_equal(sum.min_size, min_size);
	}
}

static void test_text_lines(void **state)
{
	struct trace_header h = { 0 };
	struct trace_text_seen seen = { 0 };
	struct trace_record r;
	char why[160];

	(void)state;
	assert_int_equal(trace_text_parse("3 w 0x1F 4 100", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_RECORD);
	assert_int_equal(r.thread, 3);
	assert_int_equal(r.op, TRACE_WRITE);
	assert_int_equal(r.address, 0x1f);
	assert_int_equal(r.size, 4);
	assert_int_equal(r.gap, 100);
	assert_int_equal(trace_text_parse("\t0 A 64  # note", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_RECORD);
	assert_int_equal(r.address, 64);
	assert_int_equal(r.size, 8);
	assert_int_equal(r.gap, 0);
	assert_int_equal(trace_text_parse("   ", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_NOTHING);
	assert_int_equal(trace_text_parse("# just words", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_NOTHING);
	assert_int_equal(trace_text_parse("# threads: 12", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_DIRECTIVE);
	assert_true(seen.threads);
	assert_int_equal(h.threads, 12);
	assert_int_equal(trace_text_parse("# gap-unit: instructions", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_DIRECTIVE);
	assert_int_equal(h.gap_unit, TRACE_GAP_INSTRUCTIONS);
	assert_int_equal(trace_text_parse("# generator: a b  c ", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_DIRECTIVE);
	assert_string_equal(h.generator, "a b  c");
	assert_false(h.truncated);
	assert_int_equal(trace_text_parse("# truncated: yes", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_DIRECTIVE);
	assert_true(h.truncated);
	assert_int_equal(trace_text_parse("# truncated: maybe", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_ERROR);
	assert_int_equal(trace_text_parse("0 R 0x10 0", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_ERROR);
	assert_non_null(strstr(why, "invalid size '0'"));
	assert_int_equal(trace_text_parse("0 R 18446744073709551616", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_ERROR);
	assert_int_equal(trace_text_parse("65535 R 0", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
	assert_int_equal(trace_text_parse("0 RW 0", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
	assert_non_null(strstr(why, "unknown operation 'RW'"));
	assert_int_equal(trace_text_parse("0 R 0x", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
}

/* A truncated trace says so in its flags, and a reader keeps it; an
 * unknown flag is refused. */
static void test_truncated_flag(void **state)
{
	struct trace_header h = { .threads = 2, .truncated = true, .generator = "limit" }, back;
	unsigned char buf[TRACE_FIXED_HEADER + 32];
	uint32_t size, len;
	unsigned version;
	struct ml_error err;

	(void)state;
	assert_int_equal(trace_header_encode(&h, buf), trace_header_size(5));
	assert_int_equal(buf[20], TRACE_FLAG_TRUNCATED);
	assert_int_equal(trace_header_decode_fixed(buf, &back, &size, &len, &version, "t", &err), 0);
	assert_true(back.truncated);
	assert_int_equal(back.gap_unit, TRACE_GAP_CYCLES);
	buf[20] = 4;
	assert_int_equal(trace_header_decode_fixed(buf, &back, &size, &len, &version, "t", &err), -1);
	assert_non_null(strstr(err.msg, "byte 20: unknown flags 0x4"));
}

/* The synchronisation mark and the order kind in the text form: parsed
 * in every form a record may take, written back canonically, and kept
 * through the binary form. */
static void test_text_sync_and_order(void **state)
{
	struct trace_header h = { .order = TRACE_ORDER_REFERENCE };
	struct trace_text_seen seen = { 0 };
	struct trace_record r;
	const char *end;
	char why[160], line[128];
	FILE *fp;

	(void)state;
	assert_int_equal(trace_text_parse("1 A 0x40 4 0 sync", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_RECORD);
	assert_int_equal(r.op, TRACE_RMW | TRACE_SYNC);
	assert_int_equal(trace_op_of(&r), TRACE_RMW);
	assert_true(trace_is_sync(&r));
	assert_int_equal(trace_text_parse("1 r 64 sync # an atomic load", &r, &h, &seen, why, sizeof(why)),
			 TRACE_TEXT_RECORD);
	assert_int_equal(r.op, TRACE_READ | TRACE_SYNC);
	assert_int_equal(r.size, 8);
	assert_int_equal(trace_text_parse("1 W 64 2 sync", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_RECORD);
	assert_int_equal(r.op, TRACE_WRITE | TRACE_SYNC);
	assert_int_equal(r.size, 2);
	assert_int_equal(trace_text_parse("1 W 64 2 7", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_RECORD);
	assert_false(trace_is_sync(&r));
	assert_int_equal(trace_text_parse("1 W 64 2 7 sync now", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
	assert_non_null(strstr(why, "unexpected text 'now' after 'sync'"));
	assert_int_equal(trace_text_parse("1 W 64 2 7 synced", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
	assert_non_null(strstr(why, "unexpected text 'synced'"));
	/* The canonical line, fast. */
	assert_int_equal(trace_text_canonical("3 A 0x1f 4 9 sync\n", &end, &r), 1);
	assert_int_equal(r.op, TRACE_RMW | TRACE_SYNC);
	assert_int_equal(r.gap, 9);
	assert_int_equal(*end, '\n');
	assert_int_equal(trace_text_canonical("3 A 0x1f 4 9\n", &end, &r), 1);
	assert_int_equal(r.op, TRACE_RMW);
	assert_int_equal(trace_text_canonical("3 A 0x1f 4 9 syn\n", &end, &r), 0);
	/* The order kind. */
	assert_false(seen.order);
	assert_int_equal(trace_text_parse("# order: program", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_DIRECTIVE);
	assert_true(seen.order);
	assert_int_equal(h.order, TRACE_ORDER_PROGRAM);
	assert_int_equal(trace_text_parse("# order: random", &r, &h, &seen, why, sizeof(why)), TRACE_TEXT_ERROR);
	assert_non_null(strstr(why, "invalid order 'random' (streams, reference or program)"));
	/* Written back: the mark, and the kind unless it is text's default. */
	fp = tmpfile();
	assert_non_null(fp);
	r = (struct trace_record){ .address = 0x40, .gap = 3, .thread = 1, .op = TRACE_READ | TRACE_SYNC, .size = 4 };
	trace_text_write_record(fp, &r);
	h.generator[0] = '\0';
	trace_text_write_header(fp, &h);
	h.order = TRACE_ORDER_REFERENCE;
	trace_text_write_header(fp, &h);
	rewind(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "1 R 0x40 4 3 sync\n");
	while (fgets(line, sizeof(line), fp) && strncmp(line, "# generator:", 12) != 0)
		if (strncmp(line, "# order:", 8) == 0)
			assert_string_equal(line, "# order: program\n");
	while (fgets(line, sizeof(line), fp))
		assert_null(strstr(line, "# order:"));
	fclose(fp);
}

/* Version 2's header carries the order kind (byte 28); version 1's is
 * read from its generator, and a version 1 program's atomics come out
 * marked as synchronisation records. */
static void test_versions_and_order_kinds(void **state)
{
	struct trace_header h = { .threads = 2, .order = TRACE_ORDER_PROGRAM, .generator = "mesilab-cc: ./prog" }, back;
	struct trace_record recs[3] = {
		{ .address = 0x40, .thread = 0, .op = TRACE_RMW, .size = 4 },
		{ .address = 0x80, .thread = 1, .op = TRACE_WRITE, .size = 4 },
		{ .address = 0x40, .thread = 1, .op = TRACE_READ | TRACE_SYNC, .size = 4 },
	};
	unsigned char buf[TRACE_FIXED_HEADER + 32], rec[TRACE_RECORD_SIZE];
	uint32_t size, len;
	unsigned version;
	struct ml_error err;
	char *path = unit_temp_file("test-trace");
	FILE *fp;
	struct trace_reader *r;
	const struct trace_record *got;

	(void)state;
	size = trace_header_encode(&h, buf);
	assert_int_equal(buf[8], 2);
	assert_int_equal(buf[28], TRACE_ORDER_PROGRAM);
	assert_int_equal(trace_header_decode_fixed(buf, &back, &size, &len, &version, "t", &err), 0);
	assert_int_equal(version, 2);
	assert_int_equal(back.order, TRACE_ORDER_PROGRAM);
	buf[28] = 3;
	assert_int_equal(trace_header_decode_fixed(buf, &back, &size, &len, &version, "t", &err), -1);
	assert_non_null(strstr(err.msg, "t: byte 28: unknown order kind 3"));

	/* Version 1: byte 28 reserved; its records' sync bit unknown. */
	buf[8] = 1;
	assert_int_equal(trace_header_decode_fixed(buf, &back, &size, &len, &version, "t", &err), 0);
	assert_int_equal(version, 1);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	size = trace_header_encode(&h, buf);
	buf[8] = 1;
	buf[28] = 0;
	assert_int_equal(fwrite(buf, 1, size, fp), size);
	for (int i = 0; i < 2; i++) {
		trace_record_encode(&recs[i], rec);
		assert_int_equal(fwrite(rec, 1, sizeof(rec), fp), sizeof(rec));
	}
	fclose(fp);
	r = trace_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(trace_reader_version(r), 1);
	assert_int_equal(trace_reader_header(r)->order, TRACE_ORDER_PROGRAM);
	assert_int_equal(trace_reader_batch(r, &got, &err), 2);
	assert_int_equal(got[0].op, TRACE_RMW | TRACE_SYNC);
	assert_int_equal(got[1].op, TRACE_WRITE);
	trace_reader_close(r);

	/* ... but a version 1 trace knows no sync bit. */
	fp = fopen(path, "ab");
	trace_record_encode(&recs[2], rec);
	assert_int_equal(fwrite(rec, 1, sizeof(rec), fp), sizeof(rec));
	fclose(fp);
	r = trace_reader_open(path, &err);
	assert_non_null(r);
	while (trace_reader_batch(r, &got, &err) > 0)
		;
	assert_non_null(strstr(err.msg, ": byte 96: unknown operation 128"));
	trace_reader_close(r);

	/* Other version 1 traces: an interleaved import is a reference, the
	 * rest streams (the order version 1 replayed them in). */
	snprintf(h.generator, sizeof(h.generator), "mesilab trace import --from interleaved c.txt -o c.trace");
	assert_int_equal(trace_header_v1_order(&h), TRACE_ORDER_REFERENCE);
	snprintf(h.generator, sizeof(h.generator), "mesilab trace falseshare --threads 2");
	assert_int_equal(trace_header_v1_order(&h), TRACE_ORDER_STREAMS);
	unlink(path);
	free(path);
}

/* A trace whose threads come in long runs: thread 0's records, then thread 1's. */
static char *blocked_trace(size_t per_thread, struct trace_record **out)
{
	struct trace_record *recs = xmalloc(2 * per_thread * sizeof(*recs));
	char *path = unit_temp_file("test-trace");

	for (size_t i = 0; i < 2 * per_thread; i++) {
		recs[i] = (struct trace_record){ .address = i, .thread = (uint16_t)(i / per_thread),
						 .op = TRACE_READ, .size = 8 };
	}
	write_trace(path, recs, 2 * per_thread, 2);
	*out = recs;
	return path;
}

/* Alternates between the threads as a simulator would, a loan at a time,
 * checking each thread's program order. Each round's loans are checked
 * once both threads have borrowed: the other's reading and queueing must
 * not have moved a loan's records. */
static void replay_alternating(struct trace_demux *d, const struct trace_record *recs, size_t per_thread)
{
	size_t next[2] = { 0, 0 };
	const struct trace_record *got[2];
	struct ml_error err;

	while (next[0] < per_thread || next[1] < per_thread) {
		ssize_t n[2] = { 0, 0 };

		for (unsigned t = 0; t < 2; t++) {
			if (next[t] < per_thread) {
				n[t] = trace_demux_lend(d, t, &got[t], &err);
				assert_true(n[t] >= 1);
			}
		}
		for (unsigned t = 0; t < 2; t++) {
			for (ssize_t i = 0; i < n[t]; i++) {
				assert_true(next[t] < per_thread);
				assert_same_record(&got[t][i], &recs[t * per_thread + next[t]++]);
			}
		}
	}
	assert_int_equal(trace_demux_lend(d, 0, &got[0], &err), 0);
	assert_int_equal(trace_demux_lend(d, 1, &got[1], &err), 0);
}

static void test_demux_spills_to_cursors(void **state)
{
	const size_t per_thread = 200000;
	struct trace_record *recs;
	char *path = blocked_trace(per_thread, &recs);
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);
	struct trace_demux *d = trace_demux_new(r, 1000);

	(void)state;
	replay_alternating(d, recs, per_thread);
	assert_true(trace_demux_spilled(d));
	trace_demux_free(d);
	trace_reader_close(r);
	unlink(path);
	free(path);
	free(recs);
}

static void test_demux_without_spilling(void **state)
{
	const size_t per_thread = 5000;
	struct trace_record *recs;
	char *path = blocked_trace(per_thread, &recs);
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);
	struct trace_demux *d = trace_demux_new(r, 0);

	(void)state;
	replay_alternating(d, recs, per_thread);
	assert_false(trace_demux_spilled(d));
	trace_demux_free(d);
	trace_reader_close(r);
	unlink(path);
	free(path);
	free(recs);
}

/* From a pipe, the demux spools what is left to a temporary file. */
static void test_demux_from_pipe(void **state)
{
	const size_t per_thread = 200000;
	struct trace_record *recs;
	char *path = blocked_trace(per_thread, &recs);
	struct ml_error err;
	struct trace_reader *r;
	struct trace_demux *d;
	int fds[2], status;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	child = fork();
	if (child == 0) {
		FILE *in = fopen(path, "rb");
		char buf[65536];
		size_t n;

		close(fds[0]);
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (write(fds[1], buf, n) != (ssize_t)n)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	r = trace_reader_open_fd(fds[0], "pipe", &err);
	assert_non_null(r);
	assert_false(trace_reader_seekable(r));
	d = trace_demux_new(r, 1000);
	replay_alternating(d, recs, per_thread);
	assert_true(trace_demux_spilled(d));
	trace_demux_free(d);
	trace_reader_close(r);
	close(fds[0]);
	waitpid(child, &status, 0);
	assert_int_equal(status, 0);
	unlink(path);
	free(path);
	free(recs);
}

/* Following the order: a trace of two threads whose records hold their
 * own index in the file as their address, every seventh a
 * synchronisation record, in long runs of one thread (BLOCKED) or
 * interleaved at random. */
static char *indexed_trace(size_t n, bool blocked, struct trace_record **out)
{
	struct trace_record *recs = xmalloc(n * sizeof(*recs));
	char *path = unit_temp_file("test-trace");
	struct rng rng;

	rng_seed(&rng, 17);
	for (size_t i = 0; i < n; i++)
		recs[i] = (struct trace_record){ .address = i, .size = 8,
						 .thread = (uint16_t)(blocked ? i * 2 / n : rng_below(&rng, 2)),
						 .op = (uint8_t)(i % 7 == 0 ? TRACE_WRITE | TRACE_SYNC : TRACE_READ) };
	write_trace(path, recs, n, 2);
	*out = recs;
	return path;
}

/* Lends as a replay would, alternating threads: each loan's indices are
 * its records' places, and the synchronisation records' threads come in
 * the file's order, each known once a loan reached it. */
static void check_follows(struct trace_demux *d, const struct trace_record *recs, size_t n)
{
	size_t lent[2] = { 0, 0 }, nsync = 0, k = 0;
	uint16_t *sync_threads = xmalloc(n * sizeof(*sync_threads));
	bool more[2] = { true, true };
	struct ml_error err;

	for (size_t i = 0; i < n; i++)
		if (trace_is_sync(&recs[i]))
			sync_threads[nsync++] = recs[i].thread;
	trace_demux_follow_order(d);
	while (more[0] || more[1]) {
		for (unsigned t = 0; t < 2; t++) {
			const struct trace_record *got;
			const uint64_t *index;
			ssize_t got_n;
			int turn;

			if (!more[t])
				continue;
			got_n = trace_demux_lend(d, t, &got, &err);
			assert_true(got_n >= 0);
			more[t] = got_n > 0;
			index = trace_demux_lent_indices(d, t);
			for (ssize_t i = 0; i < got_n; i++) {
				assert_int_equal(index[i], got[i].address);
				assert_int_equal(recs[index[i]].thread, t);
			}
			lent[t] += (size_t)got_n;
			/* Every synchronisation record before the loan's last is known. */
			while ((turn = trace_demux_sync_thread(d, k, &err)) >= 0) {
				assert_true(k < nsync);
				assert_int_equal(turn, sync_threads[k]);
				k++;
			}
			assert_int_equal(turn, -1);
		}
	}
	assert_int_equal(lent[0] + lent[1], n);
	assert_int_equal(k, nsync);
	free(sync_threads);
}

static void follow_file(size_t n, bool blocked, size_t limit, bool spills)
{
	struct trace_record *recs;
	char *path = indexed_trace(n, blocked, &recs);
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);
	struct trace_demux *d = trace_demux_new(r, limit);

	check_follows(d, recs, n);
	assert_int_equal(trace_demux_spilled(d), spills);
	trace_demux_free(d);
	trace_reader_close(r);
	unlink(path);
	free(path);
	free(recs);
}

static void test_demux_follows_order(void **state)
{
	(void)state;
	follow_file(100000, false, 0, false);
}

static void test_demux_follows_order_spilled(void **state)
{
	(void)state;
	follow_file(400000, true, 1000, true);
}

static void test_demux_follows_order_from_pipe(void **state)
{
	const size_t n = 400000;
	struct trace_record *recs;
	char *path = indexed_trace(n, true, &recs);
	struct ml_error err;
	struct trace_reader *r;
	struct trace_demux *d;
	int fds[2], status;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	child = fork();
	if (child == 0) {
		FILE *in = fopen(path, "rb");
		char buf[65536];
		size_t got;

		close(fds[0]);
		while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
			if (write(fds[1], buf, got) != (ssize_t)got)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	r = trace_reader_open_fd(fds[0], "pipe", &err);
	assert_non_null(r);
	d = trace_demux_new(r, 1000);
	check_follows(d, recs, n);
	assert_true(trace_demux_spilled(d));
	trace_demux_free(d);
	trace_reader_close(r);
	close(fds[0]);
	waitpid(child, &status, 0);
	assert_int_equal(status, 0);
	unlink(path);
	free(path);
	free(recs);
}

static void test_line_set(void **state)
{
	struct line_set *exact = line_set_new(1 << 20), *estimated = line_set_new(1000);
	uint64_t n = 300000, count;

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		line_set_add(exact, i * 7);
		line_set_add(exact, i * 7); /* duplicates do not count */
		line_set_add(estimated, i * 7);
	}
	assert_true(line_set_exact(exact));
	assert_int_equal(line_set_count(exact), n);
	assert_false(line_set_exact(estimated));
	count = line_set_count(estimated);
	assert_true(count > n * 97 / 100 && count < n * 103 / 100);
	line_set_free(exact);
	line_set_free(estimated);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_many_batches),
		cmocka_unit_test(test_bad_record_positions),
		cmocka_unit_test(test_summary_matches_portable),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_truncated_flag),
		cmocka_unit_test(test_text_sync_and_order),
		cmocka_unit_test(test_versions_and_order_kinds),
		cmocka_unit_test(test_demux_follows_order),
		cmocka_unit_test(test_demux_follows_order_spilled),
		cmocka_unit_test(test_demux_follows_order_from_pipe),
		cmocka_unit_test(test_demux_spills_to_cursors),
		cmocka_unit_test(test_demux_without_spilling),
		cmocka_unit_test(test_demux_from_pipe),
		cmocka_unit_test(test_line_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
