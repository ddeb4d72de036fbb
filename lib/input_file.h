/* Reading input somebody else may have made: a run directory handed over
 * by a student, sent by a lab machine, gathered from cluster nodes. What it
 * supplies is read only when it is what it claims: a regular file (a FIFO
 * would hang the reader, a device never end), of a size its kind can have,
 * and, for the files a directory is searched for, inside that directory (a
 * symbolic link to ~/.ssh/id_ed25519 is not a figure). */
#ifndef MESILAB_INPUT_FILE_H
#define MESILAB_INPUT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Opens PATH for reading: a regular file, checked on the open descriptor
 * (opened non-blocking, so that a FIFO cannot hang the open), at most
 * MAX_BYTES long. When WITHIN is not NULL, PATH must lie inside the
 * directory WITHIN once every symbolic link is resolved. Returns a
 * blocking descriptor, or -1 with ERR naming PATH and what is wrong. */
int input_open(const char *path, const char *within, uint64_t max_bytes, struct ml_error *err);
/* Reads such a file whole into a new buffer, NUL-terminated, its length in
 * *LEN; NULL with ERR. Stops when a signal asks (interrupt.h). */
char *input_read_all(const char *path, const char *within, uint64_t max_bytes, size_t *len,
		     struct ml_error *err);
/* Whether PATH lies inside the directory WITHIN once symbolic links are
 * resolved (both must exist). */
int input_is_within(const char *path, const char *within);

#endif
