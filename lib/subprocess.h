/* Running a helper program (lstopo, gnuplot) and waiting for it. */
#ifndef MESILAB_SUBPROCESS_H
#define MESILAB_SUBPROCESS_H

/* Runs ARGV[0] (searched in PATH) with its output discarded. Returns its
 * exit status, or -1 when it could not be started (errno is set). */
int subprocess_run(char *const argv[]);
/* The same with its standard output and error written to the file LOG. */
int subprocess_run_logged(char *const argv[], const char *log);

#endif
