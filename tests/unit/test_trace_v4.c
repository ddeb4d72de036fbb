/* Chunked traces (version 4) read back: the same records, locations and
 * indices, in the same order, as the version 3 trace the runtime's merge
 * makes of the same recording (threads merged by stamp, ties to the lower
 * thread; clocks that go back on a thread; a record limit), through the
 * reader, its cursors and the demux that replays thread by thread;
 * malformed files (cut, a count of records or of synchronisation records
 * that lies, a payload overrunning its
 * chunk, an 11-byte number, a thread beyond the header's, a pipe) are
 * refused with the file's name and the byte. */
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

#include "trace_chunk.h"
#include "trace_demux.h"
#include "trace_locations.h"
#include "trace_reader.h"
#include "unit_helpers.h"

#define MAX_THREADS 5
#define MAX_RECS 20000
#define NPCS 40

static uint64_t rng = 88172645463325252u;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* One recording: each thread's records in its order, as the runtime
 * buffers them (the location, its own number, in the gap). */
struct recording {
	unsigned threads;
	struct trace_stamped rec[MAX_THREADS][MAX_RECS];
	size_t n[MAX_THREADS];
	uint32_t remap[MAX_THREADS][NPCS]; /* a thread's location i is the trace's remap[i - 1] */
	uint32_t nremap[MAX_THREADS];
	uint64_t limit;
};

static struct recording rec;

static void record_some(unsigned threads, uint64_t limit)
{
	rec.threads = threads;
	rec.limit = limit;
	for (unsigned t = 0; t < threads; t++) {
		uint64_t stamp = next_random() % 1000;

		rec.nremap[t] = 1 + (uint32_t)(next_random() % NPCS);
		for (uint32_t i = 0; i < rec.nremap[t]; i++)
			rec.remap[t][i] = 1 + (uint32_t)(next_random() % NPCS);
		rec.n[t] = next_random() % MAX_RECS;
		for (size_t i = 0; i < rec.n[t]; i++) {
			uint64_t x = next_random();
			uint32_t loc = (uint32_t)(x % (rec.nremap[t] + 1));

			/* Small steps, so that threads tie; now and then back. */
			stamp = x % 97 == 0 ? stamp - x % 50 : stamp + x % 4;
			rec.rec[t][i] = (struct trace_stamped){ stamp, { .address = 0x10000 + (x >> 20) % 4096 * 8,
									.gap = loc, .thread = (uint16_t)t,
									.op = (uint8_t)((x >> 8) % 4 | (x % 13 == 0 ? TRACE_SYNC : 0)),
									.size = (uint8_t)(1 << (x >> 12) % 4) } };
		}
	}
}

struct bytes {
	unsigned char *b;
	size_t n, cap;
};

static void put(void *ctx, const void *data, size_t n)
{
	struct bytes *o = ctx;

	if (o->n + n > o->cap) {
		o->cap = 2 * (o->n + n);
		o->b = realloc(o->b, o->cap);
		assert_non_null(o->b);
	}
	memcpy(o->b + o->n, data, n);
	o->n += n;
}

static void put_u32(struct bytes *o, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	put(o, b, 4);
}

static void put_locations(struct bytes *o, uint64_t marker)
{
	unsigned char m[TRACE_LOC_RECORD_SIZE];

	trace_loc_marker(m);
	put(o, m, sizeof(m));
	trace_loc_put_counts(put, o, NPCS, 0);
	for (uint32_t i = 0; i < NPCS; i++)
		trace_loc_put_pc(put, o, 0x400000 + 16 * i);
	trace_loc_put_blocks(put, o, 0, 0);
	trace_loc_put_footer(put, o, marker);
}

static bool with_locations = true;

static struct trace_header header(void)
{
	/* A limit cuts the records: the runtime marks the trace truncated. */
	struct trace_header h = { .threads = rec.threads, .line_size = 64, .order = TRACE_ORDER_PROGRAM,
				  .locations = with_locations, .truncated = rec.limit != 0,
				  .generator = "mesilab-cc: ./prog" };

