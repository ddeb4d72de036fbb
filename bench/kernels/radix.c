/* radix: a kernel of scripts/tracer-kernels.sh (compiled by it, not by
 * make).
 *
 *   radix [THREADS [KEYS]]      (default 2 threads, 2097152 keys)
 *
 * A least-significant-digit radix sort of KEYS 32-bit keys, 8 bits a pass,
 * each thread owning one contiguous slice of the keys: per pass, each
 * thread counts its slice's digits in a histogram of its own; barrier;
 * one thread turns all the histograms into a shared prefix (where each
 * thread's keys of each digit go); barrier; each thread scatters its
 * slice there, in order (the sort is stable); barrier. Prints one
 * checksum line, flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

enum { DIGITS = 256, PASSES = 4 };

static uint32_t *keys, *spare;
static long nkeys, nthreads;
static long histogram[KERNEL_MAX_THREADS][DIGITS], offset[KERNEL_MAX_THREADS][DIGITS];
static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;
	long lo = nkeys * self / nthreads, hi = nkeys * (self + 1) / nthreads;
	uint32_t *from = keys, *to = spare;

	for (int pass = 0; pass < PASSES; pass++) {
		int shift = 8 * pass;

		for (int d = 0; d < DIGITS; d++)
			histogram[self][d] = 0;
		for (long i = lo; i < hi; i++)
			histogram[self][(from[i] >> shift) & (DIGITS - 1)]++;
		pthread_barrier_wait(&barrier);
		if (self == 0) {
			long at = 0;

			for (int d = 0; d < DIGITS; d++)
				for (long t = 0; t < nthreads; t++) {
					offset[t][d] = at;
					at += histogram[t][d];
				}
		}
		pthread_barrier_wait(&barrier);
		for (long i = lo; i < hi; i++)
			to[offset[self][(from[i] >> shift) & (DIGITS - 1)]++] = from[i];
		pthread_barrier_wait(&barrier);
		uint32_t *swap = from;

		from = to;
		to = swap;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x9e3779b97f4a7c15u, sum = 0;
	long disorder = 0;

	nthreads = kernel_argument("radix", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	nkeys = kernel_argument("radix", argc, argv, 2, 2097152, 1, 1L << 28, "KEYS");
	keys = malloc((size_t)nkeys * sizeof *keys);
	spare = malloc((size_t)nkeys * sizeof *spare);
	if (!keys || !spare) {
		fputs("radix: out of memory\n", stderr);
		return 1;
	}
	for (long i = 0; i < nkeys; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		keys[i] = (uint32_t)(seed >> 32);
	}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("radix", nthreads, worker);
	/* An even number of passes leaves the keys where they started. */
	for (long i = 0; i < nkeys; i++) {
		sum = sum * 31 + keys[i];
		disorder += i > 0 && keys[i - 1] > keys[i];
	}
	printf("radix %ld keys checksum %016llx, %ld out of order\n", nkeys, (unsigned long long)sum, disorder);
	return kernel_output_done("radix");
}
