/* The mesilab trace format (documented in mesilab-trace(5)).
 *
 * Binary, little-endian:
 *   header   magic "\x89MLTRACE" (8 bytes), u16 version (3 with code
 *            locations, else 2; 4 chunked, see trace_chunk.h; 1 is still
 *            read), u16 header size (bytes, a multiple of 16, generator
 *            included; version 4's may have zeros to spare), u32
 *            threads, u32 line-size hint (0 unknown), u32 flags (bit 0:
 *            gaps count instructions rather than cycles; bit 1:
 *            truncated, the records end before the program did, the
 *            generator text says why; bit 2, versions 3 and 4: the
 *            records carry code locations, see trace_locations.h), u32
 *            generator length, u32 order kind (how the records' order
 *            was obtained, which says the order to replay them in: 0
 *            streams, 1 reference, 2 program; reserved in version 1),
 *            then the generator text, zero-padded;
 *   records  16 bytes each: u64 address, u32 gap, u16 thread, u8 op, u8 size
 *            (with code locations 20: a u32 location index after them).
 *            The op byte's low bits are the operation, its top bit
 *            (TRACE_SYNC, version 2) marks a synchronisation record: an
 *            atomic, or a lock, barrier, condition or thread hand-over
 *            recorded as an access to its object.
 * Version 1 has no order kind and no sync bit: a trace whose generator
 * says mesilab-cc made it is a program whose atomics (A) are its
 * synchronisation, an interleaved import is a reference, any other a set
 * of streams (the order version 1 replayed every trace in).
 * Text: one access per line, "THREAD OP ADDRESS [SIZE] [GAP] [sync]",
 * with '#' comments; "# threads: N", "# line-size: N", "# gap-unit:
 * cycles", "# truncated: yes", "# order: program|reference|streams" and
 * "# generator: TEXT" comments carry the header. A text trace without
 * "# order:" is a reference (hand-written: its order is the truth). */
#ifndef MESILAB_TRACE_H
#define MESILAB_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define TRACE_MAGIC "\x89MLTRACE"
#define TRACE_MAGIC_LEN 8
#define TRACE_VERSION 3
/* What a trace without code locations is written as: readers of version
 * 2 read it. */
#define TRACE_VERSION_PLAIN 2
#define TRACE_OLDEST_VERSION 1
/* The newest a reader reads: version 4, chunked (trace_chunk.h), which
 * the tracing runtime writes into a file. */
#define TRACE_NEWEST_VERSION 4
/* From version 4 on, a header may be longer than its generator needs. */
#define TRACE_CHUNKED_HEADER_VERSION 4
#define TRACE_FIXED_HEADER 32
#define TRACE_RECORD_SIZE 16
#define TRACE_MAX_THREADS 65535
#define TRACE_MAX_GENERATOR 4096
#define TRACE_FLAG_GAP_INSTRUCTIONS 1u
#define TRACE_FLAG_TRUNCATED 2u
#define TRACE_FLAG_LOCATIONS 4u

enum trace_op {
	TRACE_READ = 0,
	TRACE_WRITE = 1,
	TRACE_RMW = 2,   /* atomic read-modify-write */
	TRACE_IFETCH = 3,
	TRACE_NOPS
};

/* The op byte: the operation in its low bits, the sync mark on top. */
#define TRACE_OP_MASK 0x03u
#define TRACE_SYNC 0x80u
_Static_assert(TRACE_NOPS == TRACE_OP_MASK + 1, "the operations fill the op bits");

/* How the records' order was obtained, which says how to replay them:
 *   streams    independent per-thread streams (mesilab's kernels, per-core
 *              files): the order of the file is an ideal machine's, the
 *              timing model interleaves the threads;
 *   reference  the file's order is the truth (a course's interleaved
 *              trace, a hand-written sequence, a single-threaded tool's);
 *   program    a traced program's threads, in the order one execution
 *              happened to run them: only the synchronisation records'
 *              order is the program's own, the rest is left to the timing
 *              model between them. */
enum trace_order_kind { TRACE_ORDER_STREAMS, TRACE_ORDER_REFERENCE, TRACE_ORDER_PROGRAM, TRACE_NORDER_KINDS };

enum trace_gap_unit { TRACE_GAP_CYCLES, TRACE_GAP_INSTRUCTIONS };

/* Exactly the on-disk layout on a little-endian machine. */
struct trace_record {
	uint64_t address;
	uint32_t gap; /* non-memory work since this thread's previous access */
	uint16_t thread;
	uint8_t op;   /* enum trace_op, with TRACE_SYNC on a synchronisation record */
	uint8_t size; /* bytes, 1 to 255 */
};

_Static_assert(sizeof(struct trace_record) == TRACE_RECORD_SIZE, "record layout");

struct trace_header {
	uint32_t threads;
	uint32_t line_size; /* a hint; 0 when unknown */
	enum trace_gap_unit gap_unit;
	bool truncated; /* the records end early (a limit, a fault): the generator says why */
	bool locations; /* version 3: each record carries a code location (trace_locations.h) */
	enum trace_order_kind order;
	char generator[TRACE_MAX_GENERATOR + 1];
};

static inline unsigned trace_op_of(const struct trace_record *r)
{
	return r->op & TRACE_OP_MASK;
}

static inline bool trace_is_sync(const struct trace_record *r)
{
	return (r->op & TRACE_SYNC) != 0;
}

/* "R", "W", "A", "I" and the long names "read", "write", "rmw", "ifetch". */
extern const char trace_op_letters[TRACE_NOPS];
extern const char *const trace_op_names[TRACE_NOPS];
extern const char *const trace_gap_unit_names[2];
/* "streams", "reference", "program". */
extern const char *const trace_order_kind_names[TRACE_NORDER_KINDS];

/* The header's size on disk for a generator of LEN bytes. */
uint32_t trace_header_size(uint32_t generator_len);

/* Whether a file that starts with the N bytes HEAD is to be read as a
 * binary trace: its magic's first byte, or the rest of its magic (a
 * damaged first byte, refused then as a bad magic, not as text). */
bool trace_looks_binary(const unsigned char *head, size_t n);



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
 * gives the header's full size, the generator's length and the format's
 * version; NAME is the file's name for the message. The generator is left
 * empty (and so, for version 1, is the order kind: see
 * trace_header_v1_order). */
int trace_header_decode_fixed(const unsigned char *in, struct trace_header *h,
			      uint32_t *header_size, uint32_t *generator_len, unsigned *version,
			      const char *name, struct ml_error *err);
/* A version 1 trace's order kind, from its generator text (see above). */
enum trace_order_kind trace_header_v1_order(const struct trace_header *h);

#endif
