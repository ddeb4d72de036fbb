#include <config.h>

#include "stamps.h"

void rt_stamps_spread(struct trace_stamped *e, size_t n, uint64_t before, uint64_t after)
{
	/* No stamp before (a thread's first events): the run starts where
	 * it ends; a clock that went back: where it was. */
	uint64_t lo = before ? before : after, hi = after > lo ? after : lo, step = (hi - lo) / (n + 1);

	for (size_t k = 0; k < n; k++)
		e[k].stamp = lo + step * (k + 1);
}

uint64_t rt_stamps_fill(struct trace_stamped *e, size_t n, uint64_t before, uint64_t after)
{
	uint64_t lo = before;

	for (size_t i = 0; i < n;) {
		size_t end = i;

		if (e[i].stamp) {
			lo = e[i++].stamp;
			continue;
		}
		while (end < n && !e[end].stamp)
			end++;
		rt_stamps_spread(e + i, end - i, lo, end < n ? e[end].stamp : after);
		lo = e[end - 1].stamp;
		i = end;
	}
	return n ? e[n - 1].stamp : before;
}
