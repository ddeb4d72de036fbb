/* The atomics of instrumented code: __tsan_atomicN_OP, carried out with
 * the memory order asked (the ABI passes it as a number: 0 relaxed, 1
 * consume, 2 acquire, 3 release, 4 acq_rel, 5 seq_cst), and recorded as
 * what they are to a cache: an atomic load is a load (R), an atomic store
 * a store (W), and everything that reads and writes at once, an exchange,
 * a fetch-and-op or a compare-and-swap, an atomic read-modify-write (A).
 * Recording an atomic load as A would invent invalidations that a spinning
 * reader does not cause. Every one is marked a synchronisation record
 * (whatever its memory order: the replay keeps them all in the order they
 * happened). The record follows the operation, so that the order of the
 * stamps is that of the operations on one word. */
#include <config.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "recorder.h"

/* The builtins want their order as a constant: one case per order that is
 * valid for the operation (a consume is taken as an acquire, as compilers
 * do). */
#define AS_LOAD(mo, DO)                        \
	switch (mo) {                          \
	case 0: DO(__ATOMIC_RELAXED); break;   \
	case 1:                                \
	case 2: DO(__ATOMIC_ACQUIRE); break;   \
	default: DO(__ATOMIC_SEQ_CST); break;  \
	}
#define AS_STORE(mo, DO)                       \
	switch (mo) {                          \
	case 0: DO(__ATOMIC_RELAXED); break;   \
	case 3: DO(__ATOMIC_RELEASE); break;   \
	default: DO(__ATOMIC_SEQ_CST); break;  \
	}
#define AS_RMW(mo, DO)                         \
	switch (mo) {                          \
	case 0: DO(__ATOMIC_RELAXED); break;   \
	case 1:                                \
	case 2: DO(__ATOMIC_ACQUIRE); break;   \
	case 3: DO(__ATOMIC_RELEASE); break;   \
	case 4: DO(__ATOMIC_ACQ_REL); break;   \
	default: DO(__ATOMIC_SEQ_CST); break;  \
	}
/* A compare-and-swap that fails is a load: it takes the load part of the
 * success order, at least as strong as any failure order the program may
 * ask beside it. */
#define AS_CAS(mo, DO)                                           \
	switch (mo) {                                            \
	case 0: DO(__ATOMIC_RELAXED, __ATOMIC_RELAXED); break;   \
	case 1:                                                  \
	case 2: DO(__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE); break;   \
	case 3: DO(__ATOMIC_RELEASE, __ATOMIC_RELAXED); break;   \
	case 4: DO(__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE); break;   \
	default: DO(__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); break;  \
	}

#define LOAD_WITH(o) value = __atomic_load_n(a, o)
#define STORE_WITH(o) __atomic_store_n(a, v, o)
#define EXCHANGE_WITH(o) value = __atomic_exchange_n(a, v, o)
#define ADD_WITH(o) value = __atomic_fetch_add(a, v, o)
#define SUB_WITH(o) value = __atomic_fetch_sub(a, v, o)
#define AND_WITH(o) value = __atomic_fetch_and(a, v, o)
#define OR_WITH(o) value = __atomic_fetch_or(a, v, o)
#define XOR_WITH(o) value = __atomic_fetch_xor(a, v, o)
#define NAND_WITH(o) value = __atomic_fetch_nand(a, v, o)
#define CAS_WITH(s, f) done = __atomic_compare_exchange_n(a, c, v, weak, s, f)

#define RMW(bits, T, name, WITH)                                                       \
	RT_EXPORT T __tsan_atomic##bits##_##name(volatile T *a, T v, int mo)           \
	{                                                                              \
		T value;                                                               \
		AS_RMW(mo, WITH)                                                       \
		rt_access((uintptr_t)a, sizeof(T), TRACE_RMW | TRACE_SYNC, RT_CALLER); \
		return value;                                                          \
	}

