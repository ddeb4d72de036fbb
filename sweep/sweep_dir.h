/* A sweep's directory, as every part reads it: plan.csv (one row per
 * configuration: "configuration" (its id), "trace", the settings, then
 * "protocols" (joined by '+') and "causes"), and rows/ID.csv, a finished configuration's
 * rows. sweep.h writes them; the collection and the figures read
 * them. */
#ifndef MESILAB_SWEEP_DIR_H
#define MESILAB_SWEEP_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"
#include "error.h"

/* plan.csv's first columns and last ones; the settings lie between. */
enum { SWEEP_PLAN_ID, SWEEP_PLAN_TRACE, SWEEP_PLAN_SETTINGS };
#define SWEEP_PLAN_TAIL 2 /* "protocols", "causes" */
/* Configuration ROW's id, as sweep.c writes it: the rows it plans
 * numbered from 0. */
#define SWEEP_PLAN_ID_FORMAT "c%05zu"

/* DIR/plan.csv, read back; NULL with ERR, also when it plans no
 * configuration or its ids are not the ones sweep writes. */
struct csv_file *sweep_dir_plan(const char *dir, struct ml_error *err);
/* The id of configuration ROW ("c00042"). */
const char *sweep_dir_config_id(const struct csv_file *plan, size_t row);
/* DIR/rows/ID.csv (the caller frees). */
char *sweep_dir_rows_path(const char *dir, const char *id);
bool sweep_dir_config_done(const char *dir, const struct csv_file *plan, size_t row);
/* Whether plan column C takes more than one value. */
bool sweep_dir_column_varies(const struct csv_file *plan, size_t c);
/* "l1=16K:8:64 cores=4": the settings (and the trace) by which ROW
 * differs from the other configurations, for messages. */
void sweep_dir_describe(const struct csv_file *plan, size_t row, char *buf, size_t len);

#endif
