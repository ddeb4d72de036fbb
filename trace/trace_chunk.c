#include <config.h>

#include <string.h>

#include "compiler.h"
#include "trace_chunk.h"

enum {
	F_PREDICTED = 1u << 0,
	F_LOC_SHIFT = 1,
	F_LOC_MASK = 7u << 1,
	F_LOC_EXPLICIT = 7,
	F_OPSIZE = 1u << 4,
	F_GAP = 1u << 5,
	F_STAMP_BACK = 1u << 6,
	F_STEP = 1u << 7,
	F_KNOWN = F_PREDICTED | F_LOC_MASK | F_OPSIZE | F_GAP | F_STAMP_BACK | F_STEP
};
#define LOC_NEAR 3 /* the location's difference the flags hold */
#define VARINT_MAX 10

const char *const trace_chunk_fault_text[TRACE_CHUNK_NFAULTS] = {
	[TRACE_CHUNK_OK] = "no fault",
	[TRACE_CHUNK_SHORT] = "the chunk's payload ends inside a record",
	[TRACE_CHUNK_LEFT_OVER] = "the chunk's payload goes on after its count of records",
	[TRACE_CHUNK_LONG_VARINT] = "a number longer than 10 bytes",
	[TRACE_CHUNK_BAD_FLAGS] = "a record's flags byte contradicts itself (a repeated stamp step that went back) or its location (no operation where the location has none yet)",
	[TRACE_CHUNK_BAD_OP] = "unknown operation",
	[TRACE_CHUNK_SIZE_ZERO] = "access size 0",
	[TRACE_CHUNK_BIG_GAP] = "a gap beyond 32 bits",
	[TRACE_CHUNK_BAD_SYNCS] = "the chunk's count of synchronisation records is not its records'",
};

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void trace_chunk_trace_header(const struct trace_header *h, uint32_t size, unsigned char *out)
{
	uint32_t used = trace_header_encode(h, out);

	memset(out + used, 0, size - used);
	put_le(out + 8, TRACE_CHUNKED_VERSION, 2);
	put_le(out + 10, size, 2);
}

void trace_chunk_header_encode(const struct trace_chunk_header *h, unsigned char out[TRACE_CHUNK_HEADER_SIZE])
{
	memcpy(out, TRACE_CHUNK_TAG, 4);
	put_le(out + 4, h->payload, 4);
	put_le(out + 8, h->records, 4);
	put_le(out + 12, h->thread, 2);
	put_le(out + 14, h->syncs_plus1, 2);
	put_le(out + 16, h->stamp, 8);
}

bool trace_chunk_header_decode(const unsigned char in[TRACE_CHUNK_HEADER_SIZE], struct trace_chunk_header *h)
{
	if (memcmp(in, TRACE_CHUNK_TAG, 4) != 0)
		return false;
	h->syncs_plus1 = (uint16_t)get_le(in + 14, 2);
	h->payload = (uint32_t)get_le(in + 4, 4);
	h->records = (uint32_t)get_le(in + 8, 4);
	h->thread = (uint16_t)get_le(in + 12, 2);
	h->stamp = get_le(in + 16, 8);
	return true;
}

void trace_chunk_end_encode(uint32_t map_bytes, uint32_t threads, uint64_t limit,
			    unsigned char out[TRACE_CHUNK_HEADER_SIZE])
{
	memcpy(out, TRACE_CHUNK_END_TAG, 4);
	put_le(out + 4, map_bytes, 4);
	put_le(out + 8, threads, 4);
	put_le(out + 12, 0, 4);
	put_le(out + 16, limit, 8);
}

bool trace_chunk_is_end(const unsigned char in[TRACE_CHUNK_HEADER_SIZE])
{
	return memcmp(in, TRACE_CHUNK_END_TAG, 4) == 0;
}

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static uint64_t zigzag(uint64_t difference)
{
	return difference << 1 ^ (uint64_t)-(difference >> 63);
}

static uint64_t unzigzag(uint64_t v)
{
	return v >> 1 ^ (uint64_t)-(v & 1);
}

static void state_reset(struct trace_chunk_state *s)
{
	memset(s->slot, 0, sizeof(s->slot));
}

/* A slot's key: the location plus 1 (0: no location's yet), its op and
 * size, so that one comparison says both whether the location is the
 * slot's and whether its op and size repeat. */
static uint64_t slot_key(uint32_t loc, unsigned op, unsigned size)
{
	return ((uint64_t)loc + 1) | (uint64_t)(op | size << 8) << 32;
}

