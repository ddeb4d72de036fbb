/* The chunked format's payload (version 4): random and adversarial
 * streams of one thread's records (huge address jumps, a clock going
 * back, gaps, every op and size, location 0, locations far apart or
 * sharing a slot) come back exactly; a loop costs a few bytes a record,
 * and one whose stamps step evenly one; bad payloads (cut, too long, an
 * 11-byte number, contradictory flags, unknown operation, size 0) are refused with the byte they go wrong at. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace_chunk.h"

#define N 4096

static struct trace_stamped in[N];
static unsigned char payload[N * TRACE_CHUNK_MAX_RECORD_BYTES];
static uint64_t stamps[N];
static struct trace_record out[N];
static uint32_t locs[N];
static struct trace_chunk_state state;

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Encodes IN's N records (locations in the gap when GAP_IS_LOC), decodes
 * them and compares; returns the payload's bytes. */
static size_t round_trip(size_t n, bool gap_is_loc)
{
	struct trace_chunk_header h, back;
	unsigned char bytes[TRACE_CHUNK_HEADER_SIZE];
	size_t len, at = 0;
	enum trace_chunk_fault f;

	assert_int_equal(trace_chunk_encode(in, n, gap_is_loc, payload, sizeof(payload), &h, &state), n);
	len = h.payload;
	assert_int_equal(h.records, n);
	trace_chunk_header_encode(&h, bytes);
	assert_true(trace_chunk_header_decode(bytes, &back));
	assert_false(trace_chunk_is_end(bytes));
	assert_int_equal(back.payload, h.payload);
	assert_int_equal(back.records, h.records);
	assert_int_equal(back.thread, h.thread);
	assert_true(back.stamp == h.stamp);
	assert_int_equal(back.syncs_plus1, h.syncs_plus1);
	{
		uint32_t syncs = 0;

		for (size_t i = 0; i < n; i++)
			syncs += (in[i].rec.op & TRACE_SYNC) != 0;
		assert_int_equal(h.syncs_plus1, trace_chunk_syncs_plus1(syncs));
	}
	f = trace_chunk_decode(payload, &back, stamps, out, locs, &at, &state);
	if (f != TRACE_CHUNK_OK)
		fail_msg("decoding: %s at byte %zu", trace_chunk_fault_text[f], at);
	for (size_t i = 0; i < n; i++) {
		const struct trace_record *r = &in[i].rec;
		uint32_t loc = gap_is_loc ? r->gap : 0, gap = gap_is_loc ? 0 : r->gap;

		if (stamps[i] != in[i].stamp || out[i].address != r->address || out[i].thread != r->thread ||
		    out[i].op != r->op || out[i].size != r->size || out[i].gap != gap || locs[i] != loc)
			fail_msg("record %zu: expected stamp %llu address %#llx thread %u op %u size %u gap %u loc %u, "
				 "got %llu %#llx %u %u %u %u %u", i, (unsigned long long)in[i].stamp,
				 (unsigned long long)r->address, r->thread, r->op, r->size, gap, loc,
				 (unsigned long long)stamps[i], (unsigned long long)out[i].address, out[i].thread,
				 out[i].op, out[i].size, out[i].gap, locs[i]);
	}
	return len;
}

static const uint8_t ops[] = { TRACE_READ, TRACE_WRITE, TRACE_RMW, TRACE_IFETCH, TRACE_RMW | TRACE_SYNC,
			       TRACE_READ | TRACE_SYNC, TRACE_WRITE | TRACE_SYNC, TRACE_IFETCH | TRACE_SYNC };

static void test_random(void **s)
{
	(void)s;
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + next_random() % N;
		uint64_t stamp = next_random();
		bool gap_is_loc = round % 2;

		for (size_t i = 0; i < n; i++) {
			uint64_t x = next_random();

			/* Anything: stamps forward and back by any amount, any
			 * address, location, gap, op and size. */
			stamp += x % 4 == 0 ? next_random() : x % 4 == 1 ? (uint64_t)-(int64_t)(x >> 40) : x >> 50;
			in[i].stamp = stamp;
			in[i].rec = (struct trace_record){ .address = x % 3 ? next_random() : x >> 20,
							   .gap = x % 5 ? (uint32_t)next_random() : 0,
							   .thread = 7,
							   .op = ops[(x >> 8) % sizeof(ops)],
							   .size = (uint8_t)(1 + (x >> 16) % 255) };
		}
		round_trip(n, gap_is_loc);
	}
}

