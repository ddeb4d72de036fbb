/* Only the loop between mesilab_trace_start() and mesilab_trace_stop()
 * is recorded: 100 stores. Then it forks: the child is not traced and
 * leaves the parent's trace alone. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mesilab-trace.h>

static volatile int before[100], inside[100], after[100];

int main(void)
{
	pid_t child;

	for (int i = 0; i < 100; i++)
		before[i] = i;
	mesilab_trace_start();
	for (int i = 0; i < 100; i++)
		inside[i] = i;
	mesilab_trace_stop();
	for (int i = 0; i < 100; i++)
		after[i] = i;
	child = fork();
	if (child == 0) {
		mesilab_trace_start();
		for (int i = 0; i < 100; i++)
			after[i] = -i;
		exit(0);
	}
	waitpid(child, NULL, 0);
	printf("inside %p\n", (void *)inside);
	return 0;
}
