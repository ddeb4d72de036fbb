/* Two threads with the two bugs mesilab explain names: each counts its
 * hits in its own element of an array of small structs (false sharing:
 * both elements share a cache line), and both add to a total behind a
 * mutex (true sharing: the same word). Built with -DPADDED, the fix
 * explain names: struct stats padded to 64 bytes. Usage:
 * falseshare_bug [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct stats {
#ifdef PADDED
	_Alignas(64) long hits;
#else
	long hits;
#endif
	long misses;
};

struct stats counters[2];
long total;
pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds = 100000;

static void *worker(void *arg)
{
	struct stats *mine = &counters[(size_t)arg];

	for (long i = 0; i < rounds; i++) {
		mine->hits++;
		if (i % 64 == 0) {
			pthread_mutex_lock(&total_lock);
			total++;
			pthread_mutex_unlock(&total_lock);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];

	if (argc > 1)
		rounds = atol(argv[1]);
	for (size_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (size_t i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld %ld\n", counters[0].hits, counters[1].hits, total);
	return 0;
}
