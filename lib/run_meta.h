/* What a run's meta.json records, read back: its settings by name. */
#ifndef MESILAB_RUN_META_H
#define MESILAB_RUN_META_H

#include "json_read.h"

/* The value of the setting NAME ("latency.order", "sim.trace"); NULL when
 * META has none, or its value is not a string. */
const char *run_meta_setting(const struct json_value *meta, const char *name);
/* The same as a number; NAN when there is none or it is not a number. */
double run_meta_setting_number(const struct json_value *meta, const char *name);

#endif