static void test_adversarial(void **s)
{
	static const uint64_t addresses[] = { 0, UINT64_MAX, 1, UINT64_MAX - 1, 0x8000000000000000u, 0x7fffffffffffffffu };
	static const uint32_t far_locs[] = { 0, UINT32_MAX, 1, 256, 512, UINT32_MAX - 255, 0, 3, 4, 0 };
	static const uint64_t stamp_steps[] = { 0, UINT64_MAX, 1, 0x8000000000000000u, 0, 5 };
	uint64_t stamp = UINT64_MAX - 3;

	(void)s;
	for (size_t i = 0; i < 600; i++) {
		stamp += stamp_steps[i % 6];
		in[i].stamp = stamp;
		/* Locations that share a slot (mod 256) or lie 2^32 - 1 apart, at
		 * addresses that jump from end to end of the address space. */
		in[i].rec = (struct trace_record){ .address = addresses[i % 6] + (i / 6) * 8,
						   .gap = far_locs[i % 10],
						   .thread = 65534,
						   .op = ops[i % sizeof(ops)],
						   .size = i % 3 ? 255 : 1 };
	}
	round_trip(600, true);
	round_trip(600, false);
	round_trip(0, true);
	in[0] = (struct trace_stamped){ 0, { .address = 0, .gap = 0, .thread = 0, .op = TRACE_READ, .size = 1 } };
	round_trip(1, true);
}

/* A loop over three arrays (two loads and a store per element, from three
 * places in the code): about two bytes a record, the stamp's and the flags'. */
static void test_loop_is_compact(void **s)
{
	size_t len;

	(void)s;
	for (size_t i = 0; i < N; i++) {
		size_t k = i / 3;

		in[i].stamp = 1000000 + i * 40 + (i % 7);
		in[i].rec = (struct trace_record){ .address = 0x7f0000000000u + (i % 3) * 0x100000 + k * 8,
						   .gap = 100 + (uint32_t)(i % 3),
						   .thread = 1,
						   .op = i % 3 == 2 ? TRACE_WRITE : TRACE_READ,
						   .size = 8 };
	}
	len = round_trip(N, true);
	if (len > 2 * N + 64)
		fail_msg("a loop took %zu bytes for %d records", len, N);
}

/* A loop whose stamps step evenly, as the runtime interpolates those it
 * did not read the clock for, over one array: the flags byte alone. */
static void test_even_steps_cost_no_byte(void **s)
{
	size_t len;

	(void)s;
	for (size_t i = 0; i < N; i++)
		in[i] = (struct trace_stamped){ 5000 + i * 37, { .address = 0x600000 + i * 4, .gap = 9, .thread = 0,
								  .op = TRACE_READ, .size = 4 } };
	len = round_trip(N, true);
	if (len > N + 16)
		fail_msg("%d records stepping evenly took %zu bytes, expected at most %d", N, len, N + 16);
}

/* A loop's records with gaps of their own (the location 0): each record
 * keeps its gap, where the flags byte alone would have lost it. */
static void test_loop_keeps_gaps(void **s)
{
	(void)s;
	for (size_t i = 0; i < N; i++)
		in[i] = (struct trace_stamped){ 5000 + i * 37, { .address = 0x600000 + i * 4, .gap = 1 + (uint32_t)i % 3,
								  .thread = 0, .op = TRACE_READ, .size = 4 } };
	round_trip(N, false);
}

/* Encodes 3 records and returns the payload's length. */
static size_t three(struct trace_chunk_header *h)
{
	for (size_t i = 0; i < 3; i++)
		in[i] = (struct trace_stamped){ 10 + i, { .address = 0x1000 + 64 * i, .gap = 1, .thread = 2,
							  .op = TRACE_WRITE, .size = 4 } };
	assert_int_equal(trace_chunk_encode(in, 3, true, payload, sizeof(payload), h, &state), 3);
	return h->payload;
}

static void expect_fault(const unsigned char *bytes, const struct trace_chunk_header *h,
			 enum trace_chunk_fault expected, size_t expected_at)
{
	size_t at = SIZE_MAX;
	enum trace_chunk_fault f = trace_chunk_decode(bytes, h, stamps, out, locs, &at, &state);

	if (f != expected || at != expected_at)
		fail_msg("expected '%s' at byte %zu, got '%s' at byte %zu", trace_chunk_fault_text[expected],
			 expected_at, trace_chunk_fault_text[f], at);
}

