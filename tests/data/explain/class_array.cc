// False sharing in a std::array member of a class: thread T counts in
// counters.hits[T]. explain's fix pads the elements of counters.hits, or
// gives each thread a class Counters of its own. Usage: class_array [N].
#include <array>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

class Counters {
public:
	std::array<long, 4> hits;
	long misses;
};

Counters counters;
long rounds = 1000;

// Counts through a pointer, as the compiler cannot keep the count in a
// register (it could be ROUNDS, a global).
static void count(long *mine)
{
	for (long i = 0; i < rounds; i++)
		(*mine)++;
}

int main(int argc, char **argv)
{
	std::vector<std::thread> threads;

	if (argc > 1)
		rounds = std::atol(argv[1]);
	for (size_t t = 0; t < counters.hits.size(); t++)
		threads.emplace_back(count, &counters.hits[t]);
	for (auto &th : threads)
		th.join();
	std::printf("%ld\n", counters.hits[1]);
	return 0;
}
