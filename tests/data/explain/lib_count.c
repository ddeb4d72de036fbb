/* A shared library with a false-sharing bug: lib_count(I) counts in
 * element I of an array of small structs, and two threads' elements share
 * a cache line. lib_main.c calls it. */
/* volatile: each increment a load and a store, as the compiler would
 * otherwise keep the count in a register for the loop. */
struct counter {
	volatile long value;
	long spare;
};

struct counter lib_counters[2];
long lib_rounds = 20000;

void lib_count(int i);

void lib_count(int i)
{
	struct counter *mine = &lib_counters[i];

	for (long k = 0; k < lib_rounds; k++)
		mine->value++;
}
