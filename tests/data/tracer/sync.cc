// std::atomic, std::mutex, a pthread barrier and an OpenMP parallel for,
// each on objects whose addresses the program prints, so that the test
// can find their records.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <vector>

static std::atomic<long> hits{0};
static std::mutex lock;
static long guarded;
static pthread_barrier_t barrier;
static long squares[1000];

static void work()
{
	for (int i = 0; i < 100; i++) {
		hits.fetch_add(1);
		std::lock_guard<std::mutex> held(lock);
		guarded++;
	}
	pthread_barrier_wait(&barrier);
}

int main()
{
	std::vector<std::thread> threads;
	long sum = 0;

	pthread_barrier_init(&barrier, nullptr, 3);
	for (int t = 0; t < 3; t++)
		threads.emplace_back(work);
	for (auto &t : threads)
		t.join();
#pragma omp parallel for
	for (int i = 0; i < 1000; i++)
		squares[i] = (long)i * i;
	for (int i = 0; i < 1000; i++)
		sum += squares[i];
	std::printf("atomic %p mutex %p barrier %p\n", (void *)&hits, (void *)&lock, (void *)&barrier);
	std::printf("hits %ld guarded %ld sum %ld\n", hits.load(), guarded, sum);
	return hits.load() == 300 && guarded == 300 && sum == 332833500 ? 0 : 1;
}
