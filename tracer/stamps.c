#include <config.h>

#include "stamps.h"

uint64_t rt_stamps_fill(struct trace_stamped *e, size_t n, uint64_t before, uint64_t after)
{
	uint64_t lo = before;

	for (size_t i = 0; i < n;) {
		size_t end = i;
		uint64_t hi, step;

		if (e[i].stamp) {
			lo = e[i++].stamp;
			continue;
		}
		while (end < n && !e[end].stamp)
			end++;
		hi = end < n ? e[end].stamp : after;
		/* No stamp before (a thread's first events): the run starts
		 * where it ends; a clock that went back: where it was. */
		lo = lo ? lo : hi;
		hi = hi > lo ? hi : lo;
		step = (hi - lo) / (end - i + 1);
		for (size_t k = 1; i < end; i++, k++)
			e[i].stamp = lo + step * k;
		lo = e[end - 1].stamp;
	}
	return n ? e[n - 1].stamp : before;
}
