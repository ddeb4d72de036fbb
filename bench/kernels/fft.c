/* fft: a kernel of scripts/tracer-kernels.sh (compiled by it, not by make).
 *
 *   fft [THREADS [POINTS]]      (default 2 threads, 262144 points)
 *
 * A radix-2 iterative complex FFT of POINTS (a power of two) points: a
 * bit-reversed copy, then log2(POINTS) stages of butterflies, each stage's
 * butterflies split into one contiguous range per thread, a barrier after
 * each stage. Then the inverse transform the same way, so that the data
 * comes back (scaled) and the checksum says so. Prints one checksum line,
 * flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

struct complex_pair {
	double re, im;
};

static struct complex_pair *data, *work, *twiddle;
static long points, nthreads;
static int log_points;
static pthread_barrier_t barrier;

static long reverse_bits(long i)
{
	long r = 0;

	for (int b = 0; b < log_points; b++)
		r |= ((i >> b) & 1) << (log_points - 1 - b);
	return r;
}

/* One transform by thread SELF: the bit-reversed copy of FROM into TO,
 * then the stages in place in TO; SIGN -1 forward, +1 inverse (the
 * twiddle's imaginary part conjugated). */
static void transform(long self, const struct complex_pair *from, struct complex_pair *to, double sign)
{
	long lo = points * self / nthreads, hi = points * (self + 1) / nthreads;
	long half_points = points / 2;
	long blo = half_points * self / nthreads, bhi = half_points * (self + 1) / nthreads;

	for (long i = lo; i < hi; i++)
		to[reverse_bits(i)] = from[i];
	pthread_barrier_wait(&barrier);
	for (long half = 1; half < points; half *= 2) {
		long stride = points / (2 * half);

		for (long b = blo; b < bhi; b++) {
			long j = b % half, i1 = (b / half) * 2 * half + j, i2 = i1 + half;
			struct complex_pair w = twiddle[j * stride], x = to[i1], y = to[i2];
			double tre = w.re * y.re - sign * w.im * y.im;
			double tim = w.re * y.im + sign * w.im * y.re;

			to[i1].re = x.re + tre;
			to[i1].im = x.im + tim;
			to[i2].re = x.re - tre;
			to[i2].im = x.im - tim;
		}
		pthread_barrier_wait(&barrier);
	}
}

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;

	transform(self, data, work, -1.0);
	transform(self, work, data, 1.0);
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 88172645463325252u;
	double sum = 0;

	nthreads = kernel_argument("fft", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	points = kernel_argument("fft", argc, argv, 2, 262144, 2, 1L << 24, "POINTS");
	if (points & (points - 1)) {
		fprintf(stderr, "fft: POINTS must be a power of two, not %ld\n", points);
		return 2;
	}
	while ((1L << log_points) < points)
		log_points++;
	data = malloc((size_t)points * sizeof *data);
	work = malloc((size_t)points * sizeof *work);
	twiddle = malloc((size_t)(points / 2) * sizeof *twiddle);
	if (!data || !work || !twiddle) {
		fputs("fft: out of memory\n", stderr);
		return 1;
	}
	for (long i = 0; i < points; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		data[i].re = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
		data[i].im = (double)(seed & 0xffff) / 65536.0 - 0.5;
	}
	for (long k = 0; k < points / 2; k++) {
		double angle = 2 * 3.14159265358979323846 * (double)k / (double)points;

		twiddle[k].re = cos(angle);
		twiddle[k].im = sin(angle);
	}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("fft", nthreads, worker);
	/* The inverse leaves POINTS times the input; a weighted sum of the
	 * spectrum (work) and of the round trip (data). */
	for (long i = 0; i < points; i++)
		sum += (double)(i % 7 + 1) * work[i].re + (double)(i % 5 + 1) * work[i].im +
		       (data[i].re + data[i].im) / (double)points;
	printf("fft %ld points checksum %.6e\n", points, sum);
	return kernel_output_done("fft");
}
