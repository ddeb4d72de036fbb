/* Stopping on request: SIGINT (Ctrl-C), SIGTERM (kill, timeout, CI runners,
 * Slurm's scancel and time limits) and SIGHUP (a closed terminal) all ask
 * the command to stop after what it is doing: every long loop looks at
 * interrupt_requested(), completed files stay, temporaries go, a run says
 * it was interrupted, and the exit status is 128 + the signal's number. A
 * second signal, half a second or more after the first, quits at once
 * (still removing unfinished temporaries). */
#ifndef MESILAB_INTERRUPT_H
#define MESILAB_INTERRUPT_H

#include <stdbool.h>

#include "error.h"

void interrupt_install(void);
bool interrupt_requested(void);
/* 128 + the signal's number, as a shell reports a command it stopped. */
int interrupt_exit_status(void);
/* "SIGTERM", for messages; NULL when no signal asked. */
const char *interrupt_signal_name(void);
/* True when a signal asked to stop; ERR then says which ("interrupted by
 * SIGTERM"). For loops that end with an error when asked to stop. */
bool interrupt_check(struct ml_error *err);
/* For tests and for code that must stop the run as if interrupted. */
void interrupt_request(void);
void interrupt_reset(void);

#endif
