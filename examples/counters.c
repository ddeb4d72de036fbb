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

/* Enough that the threads still overlap when one of them starts a time
 * slice late (a traced event costs a few nanoseconds). */
#define EVENTS 300000

static struct stats counters[2];
static long total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
/* Both threads start counting together, as the threads of a real program
 * at work do, rather than one finishing before the other has started. */
static pthread_barrier_t start;

static void *worker(void *arg)
{
	struct stats *mine = &counters[(long)arg];

	pthread_barrier_wait(&start);
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

	pthread_barrier_init(&start, NULL, 2);
	for (long t = 0; t < 2; t++)
		pthread_create(&threads[t], NULL, worker, (void *)t);
	for (long t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	printf("hits %ld + %ld, misses %ld + %ld, total %ld\n", counters[0].hits, counters[1].hits,
	       counters[0].misses, counters[1].misses, total);
	return 0;
}
