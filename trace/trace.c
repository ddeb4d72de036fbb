#include <config.h>

#include <string.h>

#include "trace.h"

const char trace_op_letters[TRACE_NOPS] = { 'R', 'W', 'A', 'I' };
const char *const trace_op_names[TRACE_NOPS] = { "read", "write", "rmw", "ifetch" };
const char *const trace_gap_unit_names[2] = { "cycles", "instructions" };
const char *const trace_order_kind_names[TRACE_NORDER_KINDS] = { "streams", "reference", "program" };

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

void trace_record_encode(const struct trace_record *r, unsigned char out[TRACE_RECORD_SIZE])
{
	put_le(out, r->address, 8);
	put_le(out + 8, r->gap, 4);
	put_le(out + 12, r->thread, 2);
	out[14] = r->op;
	out[15] = r->size;
}

uint32_t trace_header_encode(const struct trace_header *h, unsigned char *out)
{
	uint32_t len = (uint32_t)strlen(h->generator);
	uint32_t size = trace_header_size(len);

	memset(out, 0, size);
	memcpy(out, TRACE_MAGIC, TRACE_MAGIC_LEN);
	put_le(out + 8, h->locations ? TRACE_VERSION : TRACE_VERSION_PLAIN, 2);
	put_le(out + 10, size, 2);
	put_le(out + 12, h->threads, 4);
	put_le(out + 16, h->line_size, 4);
	put_le(out + 20, (h->gap_unit == TRACE_GAP_INSTRUCTIONS ? TRACE_FLAG_GAP_INSTRUCTIONS : 0) |
				 (h->truncated ? TRACE_FLAG_TRUNCATED : 0) | (h->locations ? TRACE_FLAG_LOCATIONS : 0),
	       4);
	put_le(out + 24, len, 4);
	put_le(out + 28, h->order, 4);
	memcpy(out + TRACE_FIXED_HEADER, h->generator, len);
	return size;
}

bool trace_looks_binary(const unsigned char *head, size_t n)
{
	return (n > 0 && head[0] == (unsigned char)TRACE_MAGIC[0]) ||
	       (n >= TRACE_MAGIC_LEN && memcmp(head + 1, TRACE_MAGIC + 1, TRACE_MAGIC_LEN - 1) == 0);
}
