/* Reading the trace format's header and records (see trace.h); writing
 * them is trace.c's, which the tracing runtime links alone. */
#include <config.h>

#include <string.h>

#include "trace.h"

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void trace_record_decode(const unsigned char in[TRACE_RECORD_SIZE], struct trace_record *r)
{
	r->address = get_le(in, 8);
	r->gap = (uint32_t)get_le(in + 8, 4);
	r->thread = (uint16_t)get_le(in + 12, 2);
	r->op = in[14];
	r->size = in[15];
}

int trace_header_decode_fixed(const unsigned char *in, struct trace_header *h,
			      uint32_t *header_size, uint32_t *generator_len, unsigned *version,
			      const char *name, struct ml_error *err)
{
	uint64_t flags = get_le(in + 20, 4), order = get_le(in + 28, 4), known;

	memset(h, 0, sizeof(*h));
	*version = (unsigned)get_le(in + 8, 2);
	if (memcmp(in, TRACE_MAGIC, TRACE_MAGIC_LEN) != 0) {
		ml_error_set(err, "%s: byte 0: not a mesilab trace (bad magic)", name);
		return -1;
	}
	if (*version < TRACE_OLDEST_VERSION || *version > TRACE_NEWEST_VERSION) {
		ml_error_set(err, "%s: byte 8: unsupported trace format version %u (this mesilab reads versions %d to %d)",
			     name, *version, TRACE_OLDEST_VERSION, TRACE_NEWEST_VERSION);
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
	known = TRACE_FLAG_GAP_INSTRUCTIONS | TRACE_FLAG_TRUNCATED | (*version >= 3 ? TRACE_FLAG_LOCATIONS : 0);
	if (flags & ~known) {
		ml_error_set(err, "%s: byte 20: unknown flags 0x%llx", name, (unsigned long long)flags);
		return -1;
	}
	h->gap_unit = flags & TRACE_FLAG_GAP_INSTRUCTIONS ? TRACE_GAP_INSTRUCTIONS : TRACE_GAP_CYCLES;
	h->truncated = (flags & TRACE_FLAG_TRUNCATED) != 0;
	h->locations = (flags & TRACE_FLAG_LOCATIONS) != 0;
	if (*generator_len > TRACE_MAX_GENERATOR) {
		ml_error_set(err, "%s: byte 24: generator text of %u bytes is too long (at most %d)", name,
			     *generator_len, TRACE_MAX_GENERATOR);
		return -1;
	}
	/* Version 4's may have room to spare: its writer reserves it for a
	 * generator text it writes last. */
	if (*version >= TRACE_CHUNKED_HEADER_VERSION
		    ? *header_size < trace_header_size(*generator_len) || *header_size % 16 ||
			      *header_size > trace_header_size(TRACE_MAX_GENERATOR)
		    : *header_size != trace_header_size(*generator_len)) {
		ml_error_set(err, "%s: byte 10: header size %u does not match a generator of %u bytes",
			     name, *header_size, *generator_len);
		return -1;
	}
	if (*version >= 2 && order >= TRACE_NORDER_KINDS) {
		ml_error_set(err, "%s: byte 28: unknown order kind %llu (0 streams, 1 reference, 2 program)", name,
			     (unsigned long long)order);
		return -1;
	}
	h->order = *version >= 2 ? (enum trace_order_kind)order : TRACE_ORDER_STREAMS;
	return 0;
}

enum trace_order_kind trace_header_v1_order(const struct trace_header *h)
{
	/* The tracing runtime's generator text starts so; an import carries
	 * its command line, the format named in it. */
	if (strncmp(h->generator, "mesilab-cc", 10) == 0)
		return TRACE_ORDER_PROGRAM;
	if (strncmp(h->generator, "mesilab trace import ", 21) == 0 && strstr(h->generator, "interleaved"))
		return TRACE_ORDER_REFERENCE;
	return TRACE_ORDER_STREAMS;
}
