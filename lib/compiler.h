/* Compiler-specific helpers, kept in one place so the rest stays plain C11. */
#ifndef MESILAB_COMPILER_H
#define MESILAB_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define ML_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ML_NORETURN __attribute__((noreturn))
/* Leading zero bits of a non-zero 64-bit value. */
#define ML_CLZ64(x) __builtin_clzll(x)
/* Trailing zero bits of a non-zero 64-bit value. */
#define ML_CTZ64(x) __builtin_ctzll(x)
/* Forces VALUE into a register and hides it from the optimiser, so a chain
 * of dependent operations on it cannot be folded or vectorised. */
#define ML_OPAQUE(value) __asm__ volatile("" : "+r"(value))
/* A hot path the compiler judges too big to inline. */
#define ML_ALWAYS_INLINE inline __attribute__((always_inline))
/* A rare path kept out of line, so that the hot path around it keeps its
 * registers. */
#define ML_NOINLINE __attribute__((noinline))
/* A condition that is almost always true. */
#define ML_LIKELY(x) __builtin_expect(!!(x), 1)
/* One spin-wait hint: x86 pause, Arm yield (a compiler barrier elsewhere).
 * What it costs differs twentyfold between cores (timer.h measures it). */
static inline void ml_cpu_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" : : : "memory");
#else
	__asm__ volatile("" : : : "memory");
#endif
}
#else
#define ML_PRINTF(fmt, args)
#define ML_NORETURN _Noreturn
#error "mesilab needs GCC or Clang inline assembly for its timing kernels"
#endif

/* A macro's value as a string literal: ML_STR(1) is "1". */
#define ML_STRINGIFY(x) #x
#define ML_STR(x) ML_STRINGIFY(x)

#endif
