/* A traced program's code locations (mesilab-trace(5), version 3): each
 * record of a trace with the header's locations flag carries, after its 16
 * bytes, a u32 index into a table of the program counters that made the
 * accesses (0: unknown, i: the table's i-th), and the records are followed
 * by a section holding that table and the program's load map (which
 * binary or library was loaded where, with its build id), so that a
 * location can be symbolized after the program has exited:
 *
 *   marker   20 bytes shaped as a record no reader accepts (op byte 0xff,
 *            size 0) and starting "MLLOCS\0\0": where the records end,
 *            for a reader that streams;
 *   counts   u32 program counters, u32 modules;
 *   pcs      u64 each, the return address of the access's call into the
 *            runtime (the instruction after it);
 *   modules  each u64 bias (what was added to the file's addresses), u64
 *            start, u64 end (the loaded segments' span), u16 path length,
 *            u16 build id length, u32 zero, the path, the build id, zero
 *            padding to 8 bytes;
 *   heap     u32 blocks, u32 blocks not recorded (a thread's limit), then
 *            each block: u64 address, u64 size, u32 the location that
 *            allocated it (0 for a stack), u16 thread, u16 kind: 0 a heap
 *            block the program allocated, 1 a thread's stack, 2 the
 *            runtime's word where the thread's start and end meet its
 *            creator and joiner;
 *   footer   u64 the marker's byte offset, "MLLOCEND": where the section
 *            starts, for a reader that can seek.
 *
 * Encoding is the tracing runtime's (it links this file and trace.c
 * alone: no allocation here); decoding is the readers'. */
#ifndef MESILAB_TRACE_LOCATIONS_H
#define MESILAB_TRACE_LOCATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define TRACE_LOC_RECORD_SIZE 20
#define TRACE_LOC_MARKER "MLLOCS\0\0"
#define TRACE_LOC_FOOTER "MLLOCEND"
#define TRACE_LOC_FOOTER_SIZE 16
#define TRACE_LOC_MAX_PCS (1u << 24)
#define TRACE_LOC_MAX_MODULES 65536u
#define TRACE_LOC_MAX_PATH 4096u
#define TRACE_LOC_MAX_BUILD_ID 64u
#define TRACE_LOC_BLOCK_SIZE 24
/* The section's largest size: what a reader reads whole. */
#define TRACE_LOC_MAX_SECTION (256u << 20)

struct trace_module {
	uint64_t bias, start, end;
	char *path;
	unsigned char build_id[TRACE_LOC_MAX_BUILD_ID];
	unsigned build_id_len;
};

enum trace_block_kind { TRACE_BLOCK_HEAP, TRACE_BLOCK_STACK, TRACE_BLOCK_HANDOVER, TRACE_NBLOCK_KINDS };

struct trace_block {
	uint64_t address, size;
	uint32_t loc;
	uint16_t thread;
	uint8_t kind; /* enum trace_block_kind */
};

struct trace_locations {
	uint64_t *pcs; /* pcs[i - 1] is location i */
	uint32_t npcs;
	struct trace_module *modules;
	uint32_t nmodules;
	struct trace_block *blocks; /* in address order */
	uint32_t nblocks, blocks_dropped;
};

/* The marker record's 20 bytes. */
void trace_loc_marker(unsigned char out[TRACE_LOC_RECORD_SIZE]);
/* Whether a 20-byte record slot holds the marker. */
int trace_loc_is_marker(const unsigned char in[TRACE_LOC_RECORD_SIZE]);

/* The encoders write through PUT (a buffered output of the caller's). */
typedef void (*trace_loc_put)(void *ctx, const void *data, size_t n);
void trace_loc_put_counts(trace_loc_put put, void *ctx, uint32_t npcs, uint32_t nmodules);
void trace_loc_put_pc(trace_loc_put put, void *ctx, uint64_t pc);
/* PATH and BUILD_ID are cut to the format's limits. */
void trace_loc_put_module(trace_loc_put put, void *ctx, uint64_t bias, uint64_t start, uint64_t end,
			  const char *path, const unsigned char *build_id, unsigned build_id_len);
void trace_loc_put_blocks(trace_loc_put put, void *ctx, uint32_t nblocks, uint32_t dropped);
void trace_loc_put_block(trace_loc_put put, void *ctx, uint64_t address, uint64_t size, uint32_t loc,
			 unsigned thread, enum trace_block_kind kind);
void trace_loc_put_footer(trace_loc_put put, void *ctx, uint64_t marker_offset);

/* Decodes the section's LEN bytes after the marker (footer excluded) into
 * L; NAME and BASE (the section's byte offset in the file) for messages.
 * 0, or -1 with ERR naming the byte. */
int trace_locations_decode(const unsigned char *in, size_t len, struct trace_locations *l, const char *name,
			   uint64_t base, struct ml_error *err);
void trace_locations_free(struct trace_locations *l);
/* The blocks (heap blocks, stacks) that start last at or below ADDRESS
 * (a freed block's address, an ended thread's stack, is taken again:
 * several), *FIRST and how many; 0 when none of them holds ADDRESS. The
 * caller checks each's span. */
uint32_t trace_locations_blocks(const struct trace_locations *l, uint64_t address, const struct trace_block **first);
/* The module holding ADDRESS, or NULL. */
const struct trace_module *trace_locations_module(const struct trace_locations *l, uint64_t address);

#endif
