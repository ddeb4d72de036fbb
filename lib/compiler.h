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
#else
#define ML_PRINTF(fmt, args)
#define ML_NORETURN _Noreturn
#error "mesilab needs GCC or Clang inline assembly for its timing kernels"
#endif

#endif
