/* Figure "contention": its row is in figures.c, its template is
 * scripts/gnuplot/contention.gp. Operations per second on one line as
 * threads are added, one line per variant. */
#include <config.h>

#include "figure.h"
#include "plot_lines.h"

int plot_prepare_contention(const struct plot_input *in, struct ml_error *err)
{
	return plot_grouped_lines(in, "contention.csv", "variant", NULL, NULL, "threads", "ops_per_s", 1e-6,
				  NULL, err);
}
