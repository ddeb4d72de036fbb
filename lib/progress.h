/* Progress of long runs, on stderr, only when stderr is a terminal and the
 * user did not ask for --quiet. One line, rewritten in place. */
#ifndef MESILAB_PROGRESS_H
#define MESILAB_PROGRESS_H

#include <stdbool.h>

#include "compiler.h"

void progress_init(bool quiet);
void progress_update(const char *fmt, ...) ML_PRINTF(1, 2);
/* A line worth knowing that is not an error (a part skipped on this
 * machine, and why), prefixed with the program's name; silenced by
 * --quiet, whatever stderr is. */
void progress_note(const char *fmt, ...) ML_PRINTF(1, 2);
/* Text shown before every progress line from now on (a suite's stage and
 * what is left); NULL for none. */
void progress_set_prefix(const char *text);
/* Clears the progress line. */
void progress_done(void);

#endif
