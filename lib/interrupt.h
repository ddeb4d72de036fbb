/* Ctrl-C handling: the first interrupt asks the run to stop after what it
 * is doing and to record itself as interrupted; a second one quits at once
 * (still removing unfinished temporary files). */
#ifndef MESILAB_INTERRUPT_H
#define MESILAB_INTERRUPT_H

#include <stdbool.h>

void interrupt_install(void);
bool interrupt_requested(void);
/* For tests and for code that must stop the run as if interrupted. */
void interrupt_request(void);
void interrupt_reset(void);

#endif
