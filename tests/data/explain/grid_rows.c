/* False sharing in the rows of a 2-D array of structs inside a struct:
 * each worker counts in its own row of bd.grid.cells, and main reads the
 * rows after the joins, one read touching a column of every row. The
 * rows (16 bytes) begin 48 bytes into a line (bd is aligned to 64
 * bytes): row 0 ends the line, rows 1 to 3 share the next; 2 threads'
 * rows would share one line were the lines 128 bytes or the data 32
 * bytes further (latent). explain names every object of the line and of
 * a touch, the main section's and the latent one's; a worker's last
 * write is one byte. Usage: grid_rows THREADS (1 to 4) [STEPS]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NT 4

struct cell {
	int hits;
	char last;
};

static struct board {
	char tag[48];
	struct {
		struct cell cells[NT][2];
	} grid;
} bd __attribute__((aligned(64)));

static long steps = 20000;

static void *walker(void *arg)
{
	int me = (int)(long)arg;

	for (long s = 0; s < steps; s++)
		bd.grid.cells[me][s & 1].hits++;
	bd.grid.cells[me][0].last = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	int nt = argc > 1 ? atoi(argv[1]) : NT;
	pthread_t th[NT];
	long sum = 0;

	if (nt < 1 || nt > NT)
		return 2;
	if (argc > 2)
		steps = atol(argv[2]);
	for (int t = 0; t < nt; t++)
		pthread_create(&th[t], NULL, walker, (void *)(long)t);
	for (int t = 0; t < nt; t++)
		pthread_join(th[t], NULL);
	for (int c = 0; c < 2; c++)
		for (int t = 0; t < nt; t++)
			sum += bd.grid.cells[t][c].hits + bd.grid.cells[t][c].last;
	printf("%ld\n", sum);
	return 0;
}
