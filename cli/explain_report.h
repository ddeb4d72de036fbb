/* What 'mesilab explain' prints and writes from an attributed replay:
 * the code lines and data objects by cost, the false sharing in words and
 * the saving of padding it away (a second replay). */
#ifndef MESILAB_CLI_EXPLAIN_REPORT_H
#define MESILAB_CLI_EXPLAIN_REPORT_H

#include "error.h"
#include "explain.h"
#include "rundir.h"

/* Prints the tables and the finding on standard output, saves the CSVs
 * into RUN. 0, or -1 with ERR. */
int explain_report(struct explain *ex, struct rundir *run, struct ml_error *err);

#endif
