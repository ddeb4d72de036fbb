/* Numbers in text, parsed without strtoull's generality (locale, signs,
 * leading blanks, errno): what the text trace readers spend their time
 * on, tens of millions of times a file. */
#ifndef MESILAB_DIGITS_H
#define MESILAB_DIGITS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "compiler.h"

/* Each byte's value as a hex digit, or -1 (digits.c). */
extern const signed char digits_hex_values[256];

/* The hex digits at *P (no prefix): their value in *OUT, *P past them.
 * False with no digit or a value beyond 64 bits. */
static inline bool digits_hex(const char **p, uint64_t *out)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint64_t v = 0;
	int d = digits_hex_values[*s];

	if (d < 0)
		return false;
	do {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
		d = digits_hex_values[*++s];
	} while (d >= 0);
	*p = (const char *)s;
	*out = v;
	return true;
}

/* Hex digits with or without a 0x prefix, as digits_hex. */
static inline bool digits_hex_0x(const char **p, uint64_t *out)
{
	const char *s = *p;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!digits_hex(&s, out))
		return false;
	*p = s;
	return true;
}

/* How many bytes after the start of a number digits_hex_ahead() reads,
 * whatever the number's length: a reader's buffer holds this many more
 * bytes than it fills. */
#define DIGITS_READ_AHEAD 16

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The hex digits among the 8 bytes at S, all at once: how many lead
 * (0 to 8) and, when some do, their value in *V. Each byte is classed
 * with carry-free arithmetic on the whole word (bytes with the top bit
 * set are no digits), then the digits' nibbles are packed pairwise. */
static ML_ALWAYS_INLINE unsigned digits_hex8(const unsigned char *s, uint64_t *v)
{
	const uint64_t ones = 0x0101010101010101u, tops = ones * 0x80;
	uint64_t x, low7, lower, digit, letter, hex;
	unsigned n;

	memcpy(&x, s, sizeof(x));
	low7 = x & ~tops;
	lower = low7 | ones * 0x20;
	digit = (low7 + ones * 0x50) & ~(low7 + ones * 0x46);     /* '0' <= b <= '9' */
	letter = (lower + ones * 0x1f) & ~(lower + ones * 0x19) & ~x & tops; /* 'a' <= b|0x20 <= 'f' */
	hex = (digit & ~x & tops) | letter;
	n = hex == tops ? 8 : (unsigned)ML_CTZ64(~hex & tops) / 8;
	if (n == 0)
		return 0;
	x = (x & ones * 0x0f) + (letter >> 7) * 9;
	x <<= 8 * (8 - n); /* the n digits to the top: leading zeros below */
	x = (x & 0x0f000f000f000f00u) >> 8 | (x & 0x000f000f000f000fu) << 4;
	x = (x & 0x00ff000000ff0000u) >> 16 | (x & 0x000000ff000000ffu) << 8;
	*v = x >> 32 | (x & 0xffffu) << 16;
	return n;
}

/* As digits_hex, for text followed by DIGITS_READ_AHEAD readable bytes:
 * no branch per digit, whose exit a predictor cannot learn when the
 * numbers' lengths vary (as addresses' do). */
static ML_ALWAYS_INLINE bool digits_hex_ahead(const char **p, uint64_t *out)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint64_t v, low;
	unsigned n = digits_hex8(s, &v), more;

	if (n == 8) {
		more = digits_hex8(s + 8, &low);
		if (more == 8) /* 16 digits or more: leading zeros, or too many */
			return digits_hex(p, out);
		v = more ? v << (4 * more) | low : v;
		n += more;
	}
	if (n == 0)
		return false;
	*p = (const char *)s + n;
	*out = v;
	return true;
}
#else
#define digits_hex_ahead digits_hex
#endif

/* The decimal digits at *P, as digits_hex. */
static inline bool digits_decimal(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if ((unsigned)(unsigned char)*s - '0' >= 10)
		return false;
	while ((unsigned)(unsigned char)*s - '0' < 10) {
		unsigned d = (unsigned)(unsigned char)*s - '0';

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return true;
}

#endif
