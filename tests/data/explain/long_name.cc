// False sharing in a function template of a long name: two std::threads
// count in their own element of one array through count<...>, whose
// template arguments make a linkage name of some 400 bytes. explain
// demangles it whole and cuts the name it shows, with "..." at its end.
// Usage: long_name [N].
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

using Index = std::map<std::string, std::vector<std::pair<std::string, long>>>;
using Table = std::map<std::vector<std::string>, std::map<long, std::vector<double>>>;

long counts[2];
long rounds = 1000;

// Out of line, so that its own name is the code line's function.
template <typename A, typename B, typename C>
__attribute__((noinline)) void count(long *n)
{
	for (long i = 0; i < rounds; i++)
		(*n)++;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = std::atol(argv[1]);
	std::thread a(count<Index, Table, std::vector<Index>>, &counts[0]);
	std::thread b(count<Index, Table, std::vector<Index>>, &counts[1]);
	a.join();
	b.join();
	std::printf("%ld %ld\n", counts[0], counts[1]);
	return 0;
}
