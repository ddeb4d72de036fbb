/* Parsing and printing of sizes and numbers given on the command line. */
#ifndef MESILAB_UNITS_H
#define MESILAB_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "64", "32K", "32KiB", "1M", "1MiB", "2G", "2GiB" (binary multiples).
 * Returns 0, or -1 when TEXT is not a size or overflows. */
int units_parse_size(const char *text, uint64_t *out);

/* A non-negative decimal integer that fits in uint64_t. */
int units_parse_u64(const char *text, uint64_t *out);

/* "48 KiB", "1 MiB", "1.5 MiB", "100 B": exact where possible. */
void units_format_size(uint64_t bytes, char *buf, size_t len);

#endif
