/* False sharing two inlined calls deep: each of two threads runs worker,
 * which calls the static inline step, which calls the static inline bump
 * on the thread's own counter of one line; at -O1 both are inlined into
 * worker. explain names bump's line by bump, its direct caller step and
 * the function whose code holds them: 'bump (inlined into step, in
 * worker)'. Usage: nested_inline [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

long counts[2];
long rounds = 1000;

/* Through a pointer, as the compiler cannot keep the count in a register
 * (it could be ROUNDS, a global). */
static inline void bump(long *n)
{
	*n += 1;
}

static inline void step(long *n)
{
	bump(n);
}

static void *worker(void *arg)
{
	for (long i = 0; i < rounds; i++)
		step(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[2];

	if (argc > 1)
		rounds = atol(argv[1]);
	for (int t = 0; t < 2; t++)
		pthread_create(&th[t], NULL, worker, &counts[t]);
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	printf("%ld %ld\n", counts[0], counts[1]);
	return 0;
}
