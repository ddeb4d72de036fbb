/* Writing a trace's code locations (see trace_locations.h): linked into
 * the tracing runtime with trace.c, so nothing here allocates. */
#include <config.h>

#include <string.h>

#include "trace_locations.h"

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void trace_loc_marker(unsigned char out[TRACE_LOC_RECORD_SIZE])
{
	memset(out, 0, TRACE_LOC_RECORD_SIZE);
	memcpy(out, TRACE_LOC_MARKER, 8);
	/* An op byte with bits no version allows and a size of 0: a reader
	 * that does not know the section stops here with an error rather
	 * than taking the section for records. */
	out[14] = 0xff;
}

int trace_loc_is_marker(const unsigned char in[TRACE_LOC_RECORD_SIZE])
{
	unsigned char m[TRACE_LOC_RECORD_SIZE];

	trace_loc_marker(m);
	return memcmp(in, m, TRACE_LOC_RECORD_SIZE) == 0;
}

void trace_loc_put_counts(trace_loc_put put, void *ctx, uint32_t npcs, uint32_t nmodules)
{
	unsigned char b[8];

	put_le(b, npcs, 4);
	put_le(b + 4, nmodules, 4);
	put(ctx, b, sizeof(b));
}

void trace_loc_put_pc(trace_loc_put put, void *ctx, uint64_t pc)
{
	unsigned char b[8];

	put_le(b, pc, 8);
	put(ctx, b, sizeof(b));
}

void trace_loc_put_module(trace_loc_put put, void *ctx, uint64_t bias, uint64_t start, uint64_t end,
			  const char *path, const unsigned char *build_id, unsigned build_id_len)
{
	static const unsigned char zeros[8];
	unsigned char b[32];
	size_t path_len = strlen(path);

	path_len = path_len > TRACE_LOC_MAX_PATH ? TRACE_LOC_MAX_PATH : path_len;
	build_id_len = build_id_len > TRACE_LOC_MAX_BUILD_ID ? TRACE_LOC_MAX_BUILD_ID : build_id_len;
	put_le(b, bias, 8);
	put_le(b + 8, start, 8);
	put_le(b + 16, end, 8);
	put_le(b + 24, path_len, 2);
	put_le(b + 26, build_id_len, 2);
	put_le(b + 28, 0, 4);
	put(ctx, b, sizeof(b));
	put(ctx, path, path_len);
	put(ctx, build_id, build_id_len);
	put(ctx, zeros, (8 - (path_len + build_id_len) % 8) % 8);
}

void trace_loc_put_blocks(trace_loc_put put, void *ctx, uint32_t nblocks, uint32_t dropped)
{
	trace_loc_put_counts(put, ctx, nblocks, dropped);
}

void trace_loc_put_block(trace_loc_put put, void *ctx, uint64_t address, uint64_t size, uint32_t loc,
			 unsigned thread, enum trace_block_kind kind)
{
	unsigned char b[TRACE_LOC_BLOCK_SIZE];

	put_le(b, address, 8);
	put_le(b + 8, size, 8);
	put_le(b + 16, loc, 4);
	put_le(b + 20, thread, 2);
	put_le(b + 22, kind, 2);
	put(ctx, b, sizeof(b));
}

void trace_loc_put_footer(trace_loc_put put, void *ctx, uint64_t marker_offset)
{
	unsigned char b[TRACE_LOC_FOOTER_SIZE];

	put_le(b, marker_offset, 8);
	memcpy(b + 8, TRACE_LOC_FOOTER, 8);
	put(ctx, b, sizeof(b));
}
