#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "levels.h"
#include "stats.h"
#include "xalloc.h"

/* Fewer points in a row are a ramp, or a median-smoothed pair of its points;
 * a sweep with several points per doubling gives every real level more. */
#define LEVEL_MIN_POINTS 3

/* The median of each point and its neighbours: one outlier cannot move it. */
static void running_median(const double *x, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++) {
		double w[3];
		size_t k = 0;
		struct stats st;

		for (size_t j = i ? i - 1 : 0; j <= i + 1 && j < n; j++)
			w[k++] = x[j];
		stats_compute(w, k, &st);
		out[i] = st.median;
	}
}

/* The size, from FROM on, where the curve first reaches THRESHOLD,
 * interpolated between the sweep points around it on log scales. */
static double crossing(const uint64_t *sizes, const double *lat, size_t n, uint64_t from,
		       double threshold)
{
	for (size_t k = 1; k < n; k++) {
		double ls0, ls1, l0, l1;

		if (sizes[k] <= from || lat[k] < threshold)
			continue;
		if (lat[k - 1] >= threshold)
			return (double)sizes[k - 1];
		ls0 = log((double)sizes[k - 1]);
		ls1 = log((double)sizes[k]);
		l0 = log(lat[k - 1]);
		l1 = log(lat[k]);
		return exp(ls0 + (log(threshold) - l0) / (l1 - l0) * (ls1 - ls0));
	}
	return (double)from;
}

size_t levels_detect(const uint64_t *sizes, const double *latency_ns, size_t n, double tolerance,
		     struct level *levels, size_t max_levels)
{
	double *smooth = xmalloc((n ? n : 1) * sizeof(*smooth));
	size_t found = 0, i = 0;

	running_median(latency_ns, n, smooth);
	while (i < n && found < max_levels) {
		/* The longest run from I whose latencies stay within the tolerance
		 * of its lowest: a plateau, possibly of one point. */
		double lo = smooth[i], hi = smooth[i];
		size_t j = i + 1;
		struct stats st;

		while (j < n) {
			double nlo = smooth[j] < lo ? smooth[j] : lo, nhi = smooth[j] > hi ? smooth[j] : hi;

			if (nhi > nlo * (1 + tolerance))
				break;
			lo = nlo;
			hi = nhi;
			j++;
		}
		if (j - i < LEVEL_MIN_POINTS && j < n) {
			i = i + 1; /* a point on a ramp between two levels */
			continue;
		}
		stats_compute(smooth + i, j - i, &st);
		/* A plateau close to the previous one continues it (a noisy level). */
		if (found && st.median < levels[found - 1].latency_ns * (1 + tolerance)) {
			levels[found - 1].last_size = sizes[j - 1];
			levels[found - 1].points += j - i;
		} else {
			levels[found++] = (struct level){ st.median, sizes[i], sizes[j - 1], j - i, 0 };
		}
		i = j;
	}
	for (size_t k = 0; k + 1 < found; k++)
		levels[k].capacity = crossing(sizes, smooth, n, levels[k].last_size,
					      sqrt(levels[k].latency_ns * levels[k + 1].latency_ns));
	free(smooth);
	return found;
}
