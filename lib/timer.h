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
	/* One spin-wait hint (x86 pause): under 1 ns on some cores, over 25 on
	 * others, so no waiting loop may take its cost for granted. The
	 * median over the samples. */
	double pause_ns;
};

/* Runs the add chain and a run of spin-wait hints SAMPLES times each
 * (after a warm-up) and fills CAL. */
void timer_calibrate(struct clock_calibration *cal, unsigned samples);

/* Nanoseconds to core cycles with a calibration. */
double timer_ns_to_cycles(const struct clock_calibration *cal, double ns);

#endif
