#include <config.h>

#include <string.h>

#include "block.h"
#include "compiler.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* x86-64 always has SSE2 (including non-temporal stores); AVX2 is chosen
 * at run time. Four independent accumulators keep the loads flowing. */
__attribute__((target("avx2")))
static uint64_t read_avx2(const void *p, size_t bytes)
{
	const __m256i *v = p;
	__m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;

	for (size_t i = 0; i < bytes / 32; i += 4) {
		a = _mm256_add_epi64(a, _mm256_load_si256(v + i));
		b = _mm256_add_epi64(b, _mm256_load_si256(v + i + 1));
		c = _mm256_add_epi64(c, _mm256_load_si256(v + i + 2));
		d = _mm256_add_epi64(d, _mm256_load_si256(v + i + 3));
	}
	a = _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d));
	return (uint64_t)_mm256_extract_epi64(a, 0) + (uint64_t)_mm256_extract_epi64(a, 1) +
	       (uint64_t)_mm256_extract_epi64(a, 2) + (uint64_t)_mm256_extract_epi64(a, 3);
}

__attribute__((target("avx2")))
static void write_avx2(void *p, size_t bytes, uint64_t value)
{
	__m256i *v = p, x = _mm256_set1_epi64x((long long)value);

	for (size_t i = 0; i < bytes / 32; i++)
		_mm256_store_si256(v + i, x);
}

__attribute__((target("avx2")))
static void copy_avx2(void *dst, const void *src, size_t bytes)
{
	__m256i *d = dst;
	const __m256i *s = src;

	for (size_t i = 0; i < bytes / 32; i++)
		_mm256_store_si256(d + i, _mm256_load_si256(s + i));
}

__attribute__((target("avx2")))
static void stream_avx2(void *p, size_t bytes, uint64_t value)
{
	__m256i *v = p, x = _mm256_set1_epi64x((long long)value);

	for (size_t i = 0; i < bytes / 32; i++)
		_mm256_stream_si256(v + i, x);
	_mm_sfence();
}

static uint64_t read_sse2(const void *p, size_t bytes)
{
	const __m128i *v = p;
	__m128i a = _mm_setzero_si128(), b = a, c = a, d = a;

	for (size_t i = 0; i < bytes / 16; i += 4) {
		a = _mm_add_epi64(a, _mm_load_si128(v + i));
		b = _mm_add_epi64(b, _mm_load_si128(v + i + 1));
		c = _mm_add_epi64(c, _mm_load_si128(v + i + 2));
		d = _mm_add_epi64(d, _mm_load_si128(v + i + 3));
	}
	a = _mm_add_epi64(_mm_add_epi64(a, b), _mm_add_epi64(c, d));
	return (uint64_t)_mm_cvtsi128_si64(a) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(a, a));
}

static void write_sse2(void *p, size_t bytes, uint64_t value)
{
	__m128i *v = p, x = _mm_set1_epi64x((long long)value);

	for (size_t i = 0; i < bytes / 16; i++)
		_mm_store_si128(v + i, x);
}

static void copy_sse2(void *dst, const void *src, size_t bytes)
{
	__m128i *d = dst;
	const __m128i *s = src;

	for (size_t i = 0; i < bytes / 16; i++)
		_mm_store_si128(d + i, _mm_load_si128(s + i));
}

static void stream_sse2(void *p, size_t bytes, uint64_t value)
{
	__m128i *v = p, x = _mm_set1_epi64x((long long)value);

	for (size_t i = 0; i < bytes / 16; i++)
		_mm_stream_si128(v + i, x);
	_mm_sfence();
}

static int use_avx2(void)
{
	static int has = -1;

	if (has < 0)
		has = __builtin_cpu_supports("avx2");
	return has;
}

uint64_t block_read(const void *p, size_t bytes)
{
	return use_avx2() ? read_avx2(p, bytes) : read_sse2(p, bytes);
}

void block_write(void *p, size_t bytes, uint64_t value)
{
	if (use_avx2())
		write_avx2(p, bytes, value);
	else
		write_sse2(p, bytes, value);
}

void block_copy(void *dst, const void *src, size_t bytes)
{
	if (use_avx2())
		copy_avx2(dst, src, bytes);
	else
		copy_sse2(dst, src, bytes);
}

void block_stream(void *p, size_t bytes, uint64_t value)
{
	if (use_avx2())
		stream_avx2(p, bytes, value);
	else
		stream_sse2(p, bytes, value);
}

const char *block_isa(void)
{
	return use_avx2() ? "avx2" : "sse2";
}

#else

/* Elsewhere: plain C, with a barrier so the loop is not folded away. */
uint64_t block_read(const void *p, size_t bytes)
{
	const uint64_t *v = p;
	uint64_t sum = 0;

	for (size_t i = 0; i < bytes / 8; i++)
		sum += v[i];
	return sum;
}

void block_write(void *p, size_t bytes, uint64_t value)
{
	uint64_t *v = p;

	for (size_t i = 0; i < bytes / 8; i++)
		v[i] = value;
	ML_OPAQUE(v);
}

void block_copy(void *dst, const void *src, size_t bytes)
{
	memcpy(dst, src, bytes);
}

void block_stream(void *p, size_t bytes, uint64_t value)
{
	block_write(p, bytes, value);
}

const char *block_isa(void)
{
	return "scalar";
}

#endif
