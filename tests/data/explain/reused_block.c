/* A block the program allocates where the runtime's own block for a
 * thread's start was before (freed when the thread started): explain
 * names it by the program's line alone (reused_block.c:35), never by the
 * runtime's. Two threads then write its first two fields. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct fields {
	long a, b, c;
};

static struct fields *shared;

static void *nothing(void *arg)
{
	return arg;
}

static void *work(void *arg)
{
	long *mine = arg == NULL ? &shared->a : &shared->b;

	for (int i = 0; i < 20000; i++)
		*mine += 1;
	return NULL;
}

int main(void)
{
	pthread_t t, t1, t2;

	pthread_create(&t, NULL, nothing, NULL);
	pthread_join(t, NULL);
	shared = calloc(1, sizeof(*shared));
	if (!shared)
		return 1;
	pthread_create(&t1, NULL, work, NULL);
	pthread_create(&t2, NULL, work, (void *)1);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("%ld %ld\n", shared->a, shared->b);
	return 0;
}
