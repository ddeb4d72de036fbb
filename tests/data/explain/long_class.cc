// False sharing in a std::array member of a class template whose name,
// with its arguments, runs past 160 characters: thread T counts in
// counters.hits[T]. explain's fix gives each thread the class of its
// own, its name cut with "..." where shown (it was cut at 95 bytes,
// without). Usage: long_class [N].
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

template <typename Key, typename Value>
class CountersWithAVeryLongNameForMeasuringTheirSharing {
public:
	std::array<long, 4> hits;
	long misses;
};

CountersWithAVeryLongNameForMeasuringTheirSharing<std::map<std::string, std::vector<std::pair<std::string, long>>>,
						  std::vector<std::map<int, std::string>>>
	counters;
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
