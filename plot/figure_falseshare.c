/* Figure "falseshare": its row is in figures.c, its template is
 * scripts/gnuplot/falseshare.gp. The slowdown of per-thread counters
 * against padded ones by the distance between them, one line per variant
 * and thread count. */
#include <config.h>

#include "figure.h"
#include "plot_lines.h"

int plot_prepare_falseshare(const struct plot_input *in, struct ml_error *err)
{
	static const struct grouped_lines lines = {
		.file = "falseshare.csv", .group = "variant", .subgroup = "threads", .subgroup_label = "threads",
		.x = "distance_bytes", .y = "slowdown", .y_scale = 1,
		.skip_subgroup = "1", /* one thread shares with nobody: its flat line is only clutter */
	};

	return plot_grouped_lines(in, &lines, err);
}
