/* False sharing in a static inline function: two threads, each with its
 * own thread function (count_up, count_down), call bump on their own
 * counter of one line; at -O1 bump's body is inlined into both. explain
 * names bump's line (inlined_bump.c:19) by bump, inlined into each, and
 * the loops' lines by their own functions. Usage: inlined_bump [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct counter {
	long n;
} counters[2];
long rounds = 1000;

/* Through a pointer, as the compiler cannot keep the count in a register
 * (it could be ROUNDS, a global). */
static inline void bump(long *n, long by)
{
	*n += by;
}

static void *count_up(void *arg)
{
	struct counter *mine = arg;

	for (long i = 0; i < rounds; i++)
		bump(&mine->n, 1);
	return NULL;
}

static void *count_down(void *arg)
{
	struct counter *mine = arg;

	for (long i = 0; i < rounds; i++)
		bump(&mine->n, -1);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t up, down;

	if (argc > 1)
		rounds = atol(argv[1]);
	pthread_create(&up, NULL, count_up, &counters[0]);
	pthread_create(&down, NULL, count_down, &counters[1]);
	pthread_join(up, NULL);
	pthread_join(down, NULL);
	printf("%ld %ld\n", counters[0].n, counters[1].n);
	return 0;
}
