/* Running a helper program (lstopo, gnuplot) and waiting for it. */
#ifndef MESILAB_SUBPROCESS_H
#define MESILAB_SUBPROCESS_H

#include <stddef.h>

/* Runs ARGV[0] (searched in PATH) with its output discarded. Returns its
 * exit status, or -1 when it could not be started (errno is set). */
int subprocess_run(char *const argv[]);
/* The same with its standard output and error written to the file LOG. */
int subprocess_run_logged(char *const argv[], const char *log);
/* The same run in the directory DIR (LOG is opened before the change of
 * directory, relative to ours), so that it can name its files relative to
 * DIR whatever DIR's path holds. */
int subprocess_run_logged_in(char *const argv[], const char *dir, const char *log);
/* The same with its standard output and error into OUT (LEN bytes at
 * most, NUL-terminated; the rest is read and dropped). */
int subprocess_run_output(char *const argv[], char *out, size_t len);

#endif
