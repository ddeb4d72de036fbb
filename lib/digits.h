/* Numbers in text, parsed without strtoull's generality (locale, signs,
 * leading blanks, errno): what the text trace readers spend their time
 * on, tens of millions of times a file. */
#ifndef MESILAB_DIGITS_H
#define MESILAB_DIGITS_H

#include <stdbool.h>
#include <stdint.h>

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
