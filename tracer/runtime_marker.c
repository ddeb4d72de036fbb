/* The mark of mesilab's runtime. mesilab-cc links every program with a
 * symbol defined as this one, so that a link which found another runtime
 * instead (the thread sanitizer's own libtsan, which would run the program
 * untraced and say nothing) fails, naming it. */
#include <config.h>

#include "recorder.h"

extern RT_EXPORT const char mesilab_trace_runtime[];
RT_EXPORT const char mesilab_trace_runtime[] = "mesilab tracing runtime";
