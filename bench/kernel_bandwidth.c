/* Streaming over a buffer, compiled once per access backend. */
#include <config.h>

#include "kernels.h"

#if defined(ACCESS_BACKEND_NATIVE)
const char *const bandwidth_op_names[BW_NOPS] = { "read", "write", "copy", "stream" };
#endif

uint64_t KERNEL(bandwidth)(access_ctx *ctx, const struct bandwidth_args *a)
{
	uint64_t sum = 0;
	size_t half = a->bytes / 2;

	for (uint64_t pass = 0; pass < a->passes && access_live(ctx); pass++) {
		switch (a->op) {
		case BW_READ:
			sum += access_read_block(ctx, a->buffer, a->bytes);
			break;
		case BW_WRITE:
			access_write_block(ctx, a->buffer, a->bytes, pass);
			break;
		case BW_COPY:
			access_copy_block(ctx, a->buffer + half, a->buffer, half);
			break;
		default:
			access_stream_block(ctx, a->buffer, a->bytes, pass);
		}
	}
	return sum;
}
