/* nbody: a kernel of scripts/tracer-kernels.sh (compiled by it, not by
 * make).
 *
 *   nbody [THREADS [BODIES]]      (default 2 threads, 1024 bodies)
 *
 * All-pairs gravity, 8 time steps: each step every thread computes the
 * acceleration of its own contiguous band of bodies from all the bodies;
 * barrier; each thread moves its band; barrier. A body's acceleration is
 * summed in the bodies' order, so the result does not depend on the
 * threads. Prints one checksum line, flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

enum { STEPS = 8 };

struct body {
	double x, y, z, mass;
};

struct motion {
	double vx, vy, vz, ax, ay, az;
};

static struct body *bodies;
static struct motion *motion;
static long nbodies, nthreads;
static pthread_barrier_t barrier;

/* A number in [0, 1) from a xorshift generator. */
static double uniform(uint64_t *seed)
{
	*seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
	return (double)(*seed >> 11) / 9007199254740992.0;
}

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;
	long lo = nbodies * self / nthreads, hi = nbodies * (self + 1) / nthreads;
	const double dt = 0.001, softening = 0.01;

	for (int step = 0; step < STEPS; step++) {
		for (long i = lo; i < hi; i++) {
			double ax = 0, ay = 0, az = 0;

			for (long j = 0; j < nbodies; j++) {
				double dx = bodies[j].x - bodies[i].x, dy = bodies[j].y - bodies[i].y;
				double dz = bodies[j].z - bodies[i].z;
				double r2 = dx * dx + dy * dy + dz * dz + softening;
				double s = bodies[j].mass / (r2 * sqrt(r2));

				ax += s * dx, ay += s * dy, az += s * dz;
			}
			motion[i].ax = ax, motion[i].ay = ay, motion[i].az = az;
		}
		pthread_barrier_wait(&barrier);
		for (long i = lo; i < hi; i++) {
			struct motion *m = &motion[i];

			m->vx += dt * m->ax, m->vy += dt * m->ay, m->vz += dt * m->az;
			bodies[i].x += dt * m->vx, bodies[i].y += dt * m->vy, bodies[i].z += dt * m->vz;
		}
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1442695040888963407u;
	double sum = 0;

	nthreads = kernel_argument("nbody", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	nbodies = kernel_argument("nbody", argc, argv, 2, 1024, 1, 1L << 20, "BODIES");
	bodies = malloc((size_t)nbodies * sizeof *bodies);
	motion = calloc((size_t)nbodies, sizeof *motion);
	if (!bodies || !motion) {
		fputs("nbody: out of memory\n", stderr);
		return 1;
	}
	for (long i = 0; i < nbodies; i++) {
		bodies[i].x = uniform(&seed) - 0.5;
		bodies[i].y = uniform(&seed) - 0.5;
		bodies[i].z = uniform(&seed) - 0.5;
		bodies[i].mass = uniform(&seed) / (double)nbodies;
	}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("nbody", nthreads, worker);
	for (long i = 0; i < nbodies; i++)
		sum += (double)(i % 5 + 1) * (bodies[i].x - bodies[i].y + 2 * bodies[i].z) + motion[i].vx;
	printf("nbody %ld bodies checksum %.6e\n", nbodies, sum);
	return kernel_output_done("nbody");
}
