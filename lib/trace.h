/* The mesilab trace format (documented in mesilab-trace(5)).
 *
 * Binary, little-endian:
 *   header   magic "\x89MLTRACE" (8 bytes), u16 version, u16 header size
 *            (bytes, a multiple of 16, generator included), u32 threads,
 *            u32 line-size hint (0 unknown), u32 flags (bit 0: gaps count
 *            instructions rather than cycles; bit 1: truncated, the
 *            records end before the program did, the generator text says
 *            why), u32 generator length,
 *            u32 reserved (0), then the generator text, zero-padded;
 *   records  16 bytes each: u64 address, u32 gap, u16 thread, u8 op, u8 size.
 * Text: one access per line, "THREAD OP ADDRESS [SIZE] [GAP]", with '#'
 * comments; "# threads: N", "# line-size: N", "# gap-unit: cycles",
 * "# truncated: yes" and "# generator: TEXT" comments carry the header. */
#ifndef MESILAB_TRACE_H
#define MESILAB_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define TRACE_MAGIC "\x89MLTRACE"
#define TRACE_MAGIC_LEN 8
#define TRACE_VERSION 1
#define TRACE_FIXED_HEADER 32
#define TRACE_RECORD_SIZE 16
#define TRACE_MAX_THREADS 65535
#define TRACE_MAX_GENERATOR 4096
#define TRACE_FLAG_GAP_INSTRUCTIONS 1u
#define TRACE_FLAG_TRUNCATED 2u

enum trace_op {
	TRACE_READ = 0,
	TRACE_WRITE = 1,
	TRACE_RMW = 2,   /* atomic read-modify-write */
	TRACE_IFETCH = 3,
	TRACE_NOPS
};

enum trace_gap_unit { TRACE_GAP_CYCLES, TRACE_GAP_INSTRUCTIONS };

/* Exactly the on-disk layout on a little-endian machine. */
struct trace_record {
	uint64_t address;
	uint32_t gap; /* non-memory work since this thread's previous access */
	uint16_t thread;
	uint8_t op;   /* enum trace_op */
	uint8_t size; /* bytes, 1 to 255 */
};

_Static_assert(sizeof(struct trace_record) == TRACE_RECORD_SIZE, "record layout");

struct trace_header {
	uint32_t threads;
	uint32_t line_size; /* a hint; 0 when unknown */
	enum trace_gap_unit gap_unit;
	bool truncated; /* the records end early (a limit, a fault): the generator says why */
	char generator[TRACE_MAX_GENERATOR + 1];
};

/* "R", "W", "A", "I" and the long names "read", "write", "rmw", "ifetch". */
extern const char trace_op_letters[TRACE_NOPS];
extern const char *const trace_op_names[TRACE_NOPS];
extern const char *const trace_gap_unit_names[2];

/* The header's size on disk for a generator of LEN bytes. */
uint32_t trace_header_size(uint32_t generator_len);



/* Byte order: records are copied as they are on little-endian machines
 * and converted on others. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TRACE_NATIVE_LAYOUT 1
#else
#define TRACE_NATIVE_LAYOUT 0
#endif

void trace_record_encode(const struct trace_record *r, unsigned char out[TRACE_RECORD_SIZE]);
void trace_record_decode(const unsigned char in[TRACE_RECORD_SIZE], struct trace_record *r);

/* Writes the header into OUT (trace_header_size() bytes); returns its size. */
uint32_t trace_header_encode(const struct trace_header *h, unsigned char *out);
/* Reads the fixed part of a header (TRACE_FIXED_HEADER bytes) into H and
 * gives the header's full size and the generator's length; NAME is the
 * file's name for the message. The generator is left empty. */
int trace_header_decode_fixed(const unsigned char *in, struct trace_header *h,
			      uint32_t *header_size, uint32_t *generator_len, const char *name,
			      struct ml_error *err);

#endif