static bool slot_is(const struct trace_chunk_slot *slot, uint32_t loc)
{
	return (uint32_t)slot->key == loc + 1;
}

/* What encode carries from record to record: where it writes, the last
 * record's stamp, step, address and location. */
struct encode_state {
	unsigned char *p;
	uint64_t stamp, step, last_address;
	uint32_t last_loc;
};

/* Writes the records from E on that are their flags byte alone (a known
 * location near the last, its predicted address, op and size, the
 * stamp's step; not a synchronisation record, which encode counts), up
 * to E_END: a runtime's loops, most of a traced program's records.
 * Returns the first record it did not write. A loop of its own, because
 * in encode's the compiler kept these few values on the stack. */
static ML_ALWAYS_INLINE const struct trace_stamped *encode_run(const struct trace_stamped *e,
							     const struct trace_stamped *e_end,
							     struct trace_chunk_slot *slots,
							     struct encode_state *st)
{
	unsigned char *p = st->p;
	uint64_t stamp = st->stamp, step = st->step;
	uint32_t last_loc = st->last_loc;
	const struct trace_stamped *first = e;

	for (; e < e_end; e++) {
		/* Read first: the byte stored could alias them. */
		uint64_t now = e->stamp, address = e->rec.address;
		uint32_t loc = e->rec.gap, near = loc - last_loc + LOC_NEAR;
		unsigned op = e->rec.op, size = e->rec.size;
		struct trace_chunk_slot *slot = &slots[loc % TRACE_CHUNK_SLOTS];

		if (slot->key != slot_key(loc, op, size) || (op & TRACE_SYNC) ||
		    address != slot->address + slot->stride || now - stamp != step || near > 2 * LOC_NEAR)
			break;
		*p++ = (unsigned char)(F_STEP | F_PREDICTED | near << F_LOC_SHIFT);
		slot->address = address;
		last_loc = loc;
		stamp = now;
	}
	if (e != first) {
		st->p = p;
		st->stamp = stamp;
		st->last_loc = last_loc;
		st->last_address = e[-1].rec.address;
	}
	return e;
}

/* trace_chunk_encode, for GAP_IS_LOC a constant: the runtime's flushes,
 * where this loop is most of the traced program's extra time, test no
 * gap and go through encode_run. */
static ML_ALWAYS_INLINE size_t encode(const struct trace_stamped *in, size_t n, const bool gap_is_loc,
				      unsigned char *out, size_t cap, struct trace_chunk_header *h,
				      struct trace_chunk_state *s)
{
	size_t i = 0, most = n < TRACE_CHUNK_MAX_RECORDS ? n : TRACE_CHUNK_MAX_RECORDS;
	/* The state in locals: the bytes stored into OUT could alias it. */
	struct encode_state st = { out, n ? in[0].stamp : 0, 0, 0, 0 };
	uint32_t syncs = 0;

