#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "sweep_dir.h"
#include "xalloc.h"

struct csv_file *sweep_dir_plan(const char *dir, struct ml_error *err)
{
	static const char *const head[] = { "configuration", "trace" }, *const tail[] = { "protocols", "causes" };
	char *path = xasprintf("%s/plan.csv", dir), wrong[96] = "";
	struct csv_file *plan = csv_read(path, dir, err);

	if (plan && csv_columns(plan) < SWEEP_PLAN_SETTINGS + SWEEP_PLAN_TAIL)
		snprintf(wrong, sizeof(wrong), "too few columns");
	for (size_t c = 0; plan && !*wrong && c < 2; c++)
		if (strcmp(csv_header(plan, c), head[c]) != 0 ||
		    strcmp(csv_header(plan, csv_columns(plan) - 2 + c), tail[c]) != 0)
			snprintf(wrong, sizeof(wrong), "its columns are not a plan's");
	/* sweep never writes a plan without a configuration: this one was cut
	 * short or made by hand, and an empty sweep.csv would hide that. */
	if (plan && !*wrong && csv_rows(plan) == 0)
		snprintf(wrong, sizeof(wrong), "no configuration, its header alone");
	/* The ids name files (rows/ID.csv): only the ones sweep gives, each
	 * row its number, so that none leads out of rows/ or comes twice. */
	for (size_t r = 0; plan && !*wrong && r < csv_rows(plan); r++) {
		char id[32];

		snprintf(id, sizeof(id), SWEEP_PLAN_ID_FORMAT, r);
		if (strcmp(sweep_dir_config_id(plan, r), id) != 0)
			snprintf(wrong, sizeof(wrong), "row %zu's configuration is not %s", r + 1, id);
	}
	if (*wrong) {
		ml_error_set(err, "%s: not a sweep plan (%s)", path, wrong);
		csv_free(plan);
		plan = NULL;
	}
	free(path);
	return plan;
}

const char *sweep_dir_config_id(const struct csv_file *plan, size_t row)
{
	return csv_cell(plan, row, SWEEP_PLAN_ID);
}

char *sweep_dir_rows_path(const char *dir, const char *id)
{
	return xasprintf("%s/rows/%s.csv", dir, id);
}

bool sweep_dir_config_done(const char *dir, const struct csv_file *plan, size_t row)
{
	char *path = sweep_dir_rows_path(dir, sweep_dir_config_id(plan, row));
	bool done = path_exists(path);

	free(path);
	return done;
}

bool sweep_dir_column_varies(const struct csv_file *plan, size_t c)
{
	for (size_t r = 1; r < csv_rows(plan); r++)
		if (strcmp(csv_cell(plan, r, c), csv_cell(plan, 0, c)) != 0)
			return true;
	return false;
}

void sweep_dir_describe(const struct csv_file *plan, size_t row, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t c = SWEEP_PLAN_TRACE; c + SWEEP_PLAN_TAIL < csv_columns(plan) && used < len; c++) {
		const char *value = csv_cell(plan, row, c);

		if (!sweep_dir_column_varies(plan, c))
			continue;
		if (c == SWEEP_PLAN_TRACE && strrchr(value, '/'))
			value = strrchr(value, '/') + 1;
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", csv_header(plan, c), value);
	}
	if (!buf[0])
		snprintf(buf, len, "the only configuration");
}
