/* Error reporting: one clear line, a stable exit status. */
#ifndef MESILAB_ERROR_H
#define MESILAB_ERROR_H

#include <stddef.h>
#include "compiler.h"

enum ml_exit {
	ML_EXIT_OK = 0,
	ML_EXIT_CHECK_FAILED = 1, /* e.g. a regression was found */
	ML_EXIT_USAGE = 2,        /* bad usage or bad input */
	/* A command stopped by a signal exits with 128 + its number (see
	 * interrupt.h). */
};

/* A failure described in one line, filled by library functions. */
struct ml_error {
	char msg[512];
};

void ml_error_set(struct ml_error *err, const char *fmt, ...) ML_PRINTF(2, 3);

/* The prefix of every message, e.g. "mesilab topo". */
void ml_set_progname(const char *name);
const char *ml_progname(void);

void ml_warn(const char *fmt, ...) ML_PRINTF(1, 2);
/* Exits with STATUS, or with 128 + the signal's number when a signal asked
 * the command to stop (the failure is then the interruption's doing). */
ML_NORETURN void ml_die(int status, const char *fmt, ...) ML_PRINTF(2, 3);
/* How ml_die's STATUS becomes a stop's (128 + the signal's number): set
 * by interrupt.c before any stop can be asked. A hook, because interrupt.c
 * sits above this file (it removes atomic_file.c's temporaries, and both
 * report through this file). */
void ml_set_die_status(int (*status)(int status));

#endif
