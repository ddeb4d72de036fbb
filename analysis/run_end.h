/* How a run ended, from its meta.json, in plain words: complete,
 * interrupted, failed, or never finished (its process was killed: the
 * status still says "running"). For the report and the comparison, which
 * must not present a half-done run as a whole one. */
#ifndef MESILAB_RUN_END_H
#define MESILAB_RUN_END_H

#include <stdbool.h>
#include <stddef.h>

#include "json_read.h"

/* True when the run completed. Otherwise BUF gets a sentence saying how it
 * ended, e.g. "it was killed: meta.json still says running and its process
 * (pid 1234 on this host) is gone; every file it lists is whole, the stages
 * after them are missing". */
bool run_end_complete(const struct json_value *meta, char *buf, size_t len);
/* The same, judged by STATUS ("complete", "failed") instead of the status
 * meta.json holds: for the run that writes its own report as it ends, whose
 * meta.json says "running" until the report is written. */
bool run_end_complete_as(const struct json_value *meta, const char *status, char *buf, size_t len);

#endif
