/* Whole blocks of memory read, written, copied or streamed (non-temporal
 * stores) with the widest vectors the CPU has: the native side of the
 * access interface's block operations, for bandwidth. */
#ifndef MESILAB_BLOCK_H
#define MESILAB_BLOCK_H

#include <stddef.h>
#include <stdint.h>

/* BYTES is a multiple of 64 and P is 64-byte aligned. */
uint64_t block_read(const void *p, size_t bytes);
void block_write(void *p, size_t bytes, uint64_t value);
void block_copy(void *dst, const void *src, size_t bytes);
/* Stores that bypass the caches where the CPU has them, else plain stores. */
void block_stream(void *p, size_t bytes, uint64_t value);
/* "avx2", "sse2" or "scalar": what the block operations use here. */
const char *block_isa(void);

#endif
