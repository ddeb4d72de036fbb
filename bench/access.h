/* The access interface every benchmark kernel is written against: load,
 * store, atomic read-modify-write and "work" (non-memory cycles). A kernel
 * source is compiled twice (see Makefile.am):
 *   ACCESS_BACKEND_NATIVE  real accesses only, for timing;
 *   ACCESS_BACKEND_LOGGED  the same real accesses, each one also handed to
 *                          a sink as a trace record with its address made
 *                          relative to a base, so traces are reproducible.
 * KERNEL(name) names the function after the backend: name_native or
 * name_logged, so both builds link into one program. */
#ifndef MESILAB_ACCESS_H
#define MESILAB_ACCESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "block.h"
#include "compiler.h"
#include "trace.h"

struct access_native {
	unsigned thread;
	/* Set when the measurement is given up (its deadline passed, or a
	 * signal asked to stop): a waiting loop stops waiting and the kernel
	 * returns. NULL: never. */
	const atomic_bool *give_up;
};

struct access_logged {
	unsigned thread;
	uintptr_t base;   /* recorded addresses are relative to it */
	uint32_t gap;     /* work since the previous access */
	void (*sink)(struct access_logged *ctx, const struct trace_record *rec);
	void *sink_data;
	/* Set by the sink when the trace cannot go on (a signal asked to stop,
	 * or its file cannot be written): the kernel returns early. */
	bool stop;
	/* The cycles a spin-wait hint stands for, added to the next access's
	 * gap: 0 in a trace (it is the same on every machine), the host's
	 * pause when a model's timing drives the kernel (see driven.h). */
	uint32_t relax_cycles;
};

/* Relaxed atomics: exactly one real access each, never cached in a
 * register or merged by the compiler, and no fence on x86. */
#define ACCESS_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define ACCESS_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define ACCESS_FETCH_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)

/* CYCLES dependent adds: about one core cycle each. */
static inline void access_spin_cycles(uint32_t cycles)
{
	uint64_t x = 0;

	for (uint32_t i = 0; i < cycles; i++) {
		x += 1;
		ML_OPAQUE(x);
	}
}

/* Whether a native thread was told to give up (see access_wait). */
static inline bool access_given_up(const struct access_native *ctx)
{
	return ctx->give_up && atomic_load_explicit(ctx->give_up, memory_order_relaxed);
}

/* Writing the line holding P back to memory and dropping it from every
 * cache, where the architecture lets a program do so (ACCESS_CAN_FLUSH).
 * The trace has no flush: a logged kernel stands for a flushed line with
 * one never touched before, which a simulated machine also finds in memory
 * only (see the states kernel). */
#if defined(__x86_64__) || defined(__i386__)
#define ACCESS_CAN_FLUSH 1
#define ACCESS_FLUSH_LINE(p) __builtin_ia32_clflush(p)
#elif defined(__aarch64__)
#define ACCESS_CAN_FLUSH 1
#define ACCESS_FLUSH_LINE(p) __asm__ volatile("dc civac, %0" : : "r"(p) : "memory")
#else
#define ACCESS_CAN_FLUSH 0
#define ACCESS_FLUSH_LINE(p) ((void)(p))
#endif

#if defined(ACCESS_BACKEND_NATIVE)

typedef struct access_native access_ctx;
#define KERNEL(name) name##_native
#define ACCESS_LOG(ctx, op, p, size) ((void)(ctx))

#elif defined(ACCESS_BACKEND_LOGGED)

typedef struct access_logged access_ctx;
#define KERNEL(name) name##_logged

static inline void access_log(struct access_logged *ctx, enum trace_op op, const void *p,
			      unsigned size)
{
	struct trace_record rec = {
		.address = (uint64_t)((uintptr_t)p - ctx->base),
		.gap = ctx->gap,
		.thread = (uint16_t)ctx->thread,
		.op = (uint8_t)op,
		.size = (uint8_t)size,
	};

	ctx->gap = 0;
	ctx->sink(ctx, &rec);
}
#define ACCESS_LOG(ctx, op, p, size) access_log((ctx), (op), (p), (size))

#endif

#if defined(ACCESS_BACKEND_NATIVE) || defined(ACCESS_BACKEND_LOGGED)

static inline uint64_t access_load_u64(access_ctx *ctx, const uint64_t *p)
{
	ACCESS_LOG(ctx, TRACE_READ, p, 8);
	return ACCESS_LOAD(p);
}

static inline void access_store_u64(access_ctx *ctx, uint64_t *p, uint64_t v)
{
	ACCESS_LOG(ctx, TRACE_WRITE, p, 8);
	ACCESS_STORE(p, v);
}

static inline uint64_t access_fetch_add_u64(access_ctx *ctx, uint64_t *p, uint64_t v)
{
	ACCESS_LOG(ctx, TRACE_RMW, p, 8);
	return ACCESS_FETCH_ADD(p, v);
}

/* Publishing and observing: a store that orders the stores before it, a
 * load that orders the loads after it (plain moves on x86; fences where the
 * memory model is weaker). For locks and queues. */
