/* Code locations in a trace (version 3): read back from a file and from a
 * pipe, their table and load map with them; a file that announces them
 * and lacks them, or a location beyond the table, rejected with its byte;
 * a copy through the writer is a plain version 2 trace. */
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

#include "trace_locations.h"
#include "trace_reader.h"
#include "trace_writer.h"
#include "unit_helpers.h"

#define NRECS 3

static const struct trace_record recs[NRECS] = {
	{ .address = 0x1000, .thread = 0, .op = TRACE_WRITE, .size = 8 },
	{ .address = 0x1008, .thread = 1, .op = TRACE_WRITE, .size = 8 },
	{ .address = 0x2000, .thread = 1, .op = TRACE_RMW | TRACE_SYNC, .size = 4 },
};
static const uint32_t locs[NRECS] = { 1, 2, 0 };
static const unsigned char build_id[4] = { 0xde, 0xad, 0xbe, 0xef };

struct bytes {
	unsigned char b[4096];
	size_t n;
};

static void put(void *ctx, const void *data, size_t n)
{
	struct bytes *o = ctx;

	assert_true(o->n + n <= sizeof(o->b));
	memcpy(o->b + o->n, data, n);
	o->n += n;
}

/* A version 3 trace of RECS with LOCS, as the runtime writes one; LAST
 * is the third record's location. */
static struct bytes located_trace(uint32_t last)
{
	struct trace_header h = { .threads = 2, .line_size = 64, .order = TRACE_ORDER_PROGRAM,
				  .locations = true, .generator = "mesilab-cc: ./prog" };
	struct bytes o = { .n = 0 };
	uint64_t marker;

	o.n = trace_header_encode(&h, o.b);
	for (int i = 0; i < NRECS; i++) {
		uint32_t loc = i == NRECS - 1 ? last : locs[i];

		trace_record_encode(&recs[i], o.b + o.n);
		for (int k = 0; k < 4; k++)
			o.b[o.n + 16 + k] = (unsigned char)(loc >> (8 * k));
		o.n += TRACE_LOC_RECORD_SIZE;
	}
	marker = o.n;
	trace_loc_marker(o.b + o.n);
	o.n += TRACE_LOC_RECORD_SIZE;
	trace_loc_put_counts(put, &o, 2, 1);
	trace_loc_put_pc(put, &o, 0x401234);
	trace_loc_put_pc(put, &o, 0x401240);
	trace_loc_put_module(put, &o, 0, 0x400000, 0x402000, "/usr/bin/prog", build_id, sizeof(build_id));
	/* A block freed and its address taken again by another location;
	 * thread 2's stack. */
	trace_loc_put_blocks(put, &o, 4, 0);
	trace_loc_put_block(put, &o, 0x9000, 64, 2, 1, TRACE_BLOCK_HEAP);
	trace_loc_put_block(put, &o, 0x8000, 16, 1, 0, TRACE_BLOCK_HEAP);
	trace_loc_put_block(put, &o, 0x8000, 32, 2, 1, TRACE_BLOCK_HEAP);
	trace_loc_put_block(put, &o, 0x7f0000, 0x10000, 0, 2, TRACE_BLOCK_STACK);
	trace_loc_put_footer(put, &o, marker);
	return o;
}