	h->thread = n ? in[0].rec.thread : 0;
	h->stamp = st.stamp;
	state_reset(s);
	while (i < most) {
		/* The records that surely fit, checked once for all of them. */
		size_t room = (cap - (size_t)(st.p - out)) / TRACE_CHUNK_MAX_RECORD_BYTES;
		size_t batch_end = i + (room < most - i ? room : most - i);

		if (batch_end == i)
			break;
		for (const struct trace_stamped *e = in + i, *e_end = in + batch_end; e < e_end; e++) {
			/* All that is read, read first: a byte stored into OUT
			 * could alias IN and the slots, and would make the
			 * compiler read them again. */
			uint64_t now = e->stamp, address = e->rec.address;
			uint32_t loc = gap_is_loc ? e->rec.gap : 0, gap = gap_is_loc ? 0 : e->rec.gap;
			unsigned op = e->rec.op, size = e->rec.size;
			struct trace_chunk_slot *slot = &s->slot[loc % TRACE_CHUNK_SLOTS];
			uint64_t key = slot_key(loc, op, size), slot_key_was = slot->key;
			uint64_t slot_address = slot->address, slot_stride = slot->stride;
			bool known = (uint32_t)slot_key_was == loc + 1;
			uint64_t predicted = known ? slot_address + slot_stride : st.last_address;
			/* The location's difference plus LOC_NEAR: 0 to 6 fit the flags. */
			uint32_t near = loc - st.last_loc + LOC_NEAR;
			unsigned char *flags = st.p++;
			unsigned f;

			syncs += (op & TRACE_SYNC) != 0;
			/* Most records of a loop: the flags byte alone, and the slot
			 * keeps its key and stride. The runtime's records after it
			 * go through encode_run, entered only here: a scatter's
			 * records would leave it at once. */
			if (slot_key_was == key && address == predicted && now - st.stamp == st.step &&
			    near <= 2 * LOC_NEAR && !gap) {
				*flags = (unsigned char)(F_STEP | F_PREDICTED | near << F_LOC_SHIFT);
				slot->address = address;
				st.last_address = address;
				st.last_loc = loc;
				st.stamp = now;
				if (gap_is_loc && e + 1 < e_end)
					e = encode_run(e + 1, e_end, s->slot, &st) - 1;
				continue;
			}

			/* Interpolated stamps (the runtime reads the clock at one
			 * access in 32) step evenly: a repeated step costs no byte. */
			if (now - st.stamp == st.step) {
				f = F_STEP;
			} else if (now >= st.stamp) {
				f = 0;
				st.p = put_varint(st.p, now - st.stamp);
			} else {
				f = F_STAMP_BACK;
				st.p = put_varint(st.p, st.stamp - now);
			}
			st.step = now - st.stamp;
			st.stamp = now;
			if (near <= 2 * LOC_NEAR) {
				f |= near << F_LOC_SHIFT;
			} else {
				f |= F_LOC_EXPLICIT << F_LOC_SHIFT;
				st.p = put_varint(st.p, zigzag((uint64_t)loc - st.last_loc));
			}
			if (address == predicted)
				f |= F_PREDICTED;
			else
				st.p = put_varint(st.p, zigzag(address - predicted));
			if (slot_key_was != key) {
				f |= F_OPSIZE;
				st.p[0] = (unsigned char)op;
				st.p[1] = (unsigned char)size;
				st.p += 2;
			}
			if (gap) {
				f |= F_GAP;
				st.p = put_varint(st.p, gap);
			}
			*flags = (unsigned char)f;
			slot->stride = known ? address - slot_address : 0;
			slot->address = address;
			slot->key = key;
			st.last_address = address;
			st.last_loc = loc;
		}
		i = batch_end;
	}
	h->records = (uint32_t)i;
	h->payload = (uint32_t)(st.p - out);
	h->syncs_plus1 = trace_chunk_syncs_plus1(syncs);
	return i;
}

size_t trace_chunk_encode(const struct trace_stamped *in, size_t n, bool gap_is_loc, unsigned char *out,
			  size_t cap, struct trace_chunk_header *h, struct trace_chunk_state *s)
{
	return gap_is_loc ? encode(in, n, true, out, cap, h, s) : encode(in, n, false, out, cap, h, s);
}

/* The varint at *P, before END; false when it runs past END (*P there)
 * or past 10 bytes (*P at its 11th). */
static enum trace_chunk_fault get_long_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;

	for (int i = 0; i < VARINT_MAX; i++) {
		unsigned char b;

		if (*p == end)
			return TRACE_CHUNK_SHORT;
		b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return TRACE_CHUNK_OK;
		}
	}
	return TRACE_CHUNK_LONG_VARINT;
}

/* The varint at *P: where 10 bytes are left before END, read without
 * checking each byte against it (the addresses' differences of a scatter
 * take 3 to 5). */
static inline enum trace_chunk_fault get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	const unsigned char *q = *p;
	uint64_t x = 0;

	if (end - q < VARINT_MAX)
		return get_long_varint(p, end, v);
	for (int i = 0; i < VARINT_MAX; i++) {
		unsigned b = q[i];

		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (b < 0x80) {
			*v = x;
			*p = q + i + 1;
			return TRACE_CHUNK_OK;
		}
	}
	*p = q + VARINT_MAX;
	return TRACE_CHUNK_LONG_VARINT;
}

