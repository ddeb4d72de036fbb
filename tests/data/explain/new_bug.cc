// Two threads count in their own elements of an array from new[] (false
// sharing in a heap block that C++ allocated).
#include <cstdio>
#include <thread>

struct stats {
	volatile long hits;
};

int main()
{
	stats *s = new stats[2]();
	auto work = [s](int i) {
		for (int k = 0; k < 20000; k++)
			s[i].hits++;
	};
	std::thread a(work, 0), b(work, 1);
	a.join();
	b.join();
	std::printf("%ld %ld\n", s[0].hits, s[1].hits);
	delete[] s;
}
