/* Version 4 of the trace format, "chunked" (mesilab-trace(5)): after the
 * header, chunks each holding ONE thread's records in its program order,
 * compactly encoded, as the tracing runtime writes them while the program
 * runs; an end record; then, with code locations, the section version 3
 * has (trace_locations.h). A reader merges the threads by their records'
 * stamps (ties: the lower thread first), the order the runtime's merge
 * gives a version 3 trace.
 *
 *   chunk    24 bytes: "MLCK", u32 payload bytes, u32 records, u16 thread,
 *            u16 its synchronisation records plus 1, at most 65535 (0:
 *            not counted), u64 the stamp the first record's is relative
 *            to; then the payload (a reader that wants the
 *            synchronisation records alone skips the chunks of 1);
 *   end      24 bytes: "MLEN", u32 bytes of the map after it, u32 threads
 *            mapped, u32 zero, u64 the records to read (the first of the
 *            merged order; 0: all), then for each thread u32 n and n u32:
 *            the trace's location of its own location 1..n (each thread
 *            numbers its code locations itself, as it runs).
 *
 * A record is a flags byte and what it says follows, each a LEB128 varint
 * (at most 10 bytes):
 *   bit 0    the address is the one predicted: this record's location's
 *            last address plus its last stride (a loop costs no address
 *            byte); else a zigzag varint of the difference follows (from
 *            the thread's last address for a location not seen in the
 *            chunk, or whose slot another location took);
 *   bits 1-3 0 to 6: the location is the previous record's plus 0-3 (-3
 *            to +3); 7: a zigzag varint of that difference follows;
 *   bit 4    op and size bytes follow; else they are the location's last;
 *   bit 5    a varint gap follows; else the gap is 0;
 *   bit 6    the stamp went back (a clock that did): the stamp varint is
 *            subtracted, not added;
 *   bit 7    the stamp steps as the previous record's did (from its
 *            predecessor; the chunk's first step is 0): no stamp varint
 *            follows, and bit 6 is clear.
 * Without bit 7 the stamp varint comes first: the difference from the
 * previous record's stamp (the chunk's for the first). What a location last did
 * is kept in TRACE_CHUNK_SLOTS slots (location mod that): each chunk
 * starts afresh, so that a reader can start at any chunk.
 *
 * Encoding is the tracing runtime's (it links this file alone: no
 * allocation, no messages); decoding says what is wrong and where, and
 * the reader words it. */
#ifndef MESILAB_TRACE_CHUNK_H
#define MESILAB_TRACE_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define TRACE_CHUNKED_VERSION 4
#define TRACE_CHUNK_HEADER_SIZE 24
#define TRACE_CHUNK_TAG "MLCK"
#define TRACE_CHUNK_END_TAG "MLEN"
/* A chunk's records: more is a lying count, not a runtime's buffer. */
#define TRACE_CHUNK_MAX_RECORDS (1u << 16)
/* The most a record can take: flags, three varints of 10, op, size and
 * a gap of 5. */
#define TRACE_CHUNK_MAX_RECORD_BYTES 38
/* The least: its flags byte alone (a stamp that steps as before, the
 * address predicted, op and size the location's). */
#define TRACE_CHUNK_MIN_RECORD_BYTES 1
#define TRACE_CHUNK_SLOTS 256

struct trace_chunk_header {
	uint32_t payload, records;
	uint16_t thread;
	uint64_t stamp; /* the first record's stamp is relative to it */
	uint16_t syncs_plus1; /* its synchronisation records + 1, saturated; 0: not counted */
};

/* A chunk's count as its header keeps it: SYNCS + 1, at most 65535. */
static inline uint16_t trace_chunk_syncs_plus1(uint32_t syncs)
{
	return syncs < UINT16_MAX ? (uint16_t)(syncs + 1) : UINT16_MAX;
}

/* A record as a thread buffers it: its stamp (the global order) and, as
 * the runtime keeps it, its location in the gap (see
 * trace_chunk_encode). */
struct trace_stamped {
	uint64_t stamp;
	struct trace_record rec;
};

/* What a location last did, in its slot. */
struct trace_chunk_slot {
	uint64_t address, stride;
	uint64_t key; /* bits 0-31 the location plus 1 (0: none yet), 32-39 its op, 40-47 its size */
};

/* The slots, the caller's memory (6 KiB) for the encoder and decoder. */
struct trace_chunk_state {
	struct trace_chunk_slot slot[TRACE_CHUNK_SLOTS];
};

/* Writes a version 4 trace's header for H into OUT, SIZE bytes (at least
 * trace_header_size() of H's generator, a multiple of 16: room reserved
 * for a longer generator is zeros). */
void trace_chunk_trace_header(const struct trace_header *h, uint32_t size, unsigned char *out);
void trace_chunk_header_encode(const struct trace_chunk_header *h, unsigned char out[TRACE_CHUNK_HEADER_SIZE]);
/* False when IN is no chunk (its tag). */
bool trace_chunk_header_decode(const unsigned char in[TRACE_CHUNK_HEADER_SIZE], struct trace_chunk_header *h);
void trace_chunk_end_encode(uint32_t map_bytes, uint32_t threads, uint64_t limit,
			    unsigned char out[TRACE_CHUNK_HEADER_SIZE]);
bool trace_chunk_is_end(const unsigned char in[TRACE_CHUNK_HEADER_SIZE]);

/* Encodes up to N records of one thread into OUT, CAP bytes (at least
 * TRACE_CHUNK_MAX_RECORD_BYTES), as one chunk's payload: as many as surely
 * fit, at most TRACE_CHUNK_MAX_RECORDS. Each record's location is in its
 * gap when GAP_IS_LOC (the runtime's buffer: the gap, 0 there, is
 * written as 0), else the location is 0. H gets the chunk's header (its
 * records, payload bytes and synchronisation records). Returns the
 * records encoded. */
size_t trace_chunk_encode(const struct trace_stamped *in, size_t n, bool gap_is_loc, unsigned char *out,
			  size_t cap, struct trace_chunk_header *h, struct trace_chunk_state *scratch);

enum trace_chunk_fault {
	TRACE_CHUNK_OK,
	TRACE_CHUNK_SHORT,      /* the payload ends inside a record */
	TRACE_CHUNK_LEFT_OVER,  /* bytes after the count's records */
	TRACE_CHUNK_LONG_VARINT,
	TRACE_CHUNK_BAD_FLAGS,
	TRACE_CHUNK_BAD_OP,
	TRACE_CHUNK_SIZE_ZERO,
	TRACE_CHUNK_BIG_GAP,
	TRACE_CHUNK_BAD_SYNCS,  /* the header's count of synchronisation records (*AT: 0) */
	TRACE_CHUNK_NFAULTS
};
/* What each fault is, for a message. */
extern const char *const trace_chunk_fault_text[TRACE_CHUNK_NFAULTS];

/* Decodes H's payload IN (H->payload bytes) into H->records STAMPS,
 * RECS (thread H->thread) and LOCS (the thread's own location numbers);
 * a count of synchronisation records in H must be theirs. Returns
 * TRACE_CHUNK_OK, or the fault with *AT its byte in the payload. */
enum trace_chunk_fault trace_chunk_decode(const unsigned char *in, const struct trace_chunk_header *h,
					  uint64_t *stamps, struct trace_record *recs, uint32_t *locs,
					  size_t *at, struct trace_chunk_state *scratch);

#endif