static inline void access_store_release_u64(access_ctx *ctx, uint64_t *p, uint64_t v)
{
	ACCESS_LOG(ctx, TRACE_WRITE, p, 8);
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t access_load_acquire_u64(access_ctx *ctx, const uint64_t *p)
{
	ACCESS_LOG(ctx, TRACE_READ, p, 8);
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Exchange: stores V, returns what *P held. */
static inline uint64_t access_swap_u64(access_ctx *ctx, uint64_t *p, uint64_t v)
{
	ACCESS_LOG(ctx, TRACE_RMW, p, 8);
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/* A full fence that also holds back everything after it: the stores
 * before it are visible before anything after it even starts, so a timed
 * store costs its whole ownership request. (A plain sequentially
 * consistent fence, a locked instruction on x86, lets later loads run
 * ahead speculatively and later stores fetch their lines early.) Not an
 * access: the trace has no record of it. */
static inline void access_fence(access_ctx *ctx)
{
	(void)ctx;
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("mfence; lfence" : : : "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static inline void access_flush(access_ctx *ctx, const void *p)
{
	(void)ctx;
	ACCESS_FLUSH_LINE(p);
}

/* Compare-and-swap: true when *P held EXPECTED and now holds DESIRED. */
static inline bool access_cas_u64(access_ctx *ctx, uint64_t *p, uint64_t expected, uint64_t desired)
{
	ACCESS_LOG(ctx, TRACE_RMW, p, 8);
	return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/* Compare-and-swap returning what *P held (EXPECTED when it succeeded),
 * so that what comes next can depend on it. */
static inline uint64_t access_cas_value_u64(access_ctx *ctx, uint64_t *p, uint64_t expected,
					    uint64_t desired)
{
	ACCESS_LOG(ctx, TRACE_RMW, p, 8);
	__atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return expected;
}

static inline uint32_t access_load_u32(access_ctx *ctx, const uint32_t *p)
{
	ACCESS_LOG(ctx, TRACE_READ, p, 4);
	return ACCESS_LOAD(p);
}

static inline void access_store_u32(access_ctx *ctx, uint32_t *p, uint32_t v)
{
	ACCESS_LOG(ctx, TRACE_WRITE, p, 4);
	ACCESS_STORE(p, v);
}

static inline uint32_t access_fetch_add_u32(access_ctx *ctx, uint32_t *p, uint32_t v)
{
	ACCESS_LOG(ctx, TRACE_RMW, p, 4);
	return ACCESS_FETCH_ADD(p, v);
}

/* Whole blocks, for bandwidth: BYTES a multiple of 64, P 64-byte aligned.
 * The logged back-end records one 64-byte access per chunk. */
static inline void access_log_block(access_ctx *ctx, enum trace_op op, const void *p, size_t bytes)
{
#if defined(ACCESS_BACKEND_LOGGED)
	for (size_t off = 0; off < bytes; off += 64)
		access_log(ctx, op, (const unsigned char *)p + off, 64);
#else
	(void)ctx, (void)op, (void)p, (void)bytes;
#endif
}

static inline uint64_t access_read_block(access_ctx *ctx, const void *p, size_t bytes)
{
	access_log_block(ctx, TRACE_READ, p, bytes);
	return block_read(p, bytes);
}

static inline void access_write_block(access_ctx *ctx, void *p, size_t bytes, uint64_t value)
{
	access_log_block(ctx, TRACE_WRITE, p, bytes);
	block_write(p, bytes, value);
}

static inline void access_stream_block(access_ctx *ctx, void *p, size_t bytes, uint64_t value)
{
	access_log_block(ctx, TRACE_WRITE, p, bytes);
	block_stream(p, bytes, value);
}

/* A copy, 64 bytes at a time in the log: a read of the source, a write of
 * the destination. */
static inline void access_copy_block(access_ctx *ctx, void *dst, const void *src, size_t bytes)
{
#if defined(ACCESS_BACKEND_LOGGED)
	for (size_t off = 0; off < bytes; off += 64) {
		access_log(ctx, TRACE_READ, (const unsigned char *)src + off, 64);
		access_log(ctx, TRACE_WRITE, (unsigned char *)dst + off, 64);
	}
#else
	(void)ctx;
#endif
	block_copy(dst, src, bytes);
}

/* N spin-wait hints while waiting for another core: a waiting loop that
 * hammers the line without them slows the very transfer it waits for (and
 * pays a pipeline flush when the line changes). Not an access: the trace
 * has no record of it, only its cycles in the next gap when the context
 * says what a hint costs. */
static inline void access_relax(access_ctx *ctx, unsigned n)
{
#if defined(ACCESS_BACKEND_LOGGED)
	uint64_t gap = (uint64_t)ctx->gap + (uint64_t)n * ctx->relax_cycles;

	ctx->gap = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap;
#else
	(void)ctx;
#endif
	for (unsigned i = 0; i < n; i++)
		ml_cpu_pause();
}

/* One step of a loop that waits for another thread: RELAX spin-wait hints,
 * then whether to go on waiting. False when the measurement was given up
 * (a thread that waits for a preempted partner must not wait forever) or
 * the trace stopped; the kernel then returns. */
static inline bool access_wait(access_ctx *ctx, unsigned relax)
{
	access_relax(ctx, relax);
#if defined(ACCESS_BACKEND_LOGGED)
	return !ctx->stop;
#else
	return !access_given_up(ctx);
#endif
}

/* Whether a kernel's outer loop goes on: always natively (no cost in a
 * timed loop; a native kernel's work is bounded, only its waits are not),
 * until the sink stops it when tracing. */
static inline bool access_live(const access_ctx *ctx)
{
#if defined(ACCESS_BACKEND_LOGGED)
	return !ctx->stop;
#else
	(void)ctx;
	return true;
#endif
}

static inline void access_work(access_ctx *ctx, uint32_t cycles)
{
#if defined(ACCESS_BACKEND_LOGGED)
	ctx->gap = cycles > UINT32_MAX - ctx->gap ? UINT32_MAX : ctx->gap + cycles;
#else
	(void)ctx;
#endif
	access_spin_cycles(cycles);
}

#endif

#endif
