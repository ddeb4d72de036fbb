// Two std::threads with a false-sharing bug and a true-sharing counter:
// each counts in its own element of an array of small structs (both on
// one cache line), and both add to one std::atomic counter (the same
// word). Usage: cxx_bug [N].
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

struct tally {
	long hits;
	long misses;
};

alignas(64) tally tallies[2];
alignas(64) std::atomic<long> events{0};
long rounds = 20000;

static void work(int i)
{
	tally *mine = &tallies[i];

	for (long k = 0; k < rounds; k++) {
		mine->hits++;
		if (k % 16 == 0)
			events.fetch_add(1, std::memory_order_relaxed);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = std::atol(argv[1]);
	std::thread a(work, 0), b(work, 1);
	a.join();
	b.join();
	std::printf("%ld %ld %ld\n", tallies[0].hits, tallies[1].hits, events.load());
	return 0;
}