	return h;
}

/* The merged order: each thread's next record, the lowest stamp first
 * (ties: the lower thread), as the runtime's merge takes them. Calls
 * EACH for each record, the trace's location with it. */
static void merged(void (*each)(void *ctx, const struct trace_record *r, uint32_t loc), void *ctx)
{
	size_t at[MAX_THREADS] = { 0 };
	uint64_t taken = 0;

	while (rec.limit == 0 || taken < rec.limit) {
		int best = -1;

		for (unsigned t = 0; t < rec.threads; t++)
			if (at[t] < rec.n[t] && (best < 0 || rec.rec[t][at[t]].stamp < rec.rec[best][at[best]].stamp))
				best = (int)t;
		if (best < 0)
			return;
		{
			struct trace_record r = rec.rec[best][at[best]++].rec;
			uint32_t loc = r.gap ? rec.remap[best][r.gap - 1] : 0;

			r.gap = 0;
			each(ctx, &r, loc);
			taken++;
		}
	}
}

static void put_v3_record(void *ctx, const struct trace_record *r, uint32_t loc)
{
	unsigned char b[TRACE_RECORD_SIZE];

	trace_record_encode(r, b);
	put(ctx, b, sizeof(b));
	put_u32(ctx, loc);
}

static struct bytes v3_file(void)
{
	struct trace_header h = header();
	struct bytes o = { 0 };
	unsigned char hb[TRACE_FIXED_HEADER + TRACE_MAX_GENERATOR + 16];
	uint64_t marker;

	put(&o, hb, trace_header_encode(&h, hb));
	merged(put_v3_record, &o);
	marker = o.n;
	put_locations(&o, marker);
	return o;
}

/* The chunks of all threads, each thread's cut at random, interleaved at
 * random. */
/* Whether v4_file's chunks leave their synchronisation records uncounted,
 * as the first writers of version 4 did. */
static bool uncounted_syncs;

static struct bytes v4_file(void)
{
	static unsigned char payload[MAX_RECS * TRACE_CHUNK_MAX_RECORD_BYTES];
	static struct trace_chunk_state scratch;
	struct trace_header h = header();
	struct bytes o = { 0 };
	unsigned char hb[TRACE_FIXED_HEADER + TRACE_MAX_GENERATOR + 16], cb[TRACE_CHUNK_HEADER_SIZE];
	size_t at[MAX_THREADS] = { 0 }, left = 0;
	uint32_t map_bytes = 0;
	uint64_t marker;

	/* Room for a longer generator, as the runtime reserves. */
	trace_chunk_trace_header(&h, trace_header_size((uint32_t)strlen(h.generator)) + 64, hb);
	put(&o, hb, trace_header_size((uint32_t)strlen(h.generator)) + 64);
	for (unsigned t = 0; t < rec.threads; t++)
		left += rec.n[t];
	while (left > 0) {
		unsigned t = (unsigned)(next_random() % rec.threads);
		size_t n = 1 + next_random() % 3000;
		struct trace_chunk_header ch;

		n = n < rec.n[t] - at[t] ? n : rec.n[t] - at[t];
		if (n == 0)
			continue;
		assert_int_equal(trace_chunk_encode(&rec.rec[t][at[t]], n, true, payload, sizeof(payload), &ch, &scratch), n);
		if (uncounted_syncs)
			ch.syncs_plus1 = 0;
		trace_chunk_header_encode(&ch, cb);
		put(&o, cb, sizeof(cb));
		put(&o, payload, ch.payload);
		at[t] += n;
		left -= n;
	}
	for (unsigned t = 0; t < rec.threads; t++)
		map_bytes += 4 + 4 * (with_locations ? rec.nremap[t] : 0);
	trace_chunk_end_encode(map_bytes, rec.threads, rec.limit, cb);
	put(&o, cb, sizeof(cb));
	for (unsigned t = 0; t < rec.threads; t++) {
		put_u32(&o, with_locations ? rec.nremap[t] : 0);
		for (uint32_t i = 0; with_locations && i < rec.nremap[t]; i++)
			put_u32(&o, rec.remap[t][i]);
	}
	marker = o.n;
	if (with_locations)
		put_locations(&o, marker);
	return o;
}

