/* mesilab-trace.h: record only a region of interest of a program traced
 * with mesilab-cc (see mesilab-cc(1)).
 *
 *     #include <mesilab-trace.h>
 *     ...
 *     mesilab_trace_start();   (the accesses from here on are recorded)
 *     ...
 *     mesilab_trace_stop();    (and no more from here)
 *
 * A program that includes this header starts with recording off. Built
 * without mesilab-cc, the two calls do nothing. */
#ifndef MESILAB_TRACE_H_INCLUDED
#define MESILAB_TRACE_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MESILAB_TRACING)
void mesilab_trace_start(void);
void mesilab_trace_stop(void);
/* Its presence tells the runtime to wait for mesilab_trace_start(). */
extern int mesilab_trace_region_used;
__attribute__((weak, used)) int mesilab_trace_region_used = 1;
#else
static inline void mesilab_trace_start(void)
{
}

static inline void mesilab_trace_stop(void)
{
}
#endif

#ifdef __cplusplus
}
#endif

#endif
