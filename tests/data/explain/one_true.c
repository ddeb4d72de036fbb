/* One true-sharing miss: main writes a word, a thread writes it over,
 * and main reads it back after the join (its copy was taken by the
 * thread's write of the same word). What explain says in words of a
 * count of 1: "1 true-sharing miss". */
#include <pthread.h>
#include <stdio.h>

long word;

static void *overwrite(void *arg)
{
	(void)arg;
	word = 2;
	return NULL;
}

int main(void)
{
	pthread_t t;

	word = 1;
	pthread_create(&t, NULL, overwrite, NULL);
	pthread_join(t, NULL);
	printf("%ld\n", word);
	return 0;
}