static char *write_bytes(const struct bytes *o, size_t n)
{
	char *path = unit_temp_file("test-v4");
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(o->b, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* Everything a reader gives: records and locations. */
struct seen {
	struct trace_record *r;
	uint32_t *loc;
	uint64_t *index;
	size_t n, cap;
};

static void seen_add(struct seen *s, const struct trace_record *r, uint32_t loc, uint64_t index)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->r = realloc(s->r, s->cap * sizeof(*s->r));
		s->loc = realloc(s->loc, s->cap * sizeof(*s->loc));
		s->index = realloc(s->index, s->cap * sizeof(*s->index));
	}
	s->r[s->n] = *r;
	s->loc[s->n] = loc;
	s->index[s->n++] = index;
}

static void seen_free(struct seen *s)
{
	free(s->r);
	free(s->loc);
	free(s->index);
}

static void read_all(struct trace_reader *r, struct seen *s)
{
	const struct trace_record *recs;
	struct ml_error err;
	ssize_t n;

	while ((n = trace_reader_batch(r, &recs, &err)) > 0) {
		const uint32_t *l = trace_reader_locs(r);
		const uint64_t *ix = trace_reader_indices(r);

		for (ssize_t i = 0; i < n; i++)
			seen_add(s, &recs[i], l ? l[i] : UINT32_MAX, ix ? ix[i] : 0);
	}
	if (n < 0)
		fail_msg("reading: %s", err.msg);
}

/* A: version 3's (or what is expected), B: version 4's (or what came). */
static void expect_same(const struct seen *a, const struct seen *b, const char *what)
{
	if (a->n != b->n)
		fail_msg("%s: %zu records in version 3, %zu in version 4", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(&a->r[i], &b->r[i], sizeof(a->r[i])) != 0 || a->loc[i] != b->loc[i] ||
		    a->index[i] != b->index[i])
			fail_msg("%s: record %zu: version 3 has thread %u %#llx op %u size %u loc %u index %llu, "
				 "version 4 thread %u %#llx op %u size %u loc %u index %llu", what, i, a->r[i].thread,
				 (unsigned long long)a->r[i].address, a->r[i].op, a->r[i].size, a->loc[i],
				 (unsigned long long)a->index[i], b->r[i].thread, (unsigned long long)b->r[i].address,
				 b->r[i].op, b->r[i].size, b->loc[i], (unsigned long long)b->index[i]);
}

/* S's records (every thread's from one place of the file on, each
 * thread's in its order) with their order keys made the indices in the
 * file they stand for, from FIRST: the records' order by key, then by
 * thread, then by their place in S (trace_reader_indices). A version 3
 * trace's keys are the indices already. */
static const struct seen *sort_by_key_of;

