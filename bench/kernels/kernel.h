/* What the kernels of scripts/tracer-kernels.sh share: their arguments,
 * their threads, and their last output. Each kernel is one program,
 * compiled alone by the script (plain, and with mesilab-cc); this header
 * is found beside it. */
#ifndef MESILAB_TRACER_KERNEL_H
#define MESILAB_TRACER_KERNEL_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define KERNEL_MAX_THREADS 64

/* Argument I of ARGV, FALLBACK when absent; a bad one ends the program
 * with one line naming the kernel NAME and WHAT it is, status 2. */
static inline long kernel_argument(const char *name, int argc, char **argv, int i, long fallback, long min, long max,
				   const char *what)
{
	char *end;
	long v;

	if (argc <= i)
		return fallback;
	errno = 0;
	v = strtol(argv[i], &end, 10);
	if (errno || end == argv[i] || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s must be a number from %ld to %ld, not '%s'\n", name, what, min, max, argv[i]);
		exit(2);
	}
	return v;
}

/* Runs WORKER on THREADS threads (each given its index) and waits for
 * them all; a thread that cannot start ends the program, status 1. */
static inline void kernel_run_threads(const char *name, long threads, void *(*worker)(void *))
{
	pthread_t tid[KERNEL_MAX_THREADS];
	int e;

	for (long t = 0; t < threads; t++)
		if ((e = pthread_create(&tid[t], NULL, worker, (void *)(intptr_t)t)) != 0) {
			fprintf(stderr, "%s: cannot start thread %ld: error %d\n", name, t, e);
			exit(1);
		}
	for (long t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
}

/* After the checksum line: standard output flushed (the line is the
 * program's last output, which the script times), its error said. The
 * status to exit with. */
static inline int kernel_output_done(const char *name)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: standard output: write error\n", name);
		return 1;
	}
	return 0;
}

#endif
