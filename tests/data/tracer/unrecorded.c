/* The accesses a thread's records leave out: its own stack's under
 * MESILAB_TRACE_STACK=drop, and those between the race detector's
 * __tsan_ignore_thread_begin() and _end() (a library's annotations). The
 * worker writes 10 longs of a global, 64 of its stack, 100 of the global
 * ignored, then 20 more: 94 writes recorded, 30 with its stack dropped,
 * all through one function's code (as the accesses a library ignores
 * often run code the thread ran before). */
#include <pthread.h>
#include <stdio.h>

void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);

static volatile long shared[100];

static __attribute__((noinline)) void fill(volatile long *a, int n, long base)
{
	for (int i = 0; i < n; i++)
		a[i] = base + i;
}

static void *worker(void *arg)
{
	volatile long local[64];

	(void)arg;
	fill(shared, 10, 0);
	fill(local, 64, 1);
	__tsan_ignore_thread_begin();
	fill(shared, 100, 2);
	__tsan_ignore_thread_end();
	fill(shared, 20, 3);
	return NULL;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, worker, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	printf("%ld\n", shared[99]);
	return 0;
}
