// std::atomic calls inlined at -O1 where explain must name the user's
// line and function: Counter::add_all's fetch_add (line 18), a member
// template inlined into a thread's lambda, itself inlined into
// std::thread's _M_run; and claim's fetch_add on a std::atomic<long *>
// (line 29), which <atomic> passes on to bits/atomic_base.h, two header
// functions deep. Usage: inlined_atomics [ROUNDS] (at most 8192).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

struct Counter {
	std::atomic<long> total{0};
	template <typename Fn>
	void add_all(long rounds, Fn fn)
	{
		for (long r = 0; r < rounds; r++)
			total.fetch_add(fn(r), std::memory_order_relaxed);
	}
};

static Counter counter;
static long slots[1 << 14];
static std::atomic<long *> next_slot{slots};

static void claim(int me, long rounds)
{
	for (long i = 0; i < rounds; i++) {
		long *p = next_slot.fetch_add(1);
		*p = me;
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? std::atol(argv[1]) : 1000;

	if (rounds < 0 || rounds > 8192)
		return 2;
	auto work = [rounds] { counter.add_all(rounds, [](long r) { return r & 1; }); };
	std::thread a(work), b(work), c(claim, 0, rounds), d(claim, 1, rounds);
	a.join();
	b.join();
	c.join();
	d.join();
	std::printf("%ld %ld\n", counter.total.load(), (long)(next_slot.load() - slots));
	return 0;
}
