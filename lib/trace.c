#include <config.h>

#include <string.h>

#include "trace.h"

const char trace_op_letters[TRACE_NOPS] = { 'R', 'W', 'A', 'I' };
const char *const trace_op_names[TRACE_NOPS] = { "read", "write", "rmw", "ifetch" };
const char *const trace_gap_unit_names[2] = { "cycles", "instructions" };

uint32_t trace_header_size(uint32_t generator_len)
{
	/* Padded to 16 bytes so that records stay aligned in a mapped file. */
	return (TRACE_FIXED_HEADER + generator_len + 15) & ~15u;
}

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

void trace_record_encode(const struct trace_record *r, unsigned char out[TRACE_RECORD_SIZE])
{
	put_le(out, r->address, 8);
	put_le(out + 8, r->gap, 4);
	put_le(out + 12, r->thread, 2);
	out[14] = r->op;
	out[15] = r->size;
}

void trace_record_decode(const unsigned char in[TRACE_RECORD_SIZE], struct trace_record *r)
{
	r->address = get_le(in, 8);
	r->gap = (uint32_t)get_le(in + 8, 4);
	r->thread = (uint16_t)get_le(in + 12, 2);
	r->op = in[14];
	r->size = in[15];
}

uint32_t trace_header_encode(const struct trace_header *h, unsigned char *out)
{
	uint32_t len = (uint32_t)strlen(h->generator);
	uint32_t size = trace_header_size(len);

	memset(out, 0, size);
	memcpy(out, TRACE_MAGIC, TRACE_MAGIC_LEN);
	put_le(out + 8, TRACE_VERSION, 2);
	put_le(out + 10, size, 2);
	put_le(out + 12, h->threads, 4);
	put_le(out + 16, h->line_size, 4);
	put_le(out + 20, h->gap_unit == TRACE_GAP_INSTRUCTIONS ? TRACE_FLAG_GAP_INSTRUCTIONS : 0, 4);
	put_le(out + 24, len, 4);
	memcpy(out + TRACE_FIXED_HEADER, h->generator, len);
	return size;
}

int trace_header_decode_fixed(const unsigned char *in, struct trace_header *h,
			      uint32_t *header_size, uint32_t *generator_len, const char *name,
			      struct ml_error *err)
{
	uint64_t version = get_le(in + 8, 2), flags = get_le(in + 20, 4);

	memset(h, 0, sizeof(*h));
	if (memcmp(in, TRACE_MAGIC, TRACE_MAGIC_LEN) != 0) {
		ml_error_set(err, "%s: byte 0: not a mesilab trace (bad magic)", name);
		return -1;
	}
	if (version != TRACE_VERSION) {
		ml_error_set(err, "%s: byte 8: unsupported trace format version %llu (this mesilab reads version %d)",
			     name, (unsigned long long)version, TRACE_VERSION);
		return -1;
	}
	h->threads = (uint32_t)get_le(in + 12, 4);
	h->line_size = (uint32_t)get_le(in + 16, 4);
	*generator_len = (uint32_t)get_le(in + 24, 4);
	*header_size = (uint32_t)get_le(in + 10, 2);
	if (h->threads == 0 || h->threads > TRACE_MAX_THREADS) {
		ml_error_set(err, "%s: byte 12: thread count %u out of range (1 to %d)", name, h->threads,
			     TRACE_MAX_THREADS);
		return -1;
	}
	if (flags & ~(uint64_t)TRACE_FLAG_GAP_INSTRUCTIONS) {
		ml_error_set(err, "%s: byte 20: unknown flags 0x%llx", name, (unsigned long long)flags);
		return -1;
	}
	h->gap_unit = flags & TRACE_FLAG_GAP_INSTRUCTIONS ? TRACE_GAP_INSTRUCTIONS : TRACE_GAP_CYCLES;
	if (*generator_len > TRACE_MAX_GENERATOR) {
		ml_error_set(err, "%s: byte 24: generator text of %u bytes is too long (at most %d)", name,
			     *generator_len, TRACE_MAX_GENERATOR);
		return -1;
	}
	if (*header_size != trace_header_size(*generator_len)) {
		ml_error_set(err, "%s: byte 10: header size %u does not match a generator of %u bytes",
			     name, *header_size, *generator_len);
		return -1;
	}
	return 0;
}
