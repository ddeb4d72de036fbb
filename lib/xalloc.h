/* Allocation that cannot fail silently: running out of memory ends the
 * program with a message (temporary files are still cleaned up). */
#ifndef MESILAB_XALLOC_H
#define MESILAB_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#include "compiler.h"

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* BYTES of zeroed memory aligned on a 4 KiB page (free with free()). */
void *xpages(size_t bytes);
/* asprintf that cannot fail. */
char *xasprintf(const char *fmt, ...) ML_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) ML_PRINTF(1, 0);

#endif
