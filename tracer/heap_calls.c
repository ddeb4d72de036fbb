/* The heap's blocks, for naming the program's data there: each call that
 * allocates (malloc, calloc, realloc, posix_memalign, aligned_alloc,
 * memalign, and C++'s new and new[]) is answered by glibc's allocator
 * under its own names and noted with its size and the code location that
 * called it.
 * Frees are not noted: a block's address taken again is another block
 * at the same place, which explain tells apart by their locations. Calls
 * made while one is noted (the runtime's own, glibc's inside) are passed
 * on without a note. */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "libc_alloc.h"
#include "recorder.h"

static __thread int noting;

static void *noted(void *p, size_t size, uintptr_t pc)
{
	if (p && !noting) {
		noting++;
		rt_heap_block((uintptr_t)p, size, pc);
		noting--;
	}
	return p;
}

RT_EXPORT void *malloc(size_t size)
{
	return noted(__libc_malloc(size), size, RT_CALLER);
}

RT_EXPORT void *calloc(size_t n, size_t size)
{
	return noted(__libc_calloc(n, size), n * size, RT_CALLER);
}

RT_EXPORT void *realloc(void *p, size_t size)
{
	return noted(__libc_realloc(p, size), size, RT_CALLER);
}

RT_EXPORT void *memalign(size_t alignment, size_t size)
{
	return noted(__libc_memalign(alignment, size), size, RT_CALLER);
}

RT_EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	return noted(__libc_memalign(alignment, size), size, RT_CALLER);
}

RT_EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
	void *p;

	if (alignment % sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	p = __libc_memalign(alignment, size);
	if (!p && size)
		return ENOMEM;
	*out = noted(p, size, RT_CALLER);
	return 0;
}

/* C++'s new and new[] (the Itanium ABI's names): noted at the program's
 * call, not at the library's malloc inside. Out of memory, the library's
 * own takes over, to throw. */
typedef void *(*cxx_new)(size_t size);

static void *new_at(size_t size, uintptr_t pc, const char *name)
{
	void *p = __libc_malloc(size ? size : 1);
	cxx_new real;

	if (p)
		return noted(p, size, pc);
	real = (cxx_new)dlsym(RTLD_NEXT, name);
	return real ? real(size) : NULL;
}

RT_EXPORT void *_Znwm(size_t size)
{
	return new_at(size, RT_CALLER, "_Znwm");
}

RT_EXPORT void *_Znam(size_t size)
{
	return new_at(size, RT_CALLER, "_Znam");
}