static int by_key(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct seen *s = sort_by_key_of;

	if (s->index[x] != s->index[y])
		return s->index[x] < s->index[y] ? -1 : 1;
	if (s->r[x].thread != s->r[y].thread)
		return s->r[x].thread < s->r[y].thread ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void keys_to_indices(struct seen *s, uint64_t first)
{
	size_t *order, n = s->n;
	uint64_t *index;

	if (n == 0)
		return;
	order = malloc(n * sizeof(*order));
	index = malloc(n * sizeof(*index));

	assert_non_null(order);
	assert_non_null(index);
	for (size_t i = 0; i < s->n; i++)
		order[i] = i;
	sort_by_key_of = s;
	qsort(order, s->n, sizeof(*order), by_key);
	for (size_t k = 0; k < s->n; k++)
		index[order[k]] = first + k;
	memcpy(s->index, index, s->n * sizeof(*index));
	free(index);
	free(order);
}

static struct trace_reader *open_ok(const char *path)
{
	struct ml_error err;
	struct trace_reader *r = trace_reader_open(path, &err);

	if (!r)
		fail_msg("open %s: %s", path, err.msg);
	return r;
}

static void watch_nothing(void *ctx, const struct trace_record *recs, size_t n, uint64_t first)
{
	(void)ctx;
	(void)recs;
	(void)n;
	(void)first;
}

/* Reads PATH's records whole, then per thread through cursors from the
 * start; and, after a first batch (of a size of the version's), through
 * cursors from there, which must give the rest of the whole. */
static void read_ways(const char *path, struct seen *all, struct seen *per_thread)
{
	struct trace_reader *r = open_ok(path), *c;
	const struct trace_record *recs;
	struct seen rest = { 0 }, expected = { 0 };
	struct ml_error err;
	ssize_t n;

	read_all(r, all);
	trace_reader_close(r);
	r = open_ok(path);
	for (unsigned t = 0; t < rec.threads; t++) {
		c = trace_reader_cursor(r, trace_reader_offset(r), t, 100);
		read_all(c, per_thread);
		trace_reader_close(c);
	}
	n = trace_reader_batch(r, &recs, &err);
	assert_true(n >= 0);
	c = trace_reader_cursor_all(r, trace_reader_offset(r), 64);
	read_all(c, &rest);
	trace_reader_close(c);
	for (size_t i = (size_t)n; i < all->n; i++)
		seen_add(&expected, &all->r[i], all->loc[i], 0);
	expect_same(&expected, &rest, "from a batch on");
	seen_free(&rest);
	seen_free(&expected);
	memset(&rest, 0, sizeof(rest));
	memset(&expected, 0, sizeof(expected));
	for (unsigned t = 0; t < rec.threads; t++) {
		c = trace_reader_cursor(r, trace_reader_offset(r), t, 77);
		trace_reader_follow(c, watch_nothing, NULL);
		read_all(c, &rest);
		trace_reader_close(c);
		for (size_t i = (size_t)n; i < all->n; i++)
			if (all->r[i].thread == t)
				seen_add(&expected, &all->r[i], all->loc[i], i);
	}
	keys_to_indices(&rest, (uint64_t)n);
	expect_same(&expected, &rest, "a thread's, following the order");
	seen_free(&rest);
	seen_free(&expected);
	trace_reader_close(r);
}

/* The demux lends each thread's records in order (spilling to cursors
 * past a small limit), each with its order key, which stands for its
 * index in the file: S gets thread 0's, then thread 1's..., with those
 * indices. */
static void demux_all(const char *path, struct seen *s)
{
	struct trace_reader *r = open_ok(path);
	struct trace_demux *d = trace_demux_new(r, 100);
	struct seen per[MAX_THREADS] = { 0 };
	struct ml_error err;
	bool any = true;

	trace_demux_follow_order(d);
	while (any) {
		any = false;
		for (unsigned t = 0; t < rec.threads; t++) {
			const struct trace_record *recs;
			ssize_t n = trace_demux_lend(d, t, &recs, &err);
			const uint64_t *ix;

			if (n < 0)
				fail_msg("demux: %s", err.msg);
			ix = n > 0 ? trace_demux_lent_indices(d, t) : NULL;
			for (ssize_t i = 0; i < n; i++)
				seen_add(&per[t], &recs[i], 0, ix[i]);
			any |= n > 0;
		}
	}
	for (unsigned t = 0; t < rec.threads; t++) {
		for (size_t i = 0; i < per[t].n; i++)
			seen_add(s, &per[t].r[i], 0, per[t].index[i]);
		seen_free(&per[t]);
	}
	keys_to_indices(s, 0);
	trace_demux_free(d);
	trace_reader_close(r);
}

static void compare_versions(unsigned threads, uint64_t limit)
{
	struct bytes b3, b4;
	char *p3, *p4;
	struct seen s3[3] = { 0 }, s4[3] = { 0 };
	static const char *const ways[3] = { "whole", "per thread", "demux" };

	record_some(threads, limit);
	b3 = v3_file();
	b4 = v4_file();
	p3 = write_bytes(&b3, b3.n);
	p4 = write_bytes(&b4, b4.n);
	{
		struct trace_reader *r = open_ok(p4);

		assert_int_equal(trace_reader_version(r), 4);
		assert_int_equal(trace_reader_header(r)->threads, threads);
		assert_non_null(trace_reader_locations(r));
		assert_int_equal(trace_reader_locations(r)->npcs, NPCS);
		trace_reader_close(r);
	}
	read_ways(p3, &s3[0], &s3[1]);
	read_ways(p4, &s4[0], &s4[1]);
	demux_all(p3, &s3[2]);
	demux_all(p4, &s4[2]);
	for (int w = 0; w < 3; w++) {
		expect_same(&s3[w], &s4[w], ways[w]);
		seen_free(&s3[w]);
		seen_free(&s4[w]);
	}
	unlink(p3);
	unlink(p4);
	free(p3);
	free(p4);
	free(b3.b);
	free(b4.b);
}

static void test_same_as_v3(void **state)
{
	(void)state;
	for (int round = 0; round < 6; round++)
		compare_versions(1 + (unsigned)(next_random() % MAX_THREADS), 0);
	/* Two threads: the merge's own path. */
	compare_versions(2, 0);
}

static void test_limit(void **state)
{
	(void)state;
	compare_versions(3, 1234);
	compare_versions(2, 1);
}

/* Chunks that do not count their synchronisation records: the demux's
 * cursors merge every thread's chunks, as before the count. */
static void test_uncounted_syncs(void **state)
{
	(void)state;
	uncounted_syncs = true;
	compare_versions(3, 0);
	compare_versions(2, 0);
	uncounted_syncs = false;
}

static void expect_refused(const struct bytes *o, size_t n, const char *message)
{
	char *path = write_bytes(o, n);
	struct ml_error err = { "" };
	struct trace_reader *r = trace_reader_open(path, &err);
	const struct trace_record *got;
	ssize_t got_n = 0;

	if (r) {
		while ((got_n = trace_reader_batch(r, &got, &err)) > 0)
			;
		trace_reader_close(r);
	}
	if (got_n == 0 && r)
		fail_msg("expected '%s', the file was read whole", message);
	if (!strstr(err.msg, message) || !strstr(err.msg, path))
		fail_msg("expected '%s: ...%s', got '%s'", path, message, err.msg);
	unlink(path);
	free(path);
}

/* A copy of O with the 4 bytes at AT set to V. */
static struct bytes patched(const struct bytes *o, size_t at, uint32_t v)
{
	struct bytes p = { malloc(o->n), o->n, o->n };

	assert_non_null(p.b);
	memcpy(p.b, o->b, o->n);
	for (int i = 0; i < 4; i++)
		p.b[at + (size_t)i] = (unsigned char)(v >> (8 * i));
	return p;
}

static void test_refused(void **state)
{
	size_t first; /* the first chunk's header */
	struct bytes o, p;
	char at[96];
	uint32_t payload;

	(void)state;
	with_locations = false;
	record_some(2, 0);
	rec.n[0] = rec.n[1] = 500;
	o = v4_file();
	with_locations = true;
	first = trace_header_size((uint32_t)strlen("mesilab-cc: ./prog")) + 64;
	payload = (uint32_t)(o.b[first + 4] | o.b[first + 5] << 8 | o.b[first + 6] << 16);
	/* Cut inside a chunk, and before the end record. */
	snprintf(at, sizeof(at), "byte %zu: a chunk's payload of %u bytes runs past", first + 4, payload);
	expect_refused(&o, first + 30, at);
	expect_refused(&o, o.n - 24 - 8, "without their end record"); /* its map: 2 threads of none */
	/* A count that lies (one more record than its payload holds). */
	p = patched(&o, first + 8, (uint32_t)(o.b[first + 8] | o.b[first + 9] << 8) + 1);
	snprintf(at, sizeof(at), "byte %zu: the chunk's payload ends inside a record", first + 24 + payload);
	expect_refused(&p, p.n, at);
	free(p.b);
	/* A payload overrunning its chunk into the next. */
	p = patched(&o, first + 4, payload + 3);
	expect_refused(&p, p.n, "byte");
	free(p.b);
	/* A thread beyond the header's. */
	p = patched(&o, first + 12, 9);
	snprintf(at, sizeof(at), "byte %zu: a chunk of thread 9 beyond the header's 2 threads", first + 12);
	expect_refused(&p, p.n, at);
	free(p.b);
	/* A stamp of 11 bytes. */
	p = patched(&o, first + 25, 0x80808080);
	memset(p.b + first + 29, 0x80, 8);
	snprintf(at, sizeof(at), "byte %zu: a number longer than 10 bytes", first + 24 + 11);
	expect_refused(&p, p.n, at);
	free(p.b);
	/* An end record's limit that cuts the records of a trace not said to
	 * be truncated, and one beyond the records. */
	p = patched(&o, o.n - 8 - 24 + 16, 5); /* the end record, then its map of 2 threads of none */
	snprintf(at, sizeof(at), "byte %zu: the end record cuts the records at 5 of 1000, but the header does not say",
		 o.n - 8 - 24);
	expect_refused(&p, p.n, at);
	free(p.b);
	p = patched(&o, o.n - 8 - 24 + 16, 5000);
	snprintf(at, sizeof(at), "byte %zu: the end record cuts the records at 5000 of 1000, more than", o.n - 8 - 24);
	expect_refused(&p, p.n, at);
	free(p.b);
	/* A count of synchronisation records that lies, said at the count. */
	p = patched(&o, first, 0x4b434c4d); /* "MLCK" as it is */
	p.b[first + 14] = (unsigned char)(p.b[first + 14] + 1);
	p.b[first + 15] = 0;
	snprintf(at, sizeof(at), "byte %zu: the chunk's count of synchronisation records is not its records' (it says ",
		 first + 14);
	expect_refused(&p, p.n, at);
	free(p.b);
	/* Not a chunk at all. */
	p = patched(&o, first, 0x4b43584d);
	snprintf(at, sizeof(at), "byte %zu: neither a chunk of records nor their end", first);
	expect_refused(&p, p.n, at);
	free(p.b);
	free(o.b);
}

/* A chunked trace cannot be merged from a pipe: said, not misread. */
static void test_pipe_refused(void **state)
{
	struct bytes o;
	struct ml_error err;
	struct trace_reader *r;
	int fds[2], status;
	pid_t child;

	(void)state;
	record_some(2, 0);
	rec.n[0] = rec.n[1] = 10;
	o = v4_file();
	assert_int_equal(pipe(fds), 0);
	child = fork();
	if (child == 0) {
		close(fds[0]);
		_exit(write(fds[1], o.b, o.n) == (ssize_t)o.n ? 0 : 1);
	}
	close(fds[1]);
	r = trace_reader_open_fd(fds[0], "pipe", &err);
	assert_null(r);
	if (!strstr(err.msg, "pipe: a chunked trace (version 4) is read by seeking in it") ||
	    !strstr(err.msg, "give a file, not a pipe"))
		fail_msg("got '%s'", err.msg);
	close(fds[0]);
	waitpid(child, &status, 0);
	free(o.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_v3),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_uncounted_syncs),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pipe_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
