/* False sharing beside true sharing on one line: thread 0 counts in
 * s.count[0] and sets the flags now and then, thread 1 counts in
 * s.count[1] and reads them at every step. With FLAGS 1 the flags are
 * s.stop alone (one byte), with 2 s.stop and s.go: explain says the
 * flags' bytes are also shared truly, 'byte 16 (s.stop)', 'bytes 16-17
 * (s.stop to s.go)'. Usage: shared_flags FLAGS [STEPS]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
	volatile long count[2];
	volatile char stop, go;
} s __attribute__((aligned(64)));

static int flags = 1;
static long steps = 20000;

static void *worker(void *arg)
{
	int me = (int)(long)arg;
	long seen = 0;

	for (long i = 0; i < steps; i++) {
		s.count[me]++;
		if (me == 0 && (i & 63) == 0) {
			s.stop = (char)(i >> 6 & 1);
			if (flags > 1)
				s.go = (char)(i >> 6 & 1);
		} else if (me == 1) {
			seen += s.stop;
			if (flags > 1)
				seen += s.go;
		}
	}
	return (void *)seen;
}

int main(int argc, char **argv)
{
	pthread_t th[2];

	if (argc > 1)
		flags = atoi(argv[1]);
	if (argc > 2)
		steps = atol(argv[2]);
	if (flags < 1 || flags > 2 || steps < 0)
		return 2;
	for (int t = 0; t < 2; t++)
		pthread_create(&th[t], NULL, worker, (void *)(long)t);
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	printf("%ld %ld\n", s.count[0], s.count[1]);
	return 0;
}
