/* False sharing in arrays of several shapes, each thread counting in
 * element T of one, chosen by -DSHAPE=N: 1 st.hits[T] (an array member of
 * a struct), 2 counts[T] (an array of scalars), 3 grid[T][1] (the rows of
 * a 2-D array), 4 outer.per[T].a (an array of structs inside a struct),
 * 5 pair[0].hits[T] (an array member of an element of an array of
 * structs); and a thread counting in two elements, main reading one of
 * them after the joins, 6 grid[T][0] and grid[T][1] (main reads
 * grid[1][1]), 7 quad[T].h[0] and quad[T].h[1] (main reads quad[1].h[1]).
 * explain's fix names the array whose elements the threads' indices
 * differ in. Usage: member_arrays [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4

struct stats {
	long hits[THREADS];
	long misses;
} st, pair[2];
long counts[THREADS];
long grid[THREADS][2];
struct {
	struct {
		long a;
		long b;
	} per[THREADS];
} outer;
struct {
	long h[2];
} quad[THREADS];

long rounds = 1000;

/* Counts through a pointer, as the compiler cannot keep the count in a
 * register (it could be ROUNDS, a global); in the element after it too
 * from shape 6, both kept in memory at each round. */
static void *count(void *arg)
{
	long *mine = arg;

	for (long i = 0; i < rounds; i++) {
		mine[0]++;
		if (SHAPE >= 6) {
			mine[1]++;
			/* Both counts in memory at each round. */
			__asm__ volatile("" ::: "memory");
		}
	}
	return NULL;
}

static long *element(size_t t)
{
#if SHAPE == 1
	return &st.hits[t];
#elif SHAPE == 2
	return &counts[t];
#elif SHAPE == 3
	return &grid[t][1];
#elif SHAPE == 4
	return &outer.per[t].a;
#elif SHAPE == 6
	return &grid[t][0];
#elif SHAPE == 7
	return &quad[t].h[0];
#else
	return &pair[0].hits[t];
#endif
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];

	if (argc > 1)
		rounds = atol(argv[1]);
	for (size_t t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, count, element(t));
	for (size_t t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	printf("%ld %ld %ld %ld %ld %ld\n", st.hits[1], counts[1], grid[1][1], outer.per[1].a, pair[0].hits[1],
	       quad[1].h[1]);
	return 0;
}
