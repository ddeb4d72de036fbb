/* The calls GCC and Clang insert with -fsanitize=thread, answered by
 * recording the access: every non-local load and store, ranges, the
 * memory intrinsics, vtable pointers, and the atomics, which are also
 * carried out, with the memory order the program asked for. Function entry
 * and exit, and the race detector's annotations, are accepted and ignored
 * unless they describe an access (a mutex annotated by a library). */
#include <config.h>

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "recorder.h"

/* Called from .preinit_array (GCC links that in) and from every
 * instrumented module's constructor. The first comes before the C library
 * is initialised (no environment yet, so no settings): the runtime starts
 * at the first call that has one, before main and any instrumented code. */
RT_EXPORT void __tsan_init(void)
{
	extern char **environ;

	if (environ)
		rt_init();
}

RT_EXPORT void __tsan_func_entry(void *pc)
{
	(void)pc;
}

RT_EXPORT void __tsan_func_exit(void)
{
}

/* Plain accesses: aligned, unaligned, volatile, with a caller's PC. */
#define PLAIN(n)                                                                     \
	RT_EXPORT void __tsan_read##n(void *a)                                       \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_READ, RT_CALLER);                   \
	}                                                                            \
	RT_EXPORT void __tsan_write##n(void *a)                                      \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_WRITE, RT_CALLER);                  \
	}                                                                            \
	RT_EXPORT void __tsan_read##n##_pc(void *a, void *pc)                        \
	{                                                                            \
		(void)pc;                                                            \
		rt_access((uintptr_t)a, n, TRACE_READ, RT_CALLER);                   \
	}                                                                            \
	RT_EXPORT void __tsan_write##n##_pc(void *a, void *pc)                       \
	{                                                                            \
		(void)pc;                                                            \
		rt_access((uintptr_t)a, n, TRACE_WRITE, RT_CALLER);                  \
	}                                                                            \
	RT_EXPORT void __tsan_volatile_read##n(void *a)                              \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_READ, RT_CALLER);                   \
	}                                                                            \
	RT_EXPORT void __tsan_volatile_write##n(void *a)                             \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_WRITE, RT_CALLER);                  \
	}

#define UNALIGNED(n)                                                                 \
	RT_EXPORT void __tsan_unaligned_read##n(void *a)                             \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_READ, RT_CALLER);                   \
	}                                                                            \
	RT_EXPORT void __tsan_unaligned_write##n(void *a)                            \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_WRITE, RT_CALLER);                  \
	}                                                                            \
	RT_EXPORT void __tsan_unaligned_volatile_read##n(void *a)                    \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_READ, RT_CALLER);                   \
	}                                                                            \
	RT_EXPORT void __tsan_unaligned_volatile_write##n(void *a)                   \
	{                                                                            \
		rt_access((uintptr_t)a, n, TRACE_WRITE, RT_CALLER);                  \
	}

PLAIN(1)
PLAIN(2)
PLAIN(4)
PLAIN(8)
PLAIN(16)
UNALIGNED(2)
UNALIGNED(4)
UNALIGNED(8)
UNALIGNED(16)

RT_EXPORT void __tsan_read_range(void *a, unsigned long size)
{
	rt_access((uintptr_t)a, size, TRACE_READ, RT_CALLER);
}

RT_EXPORT void __tsan_write_range(void *a, unsigned long size)
{
	rt_access((uintptr_t)a, size, TRACE_WRITE, RT_CALLER);
}

RT_EXPORT void __tsan_read_range_pc(void *a, unsigned long size, void *pc)
{
	(void)pc;
	rt_access((uintptr_t)a, size, TRACE_READ, RT_CALLER);
}

RT_EXPORT void __tsan_write_range_pc(void *a, unsigned long size, void *pc)
{
	(void)pc;
	rt_access((uintptr_t)a, size, TRACE_WRITE, RT_CALLER);
}

RT_EXPORT void __tsan_external_read(void *a, void *pc, void *tag)
{
	(void)pc;
	(void)tag;
	rt_access((uintptr_t)a, 1, TRACE_READ, RT_CALLER);
}

RT_EXPORT void __tsan_external_write(void *a, void *pc, void *tag)
{
	(void)pc;
	(void)tag;
	rt_access((uintptr_t)a, 1, TRACE_WRITE, RT_CALLER);
}

/* Clang hands the memory intrinsics of instrumented code over. */
RT_EXPORT void *__tsan_memcpy(void *dst, const void *src, size_t n)
{
	rt_access((uintptr_t)src, n, TRACE_READ, RT_CALLER);
	rt_access((uintptr_t)dst, n, TRACE_WRITE, RT_CALLER);
	return memcpy(dst, src, n);
}

RT_EXPORT void *__tsan_memmove(void *dst, const void *src, size_t n)
{
	rt_access((uintptr_t)src, n, TRACE_READ, RT_CALLER);
	rt_access((uintptr_t)dst, n, TRACE_WRITE, RT_CALLER);
	return memmove(dst, src, n);
}

RT_EXPORT void *__tsan_memset(void *dst, int c, size_t n)
{
	rt_access((uintptr_t)dst, n, TRACE_WRITE, RT_CALLER);
	return memset(dst, c, n);
}

/* A C++ object's vtable pointer, written by its constructors and read by
 * virtual calls. */
RT_EXPORT void __tsan_vptr_update(void **vptr, void *new_value)
{
	(void)new_value;
	rt_access((uintptr_t)vptr, sizeof(*vptr), TRACE_WRITE, RT_CALLER);
}

RT_EXPORT void __tsan_vptr_read(void **vptr)
{
	rt_access((uintptr_t)vptr, sizeof(*vptr), TRACE_READ, RT_CALLER);
}

/* The race detector's own annotations: a thread's accesses ignored for a
 * while, and mutexes a library implements itself (recorded as the atomic
 * accesses that take and release them: synchronisation records). */
RT_EXPORT void __tsan_ignore_thread_begin(void)
{
	struct rt_thread *t = rt_self();

	if (t) {
		t->ignore++;
		t->fast_end = 0; /* its accesses go where ignore is seen */
	}
}

RT_EXPORT void __tsan_ignore_thread_end(void)
{
	struct rt_thread *t = rt_self();

	if (t && t->ignore > 0)
		t->ignore--;
}

RT_EXPORT void __tsan_acquire(void *a)
{
	(void)a;
}

RT_EXPORT void __tsan_release(void *a)
{
	(void)a;
}

RT_EXPORT void __tsan_mutex_create(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_destroy(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_pre_lock(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_post_lock(void *a, unsigned flags, int recursion)
{
	(void)flags;
	(void)recursion;
	rt_access((uintptr_t)a, 4, TRACE_RMW | TRACE_SYNC, RT_CALLER);
}

RT_EXPORT int __tsan_mutex_pre_unlock(void *a, unsigned flags)
{
	(void)flags;
	rt_access((uintptr_t)a, 4, TRACE_RMW | TRACE_SYNC, RT_CALLER);
	return 0;
}

RT_EXPORT void __tsan_mutex_post_unlock(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_pre_signal(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_post_signal(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_pre_divert(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

RT_EXPORT void __tsan_mutex_post_divert(void *a, unsigned flags)
{
	(void)a;
	(void)flags;
}

/* The region of interest of <mesilab-trace.h>. */
RT_EXPORT void mesilab_trace_start(void)
{
	rt_region(true);
}

RT_EXPORT void mesilab_trace_stop(void)
{
	rt_region(false);
}
