/* Text that holds another command's options (sbatch's, given as one
 * --sbatch value), split into words as a POSIX shell splits a command
 * line, but with no expansion of any kind: blanks (space, tab, line
 * break) separate words; single quotes keep every byte up to the next one;
 * double quotes keep every byte up to the next one, a backslash escaping
 * only $, `, ", \ and a line break there; elsewhere a backslash keeps the
 * next byte as it is (a backslash and a line break are dropped, as a
 * shell joins lines). Quotes group and are removed, so '' is an empty
 * word; $, ` and glob characters stay as they are. */
#ifndef MESILAB_WORDS_H
#define MESILAB_WORDS_H

#include <stddef.h>

#include "error.h"

/* The words of TEXT, a NULL-terminated array (words_free), their number
 * in *COUNT; NULL with ERR ("the quote ' at byte 8 is not closed") when a
 * quote is not closed or TEXT ends in a backslash. */
char **words_split(const char *text, size_t *count, struct ml_error *err);
void words_free(char **words);

#endif