static void test_bad_payload(void **s)
{
	struct trace_chunk_header h, lie;
	size_t len = three(&h);
	unsigned char bad[64];

	(void)s;
	/* Cut: the last byte missing. */
	lie = h;
	lie.payload = (uint32_t)len - 1;
	expect_fault(payload, &lie, TRACE_CHUNK_SHORT, len - 1);
	/* A count that lies: one more record than the payload holds, one less. */
	lie = h;
	lie.records = 4;
	expect_fault(payload, &lie, TRACE_CHUNK_SHORT, len);
	lie.records = 2;
	expect_fault(payload, &lie, TRACE_CHUNK_LEFT_OVER, len - 1); /* the third: its flags alone */
	/* A stamp of 11 bytes. */
	memset(bad, 0x80, sizeof(bad));
	bad[0] = 0x1a; /* op and size follow, location +1 */
	lie = (struct trace_chunk_header){ .payload = sizeof(bad), .records = 1 };
	expect_fault(bad, &lie, TRACE_CHUNK_LONG_VARINT, 11);
	/* A count of synchronisation records that lies (the header's). */
	lie = h;
	lie.syncs_plus1 = 2;
	expect_fault(payload, &lie, TRACE_CHUNK_BAD_SYNCS, 0);
	lie.syncs_plus1 = 0; /* not counted: nothing to check */
	expect_fault(payload, &lie, TRACE_CHUNK_OK, SIZE_MAX);
	/* A stamp that repeats its step and went back. */
	memcpy(bad, payload, len);
	bad[0] |= 0xc0;
	expect_fault(bad, &h, TRACE_CHUNK_BAD_FLAGS, 0);
	/* No op and size where the location has none yet. */
	memcpy(bad, payload, len);
	bad[0] &= (unsigned char)~0x10;
	expect_fault(bad, &h, TRACE_CHUNK_BAD_FLAGS, 0);
	/* An unknown operation, a size of 0: the first record's op is after
	 * its flags (its stamp's step, 0, is the first step: no byte) and its
	 * address (0x1000, zigzagged: a varint of 2 bytes). */
	memcpy(bad, payload, len);
	bad[3] = 0x44;
	expect_fault(bad, &h, TRACE_CHUNK_BAD_OP, 3);
	memcpy(bad, payload, len);
	bad[4] = 0;
	expect_fault(bad, &h, TRACE_CHUNK_SIZE_ZERO, 4);
	/* Not a chunk's tag. */
	{
		unsigned char hb[TRACE_CHUNK_HEADER_SIZE];
		struct trace_chunk_header back;

		trace_chunk_header_encode(&h, hb);
		hb[0] = 'X';
		assert_false(trace_chunk_header_decode(hb, &back));
		trace_chunk_end_encode(8, 2, 0, hb);
		assert_true(trace_chunk_is_end(hb));
		assert_false(trace_chunk_header_decode(hb, &back));
	}
}

/* Room for a few records only: the chunk ends where the next might not
 * fit, and the rest goes in the next chunk. */
static void test_room(void **s)
{
	struct trace_chunk_header h;
	size_t done = 0, chunks = 0;

	(void)s;
	for (size_t i = 0; i < 1000; i++)
		in[i] = (struct trace_stamped){ next_random(), { .address = next_random(), .gap = (uint32_t)next_random(),
								 .thread = 3, .op = TRACE_WRITE, .size = 8 } };
	while (done < 1000) {
		size_t k = trace_chunk_encode(in + done, 1000 - done, false, payload, 4 * TRACE_CHUNK_MAX_RECORD_BYTES,
					      &h, &state);
		size_t at;

		assert_true(k >= 4 && k == h.records && h.payload <= 4 * TRACE_CHUNK_MAX_RECORD_BYTES);
		assert_int_equal(trace_chunk_decode(payload, &h, stamps, out, locs, &at, &state), TRACE_CHUNK_OK);
		for (size_t i = 0; i < k; i++)
			assert_true(out[i].address == in[done + i].rec.address && stamps[i] == in[done + i].stamp);
		done += k;
		chunks++;
	}
	assert_true(chunks > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_adversarial),
		cmocka_unit_test(test_loop_is_compact),
		cmocka_unit_test(test_even_steps_cost_no_byte),
		cmocka_unit_test(test_loop_keeps_gaps),
		cmocka_unit_test(test_bad_payload),
		cmocka_unit_test(test_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
