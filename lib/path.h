/* What is at a path in the file system. */
#ifndef MESILAB_PATH_H
#define MESILAB_PATH_H

#include <stdbool.h>
#include <stddef.h>

bool path_exists(const char *path);
bool path_is_directory(const char *path);
/* Whether the last WINDOW bytes of the file at PATH hold TAIL (LEN bytes):
 * how a file another program wrote (gnuplot, lstopo) is known to be whole
 * when that program does not report a failed write, e.g. on a full disk. */
/* The first line of PATH, without its newline, into BUF; "" when it cannot
 * be read. */
void path_first_line(const char *path, char *buf, size_t len);
bool path_tail_holds(const char *path, const void *tail, size_t len, size_t window);

#endif
