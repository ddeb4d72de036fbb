#include <config.h>

#include "trace_check.h"

_Static_assert(TRACE_NOPS == 4, "valid ops are exactly those whose bits stay below 4");

static void summarise_portable(const struct trace_record *recs, size_t n, struct trace_summary *sum)
{
	for (size_t i = 0; i < n; i++) {
		sum->max_thread = recs[i].thread > sum->max_thread ? recs[i].thread : sum->max_thread;
		sum->op_bits |= recs[i].op;
		sum->min_size = recs[i].size < sum->min_size ? recs[i].size : sum->min_size;
	}
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && TRACE_NATIVE_LAYOUT
#include <immintrin.h>

/* Two records per 32-byte register: in each half, the thread is 16-bit
 * lane 6, the op byte 14 and the size byte 15; other lanes are ignored.
 * Threads are biased by 2^15 so that a signed maximum finds the unsigned one. */
__attribute__((target("avx2")))
static void summarise_avx2(const struct trace_record *recs, size_t n, struct trace_summary *sum)
{
	const __m256i bias = _mm256_set1_epi16(INT16_MIN);
	__m256i max = bias, bits = _mm256_setzero_si256(), min = _mm256_set1_epi8(-1);
	__m128i max2, bits2, min2;
	size_t i;

	for (i = 0; i + 2 <= n; i += 2) {
		__m256i two = _mm256_loadu_si256((const __m256i *)&recs[i]);

		max = _mm256_max_epi16(max, _mm256_xor_si256(two, bias));
		bits = _mm256_or_si256(bits, two);
		min = _mm256_min_epu8(min, two);
	}
	max2 = _mm_max_epi16(_mm256_castsi256_si128(max), _mm256_extracti128_si256(max, 1));
	bits2 = _mm_or_si128(_mm256_castsi256_si128(bits), _mm256_extracti128_si256(bits, 1));
	min2 = _mm_min_epu8(_mm256_castsi256_si128(min), _mm256_extracti128_si256(min, 1));
	sum->max_thread = (unsigned)(_mm_extract_epi16(max2, 6) ^ 0x8000);
	sum->op_bits = (unsigned)(_mm_extract_epi16(bits2, 7) & 0xff);
	sum->min_size = (unsigned)_mm_extract_epi16(min2, 7) >> 8;
	summarise_portable(recs + i, n - i, sum);
}

static void summarise(const struct trace_record *recs, size_t n, struct trace_summary *sum)
{
	static int has_avx2 = -1;

	if (has_avx2 < 0)
		has_avx2 = __builtin_cpu_supports("avx2");
	if (has_avx2)
		summarise_avx2(recs, n, sum);
	else
		summarise_portable(recs, n, sum);
}
#else
#define summarise summarise_portable
#endif

void trace_summarise(const struct trace_record *recs, size_t n, struct trace_summary *sum)
{
	sum->max_thread = 0;
	sum->op_bits = 0;
	sum->min_size = 255;
	summarise(recs, n, sum);
}
