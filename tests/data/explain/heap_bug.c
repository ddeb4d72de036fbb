/* Two threads count in their own elements of a heap array of small
 * structs (false sharing in a block from calloc). Usage: heap_bug [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
	volatile long count; /* each increment a load and a store, at any -O */
};

static struct slot *slots;
static long rounds = 20000;

static void *worker(void *arg)
{
	struct slot *mine = &slots[(size_t)arg];

	for (long i = 0; i < rounds; i++)
		mine->count++;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];

	if (argc > 1)
		rounds = atol(argv[1]);
	slots = calloc(2, sizeof(*slots));
	for (size_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (size_t i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld\n", slots[0].count, slots[1].count);
	free(slots);
	return 0;
}
