/* Two threads that call lib_count (lib_count.c, a shared library), whose
 * counters share a cache line. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

struct counter {
	volatile long value;
	long spare;
};

extern struct counter lib_counters[2];
void lib_count(int i);

static void *worker(void *arg)
{
	lib_count((int)(intptr_t)arg);
	return NULL;
}

int main(void)
{
	pthread_t t[2];

	for (intptr_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld\n", lib_counters[0].value, lib_counters[1].value);
	return 0;
}
