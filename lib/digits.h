/* Numbers in text, parsed without strtoull's generality (locale, signs,
 * leading blanks, errno): what the text trace readers spend their time
 * on, tens of millions of times a file. */
#ifndef MESILAB_DIGITS_H
#define MESILAB_DIGITS_H

#include <stdbool.h>
#include <stdint.h>

/* A character's value as a hex digit, or -1. */
static inline int digits_hex_value(unsigned char c)
{
	unsigned v = (unsigned)c - '0';

	if (v < 10)
		return (int)v;
	v = ((unsigned)c | 0x20) - 'a'; /* lower case */
	return v < 6 ? (int)v + 10 : -1;
}

/* The hex digits at *P (no prefix): their value in *OUT, *P past them.
 * False with no digit or a value beyond 64 bits. */
static inline bool digits_hex(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (digits_hex_value((unsigned char)*s) < 0)
		return false;
	while ((d = digits_hex_value((unsigned char)*s)) >= 0) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	*p = s;
	*out = v;
	return true;
}

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
