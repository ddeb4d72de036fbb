#include <config.h>

#include "pu_probe.h"
#include "timer.h"

/* A clock jump longer than this is time the PU spent elsewhere: a timer
 * or device interrupt takes a few microseconds, a preemption at least a
 * scheduler tick's fraction (hundreds of microseconds and more). */
#define GAP_NS 20000u

double pu_probe_available(uint64_t duration_ns, const struct access_native *ctx)
{
	uint64_t start = timer_now_ns(), last = start, away = 0, now;

	while ((now = timer_now_ns()) - start < duration_ns) {
		if (now - last > GAP_NS)
			away += now - last;
		last = now;
		if (access_given_up(ctx))
			break;
	}
	return now > start ? 1.0 - (double)away / (double)(now - start) : 1.0;
}
