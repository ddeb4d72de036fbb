/* Two threads, two kinds of sharing: each thread counts its own hits and
 * misses in counters[its number] (the two structs lie 16 bytes apart, on
 * one cache line: false sharing), and every thousandth event it adds to a
 * total that both update under a mutex (true sharing). Build it with
 * mesilab-cc and run it to see both in the trace (see the README's tour). */
#include <pthread.h>
#include <stdio.h>

struct stats {
	long hits;
	long misses;
};

#define EVENTS 100000

static struct stats counters[2];
static long total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	struct stats *mine = &counters[(long)arg];

	for (long i = 0; i < EVENTS; i++) {
		if (i % 7 != 0)
			mine->hits++;
		else
			mine->misses++;
		if (i % 1000 == 999) {
			pthread_mutex_lock(&total_lock);
			total += 1000;
			pthread_mutex_unlock(&total_lock);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t threads[2];

	for (long t = 0; t < 2; t++)
		pthread_create(&threads[t], NULL, worker, (void *)t);
	for (long t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	printf("hits %ld + %ld, misses %ld + %ld, total %ld\n", counters[0].hits, counters[1].hits,
	       counters[0].misses, counters[1].misses, total);
	return 0;
}
