/* lu: a kernel of scripts/tracer-kernels.sh (compiled by it, not by make).
 *
 *   lu [THREADS [N]]      (default 2 threads, N 528)
 *
 * The LU factorisation, in place and without pivoting, of a dense N x N
 * matrix (N a multiple of 16) made diagonally dominant so that no pivot is
 * needed, in 16 x 16 blocks assigned to the threads round-robin. For each
 * diagonal block: its owner factors it; barrier; the owners of the blocks
 * right of it and below it solve them against it; barrier; the owners of
 * the trailing blocks subtract the products; barrier. Prints one checksum
 * line, flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

enum { B = 16 };

static double *a;
static long n, blocks, nthreads;
static pthread_barrier_t barrier;

static double *block(long bi, long bj)
{
	return a + bi * B * n + bj * B;
}

static long owner(long bi, long bj)
{
	return (bi * blocks + bj) % nthreads;
}

/* The diagonal block D becomes L (unit diagonal, below) and U (on and
 * above). */
static void factor(double *d)
{
	for (long k = 0; k < B; k++)
		for (long i = k + 1; i < B; i++) {
			double l = d[i * n + k] / d[k * n + k];

			d[i * n + k] = l;
			for (long j = k + 1; j < B; j++)
				d[i * n + j] -= l * d[k * n + j];
		}
}

/* A block right of the diagonal: L^-1 times it. */
static void solve_right(const double *d, double *r)
{
	for (long k = 0; k < B; k++)
		for (long i = k + 1; i < B; i++)
			for (long j = 0; j < B; j++)
				r[i * n + j] -= d[i * n + k] * r[k * n + j];
}

/* A block below the diagonal: it times U^-1. */
static void solve_below(const double *d, double *c)
{
	for (long i = 0; i < B; i++)
		for (long k = 0; k < B; k++) {
			double v = c[i * n + k] / d[k * n + k];

			c[i * n + k] = v;
			for (long j = k + 1; j < B; j++)
				c[i * n + j] -= v * d[k * n + j];
		}
}

/* T -= L times U. */
static void update(const double *l, const double *u, double *t)
{
	for (long i = 0; i < B; i++)
		for (long k = 0; k < B; k++) {
			double v = l[i * n + k];

			for (long j = 0; j < B; j++)
				t[i * n + j] -= v * u[k * n + j];
		}
}

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;

	for (long k = 0; k < blocks; k++) {
		if (owner(k, k) == self)
			factor(block(k, k));
		pthread_barrier_wait(&barrier);
		for (long j = k + 1; j < blocks; j++) {
			if (owner(k, j) == self)
				solve_right(block(k, k), block(k, j));
			if (owner(j, k) == self)
				solve_below(block(k, k), block(j, k));
		}
		pthread_barrier_wait(&barrier);
		for (long i = k + 1; i < blocks; i++)
			for (long j = k + 1; j < blocks; j++)
				if (owner(i, j) == self)
					update(block(i, k), block(k, j), block(i, j));
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 2463534242u;
	double sum = 0;

	nthreads = kernel_argument("lu", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	n = kernel_argument("lu", argc, argv, 2, 528, B, 4096, "N");
	if (n % B) {
		fprintf(stderr, "lu: N must be a multiple of %d, not %ld\n", B, n);
		return 2;
	}
	blocks = n / B;
	a = malloc((size_t)(n * n) * sizeof *a);
	if (!a) {
		fputs("lu: out of memory\n", stderr);
		return 1;
	}
	for (long i = 0; i < n; i++)
		for (long j = 0; j < n; j++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			a[i * n + j] = (double)(seed >> 11) / 9007199254740992.0 + (i == j ? (double)n : 0.0);
		}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("lu", nthreads, worker);
	for (long i = 0; i < n; i++)
		for (long j = 0; j < n; j++)
			sum += (double)((i + 2 * j) % 11 + 1) * a[i * n + j];
	printf("lu %ld x %ld checksum %.6e\n", n, n, sum);
	return kernel_output_done("lu");
}
