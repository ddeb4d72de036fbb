/* water: a kernel of scripts/tracer-kernels.sh (compiled by it, not by
 * make).
 *
 *   water [THREADS [MOLECULES]]      (default 2 threads, 1800 molecules)
 *
 * Molecular dynamics of MOLECULES molecules (points in a periodic box,
 * Lennard-Jones forces cut off at 2.5 diameters), 6 time steps. Each step
 * the pairs (i, j > i) are shared by molecule i, every thread-th molecule
 * to a thread (the rows shrink as i grows); a thread adds each pair's
 * force to both molecules in an array of forces of its own; barrier; each
 * thread sums the threads' arrays, in thread order, for its own band of
 * molecules and moves them; barrier. The sums' order is fixed, so the
 * result does not depend on the threads' timing. Prints one checksum
 * line, flushed, as its last output. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

enum { STEPS = 6 };

struct vec {
	double x, y, z;
};

static struct vec *position, *velocity, *force[KERNEL_MAX_THREADS];
static long molecules, nthreads;
static double box;
static pthread_barrier_t barrier;

/* A number in [0, 1) from a xorshift generator. */
static double uniform(uint64_t *seed)
{
	*seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
	return (double)(*seed >> 11) / 9007199254740992.0;
}

/* A coordinate of the lattice's CELL, shaken a little. */
static double lattice(long cell, uint64_t *seed)
{
	return 1.1 * ((double)cell + 0.5) + 0.05 * (uniform(seed) - 0.5);
}

/* The nearest image of a coordinate's difference in the periodic box. */
static double nearest(double d)
{
	if (d > 0.5 * box)
		return d - box;
	if (d < -0.5 * box)
		return d + box;
	return d;
}

static void forces(long self)
{
	struct vec *f = force[self];
	const double cutoff2 = 2.5 * 2.5;

	for (long i = 0; i < molecules; i++)
		f[i] = (struct vec){ 0, 0, 0 };
	for (long i = self; i < molecules; i += nthreads)
		for (long j = i + 1; j < molecules; j++) {
			double dx = nearest(position[i].x - position[j].x);
			double dy = nearest(position[i].y - position[j].y);
			double dz = nearest(position[i].z - position[j].z);
			double r2 = dx * dx + dy * dy + dz * dz;

			if (r2 < cutoff2 && r2 > 0) {
				double s6 = 1.0 / (r2 * r2 * r2), scale = 24.0 * s6 * (2.0 * s6 - 1.0) / r2;

				f[i].x += scale * dx, f[i].y += scale * dy, f[i].z += scale * dz;
				f[j].x -= scale * dx, f[j].y -= scale * dy, f[j].z -= scale * dz;
			}
		}
}

static void move(long self)
{
	const double dt = 0.0005;
	long lo = molecules * self / nthreads, hi = molecules * (self + 1) / nthreads;

	for (long i = lo; i < hi; i++) {
		struct vec total = { 0, 0, 0 };

		for (long t = 0; t < nthreads; t++)
			total.x += force[t][i].x, total.y += force[t][i].y, total.z += force[t][i].z;
		velocity[i].x += dt * total.x, velocity[i].y += dt * total.y, velocity[i].z += dt * total.z;
		position[i].x = fmod(position[i].x + dt * velocity[i].x + box, box);
		position[i].y = fmod(position[i].y + dt * velocity[i].y + box, box);
		position[i].z = fmod(position[i].z + dt * velocity[i].z + box, box);
	}
}

static void *worker(void *arg)
{
	long self = (long)(intptr_t)arg;

	for (int step = 0; step < STEPS; step++) {
		forces(self);
		pthread_barrier_wait(&barrier);
		move(self);
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 6364136223846793005u;
	double sum = 0;
	long side;

	nthreads = kernel_argument("water", argc, argv, 1, 2, 1, KERNEL_MAX_THREADS, "THREADS");
	molecules = kernel_argument("water", argc, argv, 2, 1800, 2, 1L << 20, "MOLECULES");
	position = malloc((size_t)molecules * sizeof *position);
	velocity = malloc((size_t)molecules * sizeof *velocity);
	for (long t = 0; t < nthreads; t++)
		if (!(force[t] = malloc((size_t)molecules * sizeof *force[t]))) {
			fputs("water: out of memory\n", stderr);
			return 1;
		}
	if (!position || !velocity) {
		fputs("water: out of memory\n", stderr);
		return 1;
	}
	/* A cubic lattice of about one molecule per 1.2 cubic diameters,
	 * each shaken a little, with a small random velocity. */
	for (side = 1; side * side * side < molecules; side++)
		continue;
	box = 1.1 * (double)side;
	for (long i = 0; i < molecules; i++) {
		position[i].x = lattice(i % side, &seed);
		position[i].y = lattice(i / side % side, &seed);
		position[i].z = lattice(i / (side * side), &seed);
		velocity[i].x = uniform(&seed) - 0.5;
		velocity[i].y = uniform(&seed) - 0.5;
		velocity[i].z = uniform(&seed) - 0.5;
	}
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	kernel_run_threads("water", nthreads, worker);
	for (long i = 0; i < molecules; i++)
		sum += (double)(i % 3 + 1) * (position[i].x + 2 * position[i].y + 3 * position[i].z) + velocity[i].x;
	printf("water %ld molecules checksum %.6e\n", molecules, sum);
	return kernel_output_done("water");
}
