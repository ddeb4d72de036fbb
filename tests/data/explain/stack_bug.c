/* False sharing on a thread's stack: main keeps the two workers' counts
 * in a local array, on its own stack, and hands each worker its element;
 * both lie on one cache line. mesilab explain names the memory as the
 * stack of thread 0 (main's). The workers start together at a barrier,
 * a global union whose bytes are no array of elements to pad. Usage:
 * stack_bug [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
	long *count;
	long rounds;
};

pthread_barrier_t start;

static void *worker(void *arg)
{
	struct job *j = arg;

	pthread_barrier_wait(&start);
	for (long i = 0; i < j->rounds; i++)
		(*(volatile long *)j->count)++;
	return NULL;
}

int main(int argc, char **argv)
{
	long counts[2] = { 0, 0 };
	struct job jobs[2];
	pthread_t t[2];
	long rounds = argc > 1 ? atol(argv[1]) : 100000;

	pthread_barrier_init(&start, NULL, 2);
	for (size_t i = 0; i < 2; i++) {
		jobs[i] = (struct job){ &counts[i], rounds };
		pthread_create(&t[i], NULL, worker, &jobs[i]);
	}
	for (size_t i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld\n", counts[0], counts[1]);
	return 0;
}