#define ATOMICS(bits, T)                                                                         \
	RT_EXPORT T __tsan_atomic##bits##_load(const volatile T *a, int mo)                      \
	{                                                                                        \
		T value;                                                                         \
		AS_LOAD(mo, LOAD_WITH)                                                           \
		rt_access((uintptr_t)a, sizeof(T), TRACE_READ | TRACE_SYNC, RT_CALLER);          \
		return value;                                                                    \
	}                                                                                        \
	RT_EXPORT void __tsan_atomic##bits##_store(volatile T *a, T v, int mo)                   \
	{                                                                                        \
		AS_STORE(mo, STORE_WITH)                                                         \
		rt_access((uintptr_t)a, sizeof(T), TRACE_WRITE | TRACE_SYNC, RT_CALLER);         \
	}                                                                                        \
	RMW(bits, T, exchange, EXCHANGE_WITH)                                                    \
	RMW(bits, T, fetch_add, ADD_WITH)                                                        \
	RMW(bits, T, fetch_sub, SUB_WITH)                                                        \
	RMW(bits, T, fetch_and, AND_WITH)                                                        \
	RMW(bits, T, fetch_or, OR_WITH)                                                          \
	RMW(bits, T, fetch_xor, XOR_WITH)                                                        \
	RMW(bits, T, fetch_nand, NAND_WITH)                                                      \
	static int cas##bits(volatile T *a, T *c, T v, int mo, bool weak, uintptr_t pc)          \
	{                                                                                        \
		bool done;                                                                       \
		AS_CAS(mo, CAS_WITH)                                                             \
		rt_access((uintptr_t)a, sizeof(T), TRACE_RMW | TRACE_SYNC, pc);                  \
		return done;                                                                     \
	}                                                                                        \
	RT_EXPORT int __tsan_atomic##bits##_compare_exchange_strong(volatile T *a, T *c, T v,    \
								     int mo, int failure_mo)     \
	{                                                                                        \
		(void)failure_mo;                                                                \
		return cas##bits(a, c, v, mo, false, RT_CALLER);                                 \
	}                                                                                        \
	RT_EXPORT int __tsan_atomic##bits##_compare_exchange_weak(volatile T *a, T *c, T v,      \
								   int mo, int failure_mo)       \
	{                                                                                        \
		(void)failure_mo;                                                                \
		return cas##bits(a, c, v, mo, true, RT_CALLER);                                  \
	}                                                                                        \
	RT_EXPORT T __tsan_atomic##bits##_compare_exchange_val(volatile T *a, T c, T v, int mo,  \
								int failure_mo)                  \
	{                                                                                        \
		(void)failure_mo;                                                                \
		cas##bits(a, &c, v, mo, false, RT_CALLER);                                       \
		return c;                                                                        \
	}

ATOMICS(8, uint8_t)
ATOMICS(16, uint16_t)
ATOMICS(32, uint32_t)
ATOMICS(64, uint64_t)

#ifdef __SIZEOF_INT128__
/* 16-byte atomics, which not every CPU has, under one lock: every 16-byte
 * atomic of instrumented code comes here, so they stay atomic among
 * themselves (the race detector's own runtime does the same). */
typedef unsigned __int128 u128;
static atomic_flag lock128 = ATOMIC_FLAG_INIT;

static void take128(void)
{
	while (atomic_flag_test_and_set_explicit(&lock128, memory_order_acquire))
		;
}

static void give128(void)
{
	atomic_flag_clear_explicit(&lock128, memory_order_release);
}

RT_EXPORT u128 __tsan_atomic128_load(const volatile u128 *a, int mo)
{
	u128 value;

	(void)mo;
	take128();
	value = *a;
	give128();
	rt_access((uintptr_t)a, sizeof(*a), TRACE_READ | TRACE_SYNC, RT_CALLER);
	return value;
}

RT_EXPORT void __tsan_atomic128_store(volatile u128 *a, u128 v, int mo)
{
	(void)mo;
	take128();
	*a = v;
	give128();
	rt_access((uintptr_t)a, sizeof(*a), TRACE_WRITE | TRACE_SYNC, RT_CALLER);
}

#define RMW128(name, NEW)                                                               \
	RT_EXPORT u128 __tsan_atomic128_##name(volatile u128 *a, u128 v, int mo)        \
	{                                                                               \
		u128 old;                                                               \
		(void)mo;                                                               \
		take128();                                                              \
		old = *a;                                                               \
		*a = NEW;                                                               \
		give128();                                                              \
		rt_access((uintptr_t)a, sizeof(*a), TRACE_RMW | TRACE_SYNC, RT_CALLER); \
		return old;                                                             \
	}

RMW128(exchange, v)
RMW128(fetch_add, old + v)
RMW128(fetch_sub, old - v)
RMW128(fetch_and, old & v)
RMW128(fetch_or, old | v)
RMW128(fetch_xor, old ^ v)
RMW128(fetch_nand, ~(old & v))

static int cas128(volatile u128 *a, u128 *c, u128 v, uintptr_t pc)
{
	int done;

	take128();
	done = *a == *c;
	if (done)
		*a = v;
	else
		*c = *a;
	give128();
	rt_access((uintptr_t)a, sizeof(*a), TRACE_RMW | TRACE_SYNC, pc);
	return done;
}

RT_EXPORT int __tsan_atomic128_compare_exchange_strong(volatile u128 *a, u128 *c, u128 v, int mo, int failure_mo)
{
	(void)mo;
	(void)failure_mo;
	return cas128(a, c, v, RT_CALLER);
}

RT_EXPORT int __tsan_atomic128_compare_exchange_weak(volatile u128 *a, u128 *c, u128 v, int mo, int failure_mo)
{
	(void)mo;
	(void)failure_mo;
	return cas128(a, c, v, RT_CALLER);
}

RT_EXPORT u128 __tsan_atomic128_compare_exchange_val(volatile u128 *a, u128 c, u128 v, int mo, int failure_mo)
{
	(void)mo;
	(void)failure_mo;
	cas128(a, &c, v, RT_CALLER);
	return c;
}
#endif

#define FENCE_WITH(o) __atomic_thread_fence(o)
#define SIGNAL_FENCE_WITH(o) __atomic_signal_fence(o)

RT_EXPORT void __tsan_atomic_thread_fence(int mo)
{
	AS_RMW(mo, FENCE_WITH)
}

RT_EXPORT void __tsan_atomic_signal_fence(int mo)
{
	AS_RMW(mo, SIGNAL_FENCE_WITH)
}
