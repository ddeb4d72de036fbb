#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "xalloc.h"

static void *check(void *p)
{
	if (!p)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	return p;
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	return check(realloc(p, n && size ? n * size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

void *xpages(size_t bytes)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, bytes ? bytes : 1) != 0)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory (%zu bytes)", bytes);
	memset(p, 0, bytes);
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	int len;
	char *buf;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	buf = xmalloc((size_t)len + 1);
	vsnprintf(buf, (size_t)len + 1, fmt, ap);
	return buf;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *buf;

	va_start(ap, fmt);
	buf = xvasprintf(fmt, ap);
	va_end(ap);
	return buf;
}
