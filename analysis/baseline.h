/* A history baseline: a directory holding several runs of one build on
 * one machine (the last N runs of a main branch, say), against which a new
 * run's points are judged by their own run-to-run spread. */
#ifndef MESILAB_BASELINE_H
#define MESILAB_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Whether DIR is a baseline: a directory without meta.json of its own. */
bool baseline_is(const char *dir);

/* The runs of the baseline DIR (its subdirectories with a meta.json),
 * oldest first by their start time: *N paths to free with
 * baseline_runs_free. -1 with ERR when DIR cannot be read or a meta.json
 * is malformed. */
int baseline_runs(const char *dir, char ***runs, size_t *n, struct ml_error *err);
void baseline_runs_free(char **runs, size_t n);

/* Copies the run RUN (its meta.json and result tables, not its figures or
 * report) into the baseline DIR, made if need be, and removes the oldest
 * runs beyond KEEP (0: keep every one). The copy is whole or absent. *KEPT
 * is how many runs the baseline holds after. */
int baseline_add(const char *dir, const char *run, size_t keep, size_t *kept, struct ml_error *err);

#endif
