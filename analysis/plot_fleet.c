#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_fleet.h"
#include "plot_io.h"
#include "xalloc.h"

char **plot_fleet_groups(const char *run)
{
	char *path = xasprintf("%s/fleet.csv", run);
	struct ml_error err;
	struct csv_file *f = NULL;
	char **list = NULL;
	size_t groups = 0;

	csv_read_optional(path, &f, &err);
	free(path);
	for (size_t r = 0; f && r < csv_rows(f); r++) {
		size_t g = strtoul(csv_cell_named(f, r, "group"), NULL, 10);

		groups = g > groups ? g : groups;
	}
	if (f) {
		list = xcalloc(groups + 1, sizeof(*list));
		for (size_t g = 0; g < groups; g++)
			list[g] = xasprintf("%zu", g + 1);
	}
	csv_free(f);
	return list;
}

/* One block per machine of the group: its main latency sweep. */
int plot_prepare_fleet(const struct plot_input *in, struct ml_error *err)
{
	struct csv_file *f = plot_load(in, "fleet.csv", err);
	int cg, cm, cp, rc = -1, nmachines = 0;
	FILE *fp = NULL;

	if (!f || (cg = plot_need(f, "group", err)) < 0 || (cm = plot_need(f, "machine", err)) < 0 ||
	    (cp = plot_need(f, "path", err)) < 0 || !(fp = plot_open_data(in, "fleet.dat", err)))
		goto out;
	fputs("machines = '", in->vars);
	for (size_t r = 0; r < csv_rows(f); r++) {
		char *path = xasprintf("%s/latency.csv", csv_cell(f, r, (size_t)cp));
		struct csv_file *lat = NULL;
		struct ml_error ignored;

		if (strcmp(csv_cell(f, r, (size_t)cg), in->suffix) == 0 && csv_read_optional(path, &lat, &ignored) == 0 &&
		    lat && csv_rows(lat) > 0) {
			fprintf(in->vars, "%s", nmachines++ ? " " : "");
			plot_put_quoted(in->vars, csv_cell(f, r, (size_t)cm));
			/* The main sweep: the first row's order and pages. */
			for (size_t q = 0; q < csv_rows(lat); q++)
				if (!strcmp(csv_cell_named(lat, q, "order"), csv_cell_named(lat, 0, "order")) &&
				    !strcmp(csv_cell_named(lat, q, "pages"), csv_cell_named(lat, 0, "pages")))
					fprintf(fp, "%s %s\n", csv_cell_named(lat, q, "size_bytes"),
						csv_cell_named(lat, q, "latency_ns"));
			fputs("\n\n", fp);
		}
		csv_free(lat);
		free(path);
	}
	fputs("'\n", in->vars);
	if (nmachines == 0) {
		rc = 1; /* no machine of the group has a latency sweep */
		goto out;
	}
	fprintf(in->vars, "nmachines = %d\ntitle = 'Group %s: ", nmachines, in->suffix);
	for (size_t r = 0; r < csv_rows(f); r++)
		if (strcmp(csv_cell(f, r, (size_t)cg), in->suffix) == 0) {
			plot_put_quoted(in->vars, csv_cell_named(f, r, "cpu"));
			break;
		}
	fputs("'\n", in->vars);
	rc = 0;
out:
	if (fp)
		fclose(fp);
	csv_free(f);
	return rc;
}