static char *write_bytes(const struct bytes *o, size_t n)
{
	char *path = unit_temp_file("test-locations");
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(o->b, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void expect_records(struct trace_reader *r)
{
	const struct trace_record *got;
	struct ml_error err;
	size_t seen = 0;
	ssize_t n;

	while ((n = trace_reader_batch(r, &got, &err)) > 0) {
		const uint32_t *l = trace_reader_locs(r);

		assert_non_null(l);
		for (ssize_t i = 0; i < n; i++, seen++) {
			assert_true(seen < NRECS);
			assert_int_equal(got[i].address, recs[seen].address);
			assert_int_equal(got[i].op, recs[seen].op);
			assert_int_equal(l[i], locs[seen]);
		}
	}
	if (n < 0)
		fail_msg("reading: %s", err.msg);
	assert_int_equal(seen, NRECS);
}

static void test_file(void **state)
{
	struct bytes o = located_trace(locs[NRECS - 1]);
	char *path = write_bytes(&o, o.n);
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);
	const struct trace_locations *l;
	const struct trace_block *block;

	(void)state;
	if (!r)
		fail_msg("open: %s", err.msg);
	assert_int_equal(trace_reader_version(r), 3);
	assert_true(trace_reader_header(r)->locations);
	l = trace_reader_locations(r);
	assert_non_null(l);
	assert_int_equal(l->npcs, 2);
	assert_int_equal(l->pcs[1], 0x401240);
	assert_int_equal(l->nmodules, 1);
	assert_string_equal(l->modules[0].path, "/usr/bin/prog");
	assert_int_equal(l->modules[0].build_id_len, 4);
	assert_ptr_equal(trace_locations_module(l, 0x401240), &l->modules[0]);
	assert_null(trace_locations_module(l, 0x402000));
	/* The blocks in address order; both of 0x8000 hold 0x8008, one 0x8018. */
	assert_int_equal(l->nblocks, 4);
	assert_int_equal(l->blocks[2].address, 0x9000);
	assert_int_equal(l->blocks[2].kind, TRACE_BLOCK_HEAP);
	assert_int_equal(trace_locations_blocks(l, 0x7f8000, &block), 1);
	assert_int_equal(block[0].kind, TRACE_BLOCK_STACK);
	assert_int_equal(block[0].thread, 2);
	assert_int_equal(trace_locations_blocks(l, 0x8008, &block), 2);
	assert_int_equal(block[0].address, 0x8000);
	assert_int_equal(trace_locations_blocks(l, 0x8018, &block), 2);
	assert_int_equal(trace_locations_blocks(l, 0x8030, &block), 0);
	assert_int_equal(trace_locations_blocks(l, 0x7fff, &block), 0);
	assert_int_equal(trace_locations_blocks(l, 0x903f, &block), 1);
	assert_int_equal(block[0].loc, 2);
	expect_records(r);
	trace_reader_close(r);
	unlink(path);
	free(path);
}

/* A pipe: the records stop at the marker; the table, after them, is not read. */
static void test_pipe(void **state)
{
	struct bytes o = located_trace(locs[NRECS - 1]);
	struct ml_error err;
	struct trace_reader *r;
	int fds[2], status;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	child = fork();
	if (child == 0) {
		close(fds[0]);
		_exit(write(fds[1], o.b, o.n) == (ssize_t)o.n ? 0 : 1);
	}
	close(fds[1]);
	r = trace_reader_open_fd(fds[0], "pipe", &err);
	if (!r)
		fail_msg("open: %s", err.msg);
	assert_null(trace_reader_locations(r));
	expect_records(r);
	trace_reader_close(r);
	close(fds[0]);
	waitpid(child, &status, 0);
	assert_int_equal(status, 0);
}

static void expect_refused(const struct bytes *o, size_t n, const char *message)
{
	char *path = write_bytes(o, n);
	struct ml_error err = { "" };
	struct trace_reader *r = trace_reader_open(path, &err);
	const struct trace_record *got;

	if (r) {
		while (trace_reader_batch(r, &got, &err) > 0)
			;
		trace_reader_close(r);
	}
	if (!strstr(err.msg, message))
		fail_msg("expected '%s', got '%s'", message, err.msg);
	unlink(path);
	free(path);
}

static void test_refused(void **state)
{
	struct bytes o = located_trace(3);
	size_t header = trace_header_size(strlen("mesilab-cc: ./prog"));
	char at[64];

	(void)state;
	/* The third record's location field. */
	snprintf(at, sizeof(at), "byte %zu: code location 3 beyond the trace's 2",
		 header + 2 * TRACE_LOC_RECORD_SIZE + 16);
	expect_refused(&o, o.n, at);
	o = located_trace(1);
	expect_refused(&o, o.n - 1, "does not end with their footer (a cut file? it ends at byte");
	/* Cut after the records: no marker, no footer. */
	expect_refused(&o, header + 3 * TRACE_LOC_RECORD_SIZE, "does not end with their footer");
	o.b[o.n - 16] ^= 4; /* the footer points elsewhere */
	expect_refused(&o, o.n, "where no code locations start");
}

/* The writer writes 16-byte records: a copy of a located trace is version 2. */
static void test_copy_is_plain(void **state)
{
	struct bytes o = located_trace(locs[NRECS - 1]);
	char *path = write_bytes(&o, o.n), *copy = unit_temp_file("test-locations-copy");
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);
	struct trace_writer *w;
	const struct trace_record *got;
	ssize_t n;

	(void)state;
	assert_non_null(r);
	w = trace_writer_open(copy, trace_reader_header(r), &err);
	assert_non_null(w);
	while ((n = trace_reader_batch(r, &got, &err)) > 0)
		trace_writer_add_many(w, got, (size_t)n);
	assert_int_equal(trace_writer_close(w, &err), 0);
	trace_reader_close(r);
	r = trace_reader_open(copy, &err);
	assert_non_null(r);
	assert_int_equal(trace_reader_version(r), 2);
	assert_false(trace_reader_header(r)->locations);
	assert_int_equal(trace_reader_batch(r, &got, &err), NRECS);
	assert_null(trace_reader_locs(r));
	trace_reader_close(r);
	unlink(path);
	unlink(copy);
	free(path);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_copy_is_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
