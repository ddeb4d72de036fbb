/* A run's report: report.md and report.html in the run directory, from
 * what the run holds (its metadata, its CSVs, its figures). */
#ifndef MESILAB_REPORT_WRITER_H
#define MESILAB_REPORT_WRITER_H

#include <stdbool.h>

#include "error.h"

/* Says how the run ended as its meta.json does. */
int report_write(const char *run, struct ml_error *err);
/* The report of the run that writes it as it ends, every other stage
 * done: its meta.json still says "running", and the run says instead
 * whether it completed or FAILED. */
int report_write_ending(const char *run, bool failed, struct ml_error *err);

#endif
