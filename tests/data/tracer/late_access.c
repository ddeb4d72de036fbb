/* A thread's accesses after the runtime has seen it end: the destructor
 * of a key the program creates (after the runtime's own, so that it runs
 * after the runtime's) writes 100 values through the same code as the
 * thread did before, once the thread's buffer is gone. They are not
 * recorded; the program runs to its end and prints their sum. */
#include <pthread.h>
#include <stdio.h>

static pthread_key_t key;
static volatile long late[100];

static __attribute__((noinline)) void fill(long base)
{
	for (int i = 0; i < 100; i++)
		late[i] = base + i;
}

static void destroy(void *arg)
{
	fill((long)arg);
}

static void *worker(void *arg)
{
	fill(0);
	pthread_setspecific(key, arg);
	return NULL;
}

int main(void)
{
	pthread_t t;
	long sum = 0;

	if (pthread_key_create(&key, destroy) != 0 || pthread_create(&t, NULL, worker, (void *)1000L) != 0 ||
	    pthread_join(t, NULL) != 0)
		return 1;
	for (int i = 0; i < 100; i++)
		sum += late[i];
	printf("%ld\n", sum);
	return 0;
}
