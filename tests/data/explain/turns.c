/* Two workers that each write their own counter ROUNDS times, yielding
 * the processor every STRIDE writes: on one PU they take ROUNDS / STRIDE
 * turns each, of STRIDE writes; on two they run at once. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static long counts[2];
static long rounds, stride;

static void *worker(void *arg)
{
	long *mine = arg;

	for (long i = 0; i < rounds; i++) {
		*mine += 1;
		if (i % stride == stride - 1)
			sched_yield();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];

	rounds = argc > 1 ? atol(argv[1]) : 100000;
	stride = argc > 2 ? atol(argv[2]) : 2000;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &counts[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld\n", counts[0], counts[1]);
	return 0;
}
