/* A run's report: report.md and report.html in the run directory, from
 * what the run holds (its metadata, its CSVs, its figures). */
#ifndef MESILAB_REPORT_WRITER_H
#define MESILAB_REPORT_WRITER_H

#include "error.h"

int report_write(const char *run, struct ml_error *err);

#endif
