/* Figure "bandwidth": its row is in figures.c, its template is
 * scripts/gnuplot/bandwidth.gp. Bandwidth against working-set size, one
 * line per operation and thread count. */
#include <config.h>

#include "figure.h"
#include "plot_io.h"
#include "plot_lines.h"

int plot_prepare_bandwidth(const struct plot_input *in, struct ml_error *err)
{
	static const struct grouped_lines lines = {
		.file = "bandwidth.csv", .group = "op", .subgroup = "threads", .subgroup_label = "thread(s)",
		.x = "size_bytes", .y = "bandwidth_gbs", .y_scale = 1,
	};
	int rc = plot_grouped_lines(in, &lines, err);
	struct csv_file *f;

	if (rc != 0)
		return rc;
	if (!(f = plot_load(in, "bandwidth.csv", err)))
		return -1;
	plot_size_tics(in->vars, "xtics_spec", csv_number(f, 0, (size_t)csv_column(f, "size_bytes")),
		  csv_number(f, csv_rows(f) - 1, (size_t)csv_column(f, "size_bytes")));
	csv_free(f);
	return 0;
}
