/* Two threads, each incrementing its own counter ITERATIONS times; the
 * counters DISTANCE bytes apart (8: one line, false sharing; 64: apart).
 * volatile, so that every increment is a load and a store. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static _Alignas(128) unsigned char area[256];
static long iterations;
static size_t distance;

static void *count(void *arg)
{
	volatile long *counter = (volatile long *)(area + (size_t)arg * distance);

	for (long i = 0; i < iterations; i++)
		*counter += 1;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[2];

	distance = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
	iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
	if (distance < 8 || distance > 128)
		return 2;
	for (long t = 0; t < 2; t++)
		pthread_create(&threads[t], NULL, count, (void *)t);
	for (int t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	printf("%ld %ld\n", *(long *)area, *(long *)(area + distance));
	return 0;
}
