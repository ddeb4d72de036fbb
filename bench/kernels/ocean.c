/* ocean: a kernel of scripts/tracer-kernels.sh (compiled by it, not by
 * make).
 *
 *   ocean [THREADS [N]]      (default 2 threads, N 512)
 *
 * Red-black Gauss-Seidel relaxation of Poisson's equation on an N x N
 * grid inside a fixed border, 72 sweeps: each sweep updates the red
 * points (i + j even) from their black neighbours, barrier, then the
 * black points from the red ones, barrier; the rows are split into one
 * contiguous band per thread, so that the threads share only the rows at
 * the bands' edges. Each colour's update reads only the other colour, so
 * the result does not depend on the threads' timing. Prints one checksum
 * line, flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

enum { SWEEPS = 72 };

static double *grid, *source;
static long n, width, nthreads;
static pthread_barrier_t barrier;

/* Rows LO to HI (of the interior, 1 to N) of one colour (0 red, 1 black). */
static void relax(long lo, long hi, long colour)
{
	const double h2 = 1.0 / (double)((n + 1) * (n + 1));

	for (long i = lo; i < hi; i++)
		for (long j = 1 + (i + 1 + colour) % 2; j <= n; j += 2) {
			double *g = grid + i * width + j;

			*g = 0.25 * (g[-1] + g[1] + g[-width] + g[width] - h2 * source[i * width + j]);
		}
}

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;
	long lo = 1 + n * self / nthreads, hi = 1 + n * (self + 1) / nthreads;

	for (int sweep = 0; sweep < SWEEPS; sweep++)
		for (long colour = 0; colour < 2; colour++) {
			relax(lo, hi, colour);
			pthread_barrier_wait(&barrier);
		}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1181783497276652981u;
	double sum = 0;

	nthreads = kernel_argument("ocean", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	n = kernel_argument("ocean", argc, argv, 2, 512, 2, 8192, "N");
	width = n + 2;
	grid = calloc((size_t)(width * width), sizeof *grid);
	source = calloc((size_t)(width * width), sizeof *source);
	if (!grid || !source) {
		fputs("ocean: out of memory\n", stderr);
		return 1;
	}
	/* A warm top border, a random source inside. */
	for (long j = 0; j < width; j++)
		grid[j] = 1.0;
	for (long i = 1; i <= n; i++)
		for (long j = 1; j <= n; j++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			source[i * width + j] = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
		}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("ocean", nthreads, worker);
	for (long i = 1; i <= n; i++)
		for (long j = 1; j <= n; j++)
			sum += (double)((i * 3 + j) % 13 + 1) * grid[i * width + j];
	printf("ocean %ld x %ld checksum %.6e\n", n, n, sum);
	return kernel_output_done("ocean");
}
