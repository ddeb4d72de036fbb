/* An OpenMP program with a false-sharing bug: each of two threads counts
 * in its own element of an array of small structs, both on one cache
 * line. Usage: omp_bug [N]. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

/* volatile: each increment a load and a store, as the compiler would
 * otherwise keep the count in a register for the loop. */
struct slot {
	volatile long count;
	long spare;
};

struct slot slots[2];
long rounds = 20000;

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = atol(argv[1]);
#pragma omp parallel num_threads(2)
	{
		struct slot *mine = &slots[omp_get_thread_num()];

		for (long i = 0; i < rounds; i++)
			mine->count++;
	}
	printf("%ld %ld\n", slots[0].count, slots[1].count);
	return 0;
}
