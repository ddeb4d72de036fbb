// Two std::threads with false sharing in the C++ spellings of an array of
// small structs, one after the other, each on a line of its own: an array
// of a class's objects, an array of a struct whose counter is its base
// class's member, a global in a namespace, a static data member, and a
// std::array of structs whose counter is a std::atomic. Each thread
// counts in its own element (volatile: each count a store). Usage:
// class_bug [N].
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

class Counters {
public:
	volatile long hits;
	long misses;
};

struct Base {
	volatile long count;
};

struct Padded : Base {
	long spare;
};

namespace ns {
struct Slot {
	volatile long value;
	long unused;
};

alignas(64) Slot table[2];
} // namespace ns

struct Registry {
	static ns::Slot slots[2];
};

struct Stats {
	std::atomic<long> hits;
	long misses;
};

alignas(64) Counters counters[2];
alignas(64) Padded padded[2];
alignas(64) ns::Slot Registry::slots[2];
alignas(64) std::array<Stats, 2> stats;
long rounds = 20000;

static void work(int i)
{
	for (long k = 0; k < rounds; k++)
		counters[i].hits++;
	for (long k = 0; k < rounds; k++)
		padded[i].count++;
	for (long k = 0; k < rounds; k++)
		ns::table[i].value++;
	for (long k = 0; k < rounds; k++)
		Registry::slots[i].value++;
	for (long k = 0; k < rounds; k++)
		stats[i].hits.fetch_add(1, std::memory_order_relaxed);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = std::atol(argv[1]);
	std::thread a(work, 0), b(work, 1);
	a.join();
	b.join();
	std::printf("%ld %ld %ld %ld %ld\n", counters[1].hits, padded[1].count, ns::table[1].value,
		    Registry::slots[1].value, stats[1].hits.load());
	return 0;
}
