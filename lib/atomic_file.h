/* Files that appear whole or not at all: written under a temporary name in
 * the same directory and renamed into place only when complete. A
 * symbolic link is followed: its target is replaced, the link stays. An
 * output that exists and is not a regular file (/dev/null, /dev/stdout, a
 * FIFO) is written through, as a shell's redirection would, never
 * replaced. */
#ifndef MESILAB_ATOMIC_FILE_H
#define MESILAB_ATOMIC_FILE_H

#include <stdio.h>

#include "error.h"

struct atomic_file;

/* For a file a command makes inside a directory it did not make (a run's
 * report, a fleet's pages): a link, FIFO or device the directory holds by
 * PATH's name is removed, so that atomic_file_open makes a regular file
 * there rather than writing through it (into a file outside the
 * directory; a FIFO without a reader waits for ever). 0, or -1 with ERR. */
int atomic_file_unlink_special(const char *path, struct ml_error *err);
/* Opens a temporary file beside PATH; write to atomic_file_stream(). */
struct atomic_file *atomic_file_open(const char *path, struct ml_error *err);
FILE *atomic_file_stream(struct atomic_file *f);
/* For writers that need a file name (hwloc, lstopo): closes the stream and
 * returns the temporary file's name (the output's own when written
 * through); fill it, then commit or abort. */
const char *atomic_file_hand_over(struct atomic_file *f);
/* Flushes, syncs and renames into place. Frees F whatever the outcome; on
 * failure the temporary file is removed and the final name is untouched. */
int atomic_file_commit(struct atomic_file *f, struct ml_error *err);
/* Throws the temporary file away. */
void atomic_file_abort(struct atomic_file *f);

/* Removes every temporary file still open; async-signal-safe. */
void atomic_file_unlink_pending(void);

#endif
