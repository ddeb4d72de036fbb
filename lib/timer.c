#include <config.h>

#include <stdlib.h>
#include <time.h>

#include "compiler.h"
#include "stats.h"
#include "timer.h"
#include "xalloc.h"

/* Each add depends on the previous one: one add retires per core cycle
 * whatever the width of the machine, so adds / time = core frequency. */
#define ADDS_PER_ITERATION 16
#define ITERATIONS_PER_SAMPLE 500000

uint64_t timer_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t add_chain(uint64_t iterations)
{
	uint64_t x = 0;

	for (uint64_t i = 0; i < iterations; i++) {
		for (int k = 0; k < ADDS_PER_ITERATION; k++) {
			x += 1;
			ML_OPAQUE(x);
		}
	}
	return x;
}

#define PAUSES_PER_SAMPLE 2000

static double pause_cost_ns(unsigned samples)
{
	double *ns = xcalloc(samples, sizeof(*ns));
	struct stats st;

	for (unsigned i = 0; i < samples; i++) {
		uint64_t start = timer_now_ns();

		for (unsigned k = 0; k < PAUSES_PER_SAMPLE; k++)
			ml_cpu_pause();
		ns[i] = (double)(timer_now_ns() - start) / PAUSES_PER_SAMPLE;
	}
	stats_compute(ns, samples, &st);
	free(ns);
	return st.median;
}

void timer_calibrate(struct clock_calibration *cal, unsigned samples)
{
	double *ghz = xcalloc(samples, sizeof(*ghz));
	struct stats st;
	uint64_t adds = 0;

	add_chain(ITERATIONS_PER_SAMPLE * 8); /* let the core leave its idle clock */
	for (unsigned i = 0; i < samples; i++) {
		uint64_t start = timer_now_ns();
		uint64_t done = add_chain(ITERATIONS_PER_SAMPLE);
		uint64_t elapsed = timer_now_ns() - start;

		adds = done;
		ghz[i] = (double)done / (double)(elapsed ? elapsed : 1);
	}
	stats_compute(ghz, samples, &st);
	/* Being descheduled can only make a sample look slower, never faster:
	 * a high quantile is the better estimate of the clock. */
	cal->cycles_per_ns = st.p95;
	cal->min_ghz = st.min;
	cal->max_ghz = st.max;
	cal->spread = st.median > 0 ? (st.p95 - st.p5) / st.median : 0;
	cal->samples = samples;
	cal->adds_per_sample = adds;
	cal->pause_ns = pause_cost_ns(samples);
	free(ghz);
}

double timer_ns_to_cycles(const struct clock_calibration *cal, double ns)
{
	return ns * cal->cycles_per_ns;
}
