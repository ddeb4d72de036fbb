/* COUNT threads one after the other, each storing its number into a
 * shared word; prints how many ran. More threads than a trace holds. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long last;

static void *store(void *arg)
{
	last = (long)arg;
	return NULL;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 10, ran = 0;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024); /* many threads, one at a time: small stacks */
	for (long i = 0; i < count; i++) {
		pthread_t t;

		if (pthread_create(&t, &attr, store, (void *)i) != 0)
			return 1;
		pthread_join(t, NULL);
		ran += last == i;
	}
	printf("%ld\n", ran);
	return 0;
}
