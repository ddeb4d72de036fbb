/* Two threads that share nothing with 64-byte lines: each counts in its
 * own field of one struct, the fields 80 bytes apart (on two 64-byte
 * lines, on one 128-byte line). Latent false sharing: with 128-byte lines,
 * or an adjacent-line prefetcher fetching the pair, they would share it.
 * Built with -DSTRADDLE, the fields are 24 bytes apart on either side of
 * a 64-byte boundary: the struct placed 32 bytes further would put them
 * on one line. Usage: latent_bug [N]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef STRADDLE
#define LEAD 48
#define GAP 16
#else
#define LEAD 0
#define GAP 72
#endif

struct tallies {
	char lead[LEAD];
	long sent;
	char gap[GAP];
	long received;
} __attribute__((aligned(128)));

struct tallies tally;
long rounds = 100000;

/* Counts through a pointer, as the compiler cannot keep the count in a
 * register (it could be ROUNDS, a global). */
static void *count(void *arg)
{
	long *mine = arg;

	for (long i = 0; i < rounds; i++)
		(*mine)++;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];

	if (argc > 1)
		rounds = atol(argv[1]);
	pthread_create(&t[0], NULL, count, &tally.sent);
	pthread_create(&t[1], NULL, count, &tally.received);
	for (size_t i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%ld %ld\n", tally.sent, tally.received);
	return 0;
}
