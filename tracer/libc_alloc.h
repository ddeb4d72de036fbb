/* glibc's allocator under its own names, which the program's allocation
 * calls (heap_calls.c) do not reach: what the runtime's tables grow with
 * while an allocation is being noted into them. */
#ifndef MESILAB_TRACER_LIBC_ALLOC_H
#define MESILAB_TRACER_LIBC_ALLOC_H

#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

#endif
