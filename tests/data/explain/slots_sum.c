/* Four workers each count in their own slot's even field; main sums the
 * even fields in one loop, whose one load reads every slot: a touch of
 * several objects, each named at its bytes. Each worker also marks its
 * start and end in a flag of its own, the flags on one line of their
 * own: a handful of false-sharing misses, no fix worth naming; main's
 * loop over the first four flags reads bytes of flags.marks[0] to [3] in
 * one run, named as a range. Usage: slots_sum [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
	int even;
	int odd;
};

struct slot slots[4];
/* A whole line; in a struct, as a member's elements are named by their
 * index. */
_Alignas(64) struct {
	volatile int marks[16];
} flags;
static long rounds = 20000;

static void *worker(void *arg)
{
	volatile int *mine = &slots[(size_t)arg].even;

	flags.marks[(size_t)arg] = 1;
	for (long i = 0; i < rounds; i++)
		(*mine)++;
	flags.marks[(size_t)arg] = 2;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	long sum = 0;
	int ended = 0;

	if (argc > 1)
		rounds = atol(argv[1]);
	for (size_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (size_t i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (size_t i = 0; i < 4; i++)
		sum += ((volatile struct slot *)slots)[i].even;
	for (size_t i = 0; i < 4; i++)
		ended += flags.marks[i];
	printf("%ld %d\n", sum, ended);
	return 0;
}