enum trace_chunk_fault trace_chunk_decode(const unsigned char *in, const struct trace_chunk_header *h,
					  uint64_t *stamps, struct trace_record *recs, uint32_t *locs,
					  size_t *at, struct trace_chunk_state *s)
{
	const unsigned char *p = in, *end = in + h->payload, *start = in;
	enum trace_chunk_fault fault = TRACE_CHUNK_OK;
	/* The state in locals: the stores into the outputs could alias it. */
	uint64_t stamp = h->stamp, step = 0, last_address = 0;
	uint32_t last_loc = 0, syncs = 0;

	state_reset(s);
	for (uint32_t i = 0; i < h->records; i++) {
		unsigned f, code;
		uint64_t v, address;
		uint32_t loc;
		struct trace_chunk_slot *slot;
		struct trace_record r = { .thread = h->thread };
		bool known;

		start = p;
		if (p == end) {
			fault = TRACE_CHUNK_SHORT;
			goto bad;
		}
		f = *p++;
		/* The encoder's flags byte alone (see encode): a known location
		 * near the last, its predicted address, op and size, the stamp's
		 * step; its slot keeps its key and stride. */
		if ((f & ~F_LOC_MASK) == (F_STEP | F_PREDICTED) && (f & F_LOC_MASK) != F_LOC_EXPLICIT << F_LOC_SHIFT) {
			uint64_t key;

			loc = last_loc + ((f & F_LOC_MASK) >> F_LOC_SHIFT) - LOC_NEAR;
			slot = &s->slot[loc % TRACE_CHUNK_SLOTS];
			key = slot->key;
			if ((uint32_t)key == loc + 1) {
				address = slot->address + slot->stride;
				stamp += step;
				slot->address = address;
				last_address = address;
				last_loc = loc;
				stamps[i] = stamp;
				recs[i] = (struct trace_record){ .address = address, .thread = h->thread,
								 .op = (uint8_t)(key >> 32), .size = (uint8_t)(key >> 40) };
				locs[i] = loc;
				syncs += (key >> 32 & TRACE_SYNC) != 0;
				continue;
			}
		}
		if (f & F_STEP) {
			if (f & F_STAMP_BACK) {
				fault = TRACE_CHUNK_BAD_FLAGS;
				goto bad;
			}
		} else {
			if ((fault = get_varint(&p, end, &v)) != TRACE_CHUNK_OK)
				goto bad;
			step = f & F_STAMP_BACK ? 0 - v : v;
		}
		stamp += step;
		code = (f & F_LOC_MASK) >> F_LOC_SHIFT;
		if (code == F_LOC_EXPLICIT) {
			if ((fault = get_varint(&p, end, &v)) != TRACE_CHUNK_OK)
				goto bad;
			loc = last_loc + (uint32_t)unzigzag(v);
		} else {
			loc = last_loc + (uint32_t)((int)code - LOC_NEAR);
		}
		slot = &s->slot[loc % TRACE_CHUNK_SLOTS];
		known = slot_is(slot, loc);
		address = known ? slot->address + slot->stride : last_address;
		if (!(f & F_PREDICTED)) {
			if ((fault = get_varint(&p, end, &v)) != TRACE_CHUNK_OK)
				goto bad;
			address += unzigzag(v);
		}
		r.address = address;
		if (f & F_OPSIZE) {
			if (end - p < 2) {
				p = end;
				fault = TRACE_CHUNK_SHORT;
				goto bad;
			}
			r.op = p[0];
			r.size = p[1];
			if (r.op & ~(TRACE_OP_MASK | TRACE_SYNC)) {
				fault = TRACE_CHUNK_BAD_OP;
				goto bad;
			}
			if (r.size == 0) {
				p++;
				fault = TRACE_CHUNK_SIZE_ZERO;
				goto bad;
			}
			p += 2;
		} else if (known) {
			r.op = (uint8_t)(slot->key >> 32);
			r.size = (uint8_t)(slot->key >> 40);
		} else {
			/* No op of its own, and none of its location's to take. */
			fault = TRACE_CHUNK_BAD_FLAGS;
			p = start;
			goto bad;
		}
		if (f & F_GAP) {
			if ((fault = get_varint(&p, end, &v)) != TRACE_CHUNK_OK)
				goto bad;
			if (v > UINT32_MAX) {
				fault = TRACE_CHUNK_BIG_GAP;
				goto bad;
			}
			r.gap = (uint32_t)v;
		}
		slot->stride = known ? address - slot->address : 0;
		slot->address = address;
		slot->key = slot_key(loc, r.op, r.size);
		last_address = address;
		last_loc = loc;
		stamps[i] = stamp;
		recs[i] = r;
		locs[i] = loc;
		syncs += (r.op & TRACE_SYNC) != 0;
	}
	if (p != end) {
		*at = (size_t)(p - in);
		return TRACE_CHUNK_LEFT_OVER;
	}
	if (h->syncs_plus1 && h->syncs_plus1 != trace_chunk_syncs_plus1(syncs)) {
		*at = 0;
		return TRACE_CHUNK_BAD_SYNCS;
	}
	return TRACE_CHUNK_OK;
bad:
	*at = (size_t)((fault == TRACE_CHUNK_BAD_FLAGS ? start : p) - in);
	return fault;
}
