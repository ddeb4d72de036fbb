/* Time: a monotonic nanosecond clock, and the core clock estimated from a
 * dependent add chain (the TSC ticks at a fixed rate that is usually not
 * the rate the core runs at, so TSC ticks are not cycles). */
#ifndef MESILAB_TIMER_H
#define MESILAB_TIMER_H

#include <stdint.h>

uint64_t timer_now_ns(void);

struct clock_calibration {
	double cycles_per_ns; /* the core clock in GHz: the samples' 95th percentile */
	double min_ghz, max_ghz;
	double spread;        /* (p95 - p5) / median of the samples */
	unsigned samples;
	uint64_t adds_per_sample;
};

/* Runs the add chain SAMPLES times (after a warm-up) and fills CAL. */
void timer_calibrate(struct clock_calibration *cal, unsigned samples);

/* Nanoseconds to core cycles with a calibration. */
double timer_ns_to_cycles(const struct clock_calibration *cal, double ns);

#endif
