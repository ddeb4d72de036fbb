/* Two threads in three phases, a barrier between each: the reader reads
 * LINES lines (its cache takes them), the writer works on lines of its
 * own for a while and then writes them, the reader reads them again.
 * However the machine ran the threads, every read of the third phase
 * comes after every write of the second: in an order that keeps the
 * program's synchronisation, a coherence miss each. An order that lets
 * the reader through the barriers without waiting has it read its own
 * copies before the writer has begun. A counter under a mutex, and the
 * threads' start and end, add the other kinds of synchronisation. */
#include <pthread.h>
#include <stdio.h>

#define LINES 256
#define WORK_LINES 64
#define WORK_ROUNDS 500

static _Alignas(64) volatile long data[LINES * 8]; /* one long per 64-byte line */
static _Alignas(64) volatile long work[WORK_LINES * 8]; /* the writer's own */
static pthread_barrier_t barrier;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void count(void)
{
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
}

static void *reader(void *arg)
{
	long sum = 0;

	for (int i = 0; i < LINES; i++)
		sum += data[i * 8];
	count();
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < LINES; i++)
		sum += data[i * 8];
	count();
	*(long *)arg = sum;
	return NULL;
}

static void *writer(void *arg)
{
	long sum = 0; /* 0: the work lines hold zeros */

	(void)arg;
	count();
	pthread_barrier_wait(&barrier);
	for (int round = 0; round < WORK_ROUNDS; round++)
		for (int i = 0; i < WORK_LINES; i++)
			sum += work[i * 8];
	for (int i = 0; i < LINES; i++)
		data[i * 8] = i + 1 + sum;
	pthread_barrier_wait(&barrier);
	count();
	return NULL;
}

int main(void)
{
	pthread_t r, w;
	long sum = 0;

	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&r, NULL, reader, &sum);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(r, NULL);
	pthread_join(w, NULL);
	printf("%ld %ld\n", sum, counter);
	return sum == (long)LINES * (LINES + 1) / 2 && counter == 4 ? 0 : 1;
}
