#include <config.h>

#include "digits.h"

#define X(c) ((c) >= '0' && (c) <= '9' ? (c) - '0' : (c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 : \
	      (c) >= 'A' && (c) <= 'F' ? (c) - 'A' + 10 : -1)
#define ROW(r) X(r + 0), X(r + 1), X(r + 2), X(r + 3), X(r + 4), X(r + 5), X(r + 6), X(r + 7), \
	       X(r + 8), X(r + 9), X(r + 10), X(r + 11), X(r + 12), X(r + 13), X(r + 14), X(r + 15)

const signed char digits_hex_values[256] = {
	ROW(0), ROW(16), ROW(32), ROW(48), ROW(64), ROW(80), ROW(96), ROW(112),
	ROW(128), ROW(144), ROW(160), ROW(176), ROW(192), ROW(208), ROW(224), ROW(240),
};
