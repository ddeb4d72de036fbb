/* Standard output checked when a command ends: a write that failed there
 * (a full disk, a closed pipe, a quota) is an error like any other, so that
 * a script reading `mesilab topo --csv >file` never takes a short file for
 * the data. */
#ifndef MESILAB_STDOUT_CHECK_H
#define MESILAB_STDOUT_CHECK_H

/* From now on, the process's end flushes and closes standard output; if
 * that or any earlier write to it failed, it says so in one line on
 * standard error and the exit status becomes 2 (ML_EXIT_USAGE: the
 * output is bad). */
void stdout_check_at_exit(void);

#endif
