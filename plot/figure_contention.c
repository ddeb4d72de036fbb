/* Figure "contention": its row is in figures.c, its template is
 * scripts/gnuplot/contention.gp. Operations per second on one line as
 * threads are added, one line per variant. */
#include <config.h>

#include "figure.h"
#include "plot_lines.h"

int plot_prepare_contention(const struct plot_input *in, struct ml_error *err)
{
	static const struct grouped_lines lines = {
		.file = "contention.csv", .group = "variant", .x = "threads", .y = "ops_per_s", .y_scale = 1e-6,
	};

	return plot_grouped_lines(in, &lines, err);
}
