/* 'mesilab compare BASE NEW': run against run, noise-aware, for people and
 * for CI jobs (exit status 1 on a regression). */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "commands.h"
#include "compare.h"
#include "escape.h"
#include "path.h"
#include "run_end.h"
#include "xalloc.h"

enum { OPT_THRESHOLD, OPT_ALPHA, OPT_HISTORY_ALPHA, OPT_FORMAT, OPT_ALL, OPT_FORCE, NOPTIONS };

enum format { FORMAT_TABLE, FORMAT_MD, FORMAT_CSV, NFORMATS };

static const char *const format_names[NFORMATS] = { [FORMAT_TABLE] = "table", [FORMAT_MD] = "md", [FORMAT_CSV] = "csv" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_THRESHOLD] = { .name = "threshold", .arg = "PCT", .type = CLI_NUMBER, .def = "5", .low = 0, .high = 1e6,
			    .help = "a change that may be smaller than PCT percent is never a verdict" },
	[OPT_ALPHA] = { .name = "alpha", .arg = "P", .type = CLI_NUMBER, .def = "0.05", .low = 1e-9, .high = 1,
			.help = "the family's level: the chance that any point of an unchanged build is called slower or faster" },
	[OPT_HISTORY_ALPHA] = { .name = "history-alpha", .arg = "P", .type = CLI_NUMBER, .low = 1e-9, .high = 1,
				.help = "the same against a baseline of 3 runs or more (default: --alpha's)" },
	[OPT_FORMAT] = { .name = "format", .arg = "FORMAT", .type = CLI_CHOICE, CLI_CHOICES_OF(format_names), .def = "table",
			 .help = "table, md (Markdown, for a pull request) or csv" },
	[OPT_ALL] = { .name = "all", .help = "list every point, not only the ones that changed" },
	[OPT_FORCE] = { .name = "force", .help = "compare runs from different machines or builds" },
};

/* A note or a warning, one line: it holds paths and texts of the runs'
 * files (host names, CPU models), whose control bytes must not reach the
 * terminal. */
static void ML_PRINTF(2, 3) note(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	escape_terminal(fp, text, false);
	fputc('\n', fp);
	free(text);
}

/* meta.json of a run directory, or beside a CSV file; NULL when absent. */
static struct json_value *load_meta(const char *operand, bool dir)
{
	const char *slash = strrchr(operand, '/');
	char *within = dir ? xstrdup(operand) : slash ? xasprintf("%.*s", (int)(slash - operand), operand) : xstrdup(".");
	char *path = xasprintf("%s/meta.json", within);
	struct json_value *meta = NULL;
	struct ml_error err;

	if (path_exists(path) && !(meta = json_parse_file(path, within, &err)))
		ml_die(ML_EXIT_USAGE, "%s", err.msg);
	if (dir && !meta && !path_exists(path))
		ml_die(ML_EXIT_USAGE, "%s: not a run directory (no meta.json)", operand);
	free(path);
	free(within);
	return meta;
}

static void check_machines(const struct cli_args *args, const struct json_value *base,
			   const struct json_value *new, FILE *notes)
{
	char diff[1024];
	const struct json_value *ghz_a = base ? json_lookup(base, "clock.core_ghz") : NULL;
	const struct json_value *ghz_b = new ? json_lookup(new, "clock.core_ghz") : NULL;

	/* The same machine at another clock explains a uniform shift. */
	if (ghz_a && ghz_b && ghz_a->type == JSON_NUMBER && ghz_b->type == JSON_NUMBER &&
	    fabs(ghz_b->number - ghz_a->number) > 0.05 * ghz_a->number)
		note(notes, "note: the core clock was %.2f GHz in the base run and %.2f GHz in the new one",
			ghz_a->number, ghz_b->number);
	if (base && new && compare_virtualization(base, new, diff, sizeof(diff)))
		note(notes, "warning: %s", diff);
	if (!base || !new || compare_machines(base, new, diff, sizeof(diff)) == 0)
		return;
	if (!args->values[OPT_FORCE])
		ml_die(ML_EXIT_USAGE, "the runs come from different machines or builds (%s); --force compares them anyway",
		       diff);
	note(notes, "note: different machines or builds, compared with --force: %s", diff);
}

/* The base of the comparison: one run, or the runs of a baseline. */
struct base {
	char **runs;
	size_t n;
	const char *newest;
};

/* Compares every result file the runs have, or the two files given. */
static void compare_operands(const struct cli_args *args, const struct base *b, struct comparison *c, FILE *notes)
{
	const char *base = args->operands[0], *new = args->operands[1];
	struct ml_error err;

	if (!path_is_directory(base)) {
		const struct result_table *t = result_table_for(base);

		if (!t)
			ml_die(ML_EXIT_USAGE, "%s: not a result file mesilab can compare", base);
		if (result_table_for(new) != t)
			ml_die(ML_EXIT_USAGE, "%s and %s are not the same kind of result", base, new);
		if (compare_files(c, t, &base, 1, new, false, &err) < 0)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < nresult_tables; i++) {
		const struct result_table *t = &result_tables[i];
		char **bp = xcalloc(b->n, sizeof(*bp)), *np = xasprintf("%s/%s", new, t->file);
		size_t have = 0;

		/* The base runs that have this file. */
		for (size_t r = 0; r < b->n; r++) {
			char *path = xasprintf("%s/%s", b->runs[r], t->file);

			if (path_exists(path))
				bp[have++] = path;
			else
				free(path);
		}
		if (have && path_exists(np)) {
			if (compare_files(c, t, (const char *const *)bp, have, np, true, &err) < 0)
				ml_die(ML_EXIT_USAGE, "%s", err.msg);
		} else if (have || path_exists(np)) {
			note(notes, "note: %s is only in %s", t->file, have ? base : new);
		}
		for (size_t r = 0; r < have; r++)
			free(bp[r]);
		free(bp);
		free(np);
	}
}

/* BASE as runs: a run directory, or a baseline's runs (oldest first). */
static void open_base(const char *operand, bool dirs, struct base *b)
{
	struct ml_error err;

	if (dirs && baseline_is(operand)) {
		if (baseline_runs(operand, &b->runs, &b->n, &err) < 0)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		if (b->n == 0)
			ml_die(ML_EXIT_USAGE, "%s: not a run directory (no meta.json) nor a baseline with runs", operand);
	} else {
		b->runs = xcalloc(2, sizeof(*b->runs));
		b->runs[0] = xstrdup(operand);
		b->n = 1;
	}
	b->newest = b->runs[b->n - 1];
}

/* The points worth showing: the changed ones, or all of them. */
static struct table *shown_points(const struct comparison *c, bool all, const char *benchmark)
{
	static const struct table_column columns[] = {
		{ "point", "point", TABLE_LEFT },   { "base", "base", TABLE_RIGHT },
		{ "new", "new", TABLE_RIGHT },      { "change_pct", "change %", TABLE_RIGHT },
		{ "p_value", "p", TABLE_RIGHT },    { "verdict", "verdict", TABLE_LEFT },
		{ "expected", "expected", TABLE_RIGHT }, { "control", "control", TABLE_LEFT },
		{ "history_runs", "runs", TABLE_RIGHT }, { "detectable_pct", "detects %", TABLE_RIGHT },
	};
	struct table *t = table_new(columns, sizeof(columns) / sizeof(columns[0]));

	for (size_t r = 0; r < table_rows(c->points); r++) {
		const char *verdict = table_get(c->points, r, CMP_VERDICT);

		if (strcmp(table_get(c->points, r, CMP_BENCHMARK), benchmark) != 0)
			continue;
		/* What the family's rule did not call, counted on top; so are
		 * the simulated values of another model, said there once. */
		if (!all && (strcmp(verdict, "within noise") == 0 || strcmp(verdict, "same") == 0 ||
			     strncmp(verdict, "machine", 7) == 0 || strncmp(verdict, "cannot see", 10) == 0 ||
			     strcmp(verdict, "edge-sensitive") == 0 || strcmp(verdict, "too few repetitions") == 0 ||
			     strcmp(verdict, "model differs") == 0))
			continue;
		table_add_row(t);
		for (size_t col = CMP_POINT; col < CMP_NCOLUMNS; col++)
			table_set(t, col - CMP_POINT, table_get(c->points, r, col), NULL);
	}
	return t;
}

/* Text of a run's files, escaped for FP's format (BOLD: Markdown). */
static void print_text(FILE *fp, const char *bold, const char *text)
{
	if (*bold)
		escape_markdown(fp, text);
	else
		escape_terminal(fp, text, false);
}

static void print_summary(const struct comparison *c, FILE *fp, const char *bold, const char *machine)
{
	size_t measured = c->slower + c->faster + c->within_noise + c->machine + c->blind + c->edge + c->untested +
			  c->target_missed + c->target_met;
	double alpha = c->history_points ? c->options.history_alpha : c->options.alpha;

	/* The machine's change names the controls' units, from a file. */
	if (machine[0]) {
		fputs(bold, fp);
		print_text(fp, bold, machine);
		fprintf(fp, "%s\n", bold);
	}
	fprintf(fp, "%s%zu measured point%s: %zu slower, %zu faster, %zu within noise", bold, measured,
		measured == 1 ? "" : "s", c->slower, c->faster, c->within_noise);
	if (c->machine)
		fprintf(fp, ", %zu moved as the machine did", c->machine);
	if (c->blind)
		fprintf(fp, ", %zu could not see a change of %g%%", c->blind, 2 * c->options.threshold_pct);
	if (c->edge)
		fprintf(fp, ", %zu edge-sensitive", c->edge);
	if (c->untested)
		fprintf(fp, ", %zu with too few repetitions", c->untested);
	if (c->target_missed)
		fprintf(fp, ", %zu past the model's target", c->target_missed);
	if (c->target_met)
		fprintf(fp, ", %zu back within the model's target", c->target_met);
	fprintf(fp, " (threshold %g%%; Holm's rule over the %zu tested, alpha %g)%s\n", c->options.threshold_pct,
		c->tested, alpha, bold);
	if (c->same + c->differs + c->model_differs) {
		/* Rows the same, values that differ: a row of several columns
		 * may differ in some. */
		fprintf(fp, "%ssimulator results: %zu row%s the same, %zu differing value%s", bold, c->same,
			c->same == 1 ? "" : "s", c->differs, c->differs == 1 ? "" : "s");
		if (c->model_differs) {
			fprintf(fp, ", %zu value%s of another simulated machine, not judged (model differs: ",
				c->model_differs, c->model_differs == 1 ? "" : "s");
			print_text(fp, bold, c->models);
			fputc(')', fp);
		}
		fprintf(fp, "%s\n", bold);
	}
	if (c->unmatched)
		fprintf(fp, "%s%zu point%s in one run only%s\n", bold, c->unmatched,
			c->unmatched == 1 ? "" : "s", bold);
}

/* What fails the comparison: a simulated value that differs under the
 * same model fails it, one of another model does not. */
static bool regression(const struct comparison *c)
{
	return c->slower || c->differs || c->target_missed;
}

static void print_report(const struct comparison *c, enum format format, bool all, const char *machine, FILE *fp)
{
	bool md = format == FORMAT_MD;

	if (md)
		fputs("## mesilab compare\n\n", fp);
	print_summary(c, fp, md ? "**" : "", machine);
	for (size_t i = 0; i < nresult_tables; i++) {
		struct table *t = shown_points(c, all, result_tables[i].benchmark);

		if (table_rows(t)) {
			if (md) {
				fprintf(fp, "\n### %s\n\n", result_tables[i].benchmark);
				table_print_markdown(t, fp);
			} else {
				fprintf(fp, "\n%s\n", result_tables[i].benchmark);
				table_print_human(t, fp);
			}
		}
		table_free(t);
	}
	fprintf(fp, "\n%s%s%s\n", md ? "**" : "",
		regression(c) ? "regression: see the points marked slower, differs or target missed" : "no regression",
		md ? "**" : "");
}

static int run_compare(const struct cli_args *args)
{
	struct compare_options o = {
		.threshold_pct = cli_number(args, OPT_THRESHOLD),
		.alpha = cli_number(args, OPT_ALPHA),
	};
	/* --csv is --format csv unless --format says otherwise. */
	enum format format = args->csv && !cli_given(args, OPT_FORMAT) ? FORMAT_CSV
									: (enum format)cli_choice(args, OPT_FORMAT);
	bool dirs = path_is_directory(args->operands[0]);
	struct json_value *base_meta, *new_meta;
	struct machine_shift shift;
	struct comparison c;
	struct base b;
	struct ml_error err;
	char machine[1024] = "";
	int status;

	o.history_alpha = cli_given(args, OPT_HISTORY_ALPHA) ? cli_number(args, OPT_HISTORY_ALPHA) : o.alpha;
	for (int i = 0; i < 2; i++)
		if (!path_exists(args->operands[i]))
			ml_die(ML_EXIT_USAGE, "%s: no such run directory or file", args->operands[i]);
	if (dirs != path_is_directory(args->operands[1]))
		cli_usage_error(args, "compare two run directories or two CSV files, not one of each");
	open_base(args->operands[0], dirs, &b);
	if (b.n > 1 && b.n < 3)
		note(stderr, "note: %s holds %zu runs; a point is judged by its history from 3 on: compared with the newest",
			args->operands[0], b.n);
	base_meta = load_meta(b.newest, dirs);
	new_meta = load_meta(args->operands[1], dirs);
	check_machines(args, base_meta, new_meta, stderr);
	for (int i = 0; i < 2; i++) {
		char ended[512];
		const struct json_value *meta = i ? new_meta : base_meta;

		if (meta && !run_end_complete(meta, ended, sizeof(ended)))
			note(stderr, "warning: %s did not complete: %s", i ? args->operands[1] : b.newest, ended);
	}
	comparison_init(&c, &o);
	if (b.n > 1 && b.n < 3) {
		for (size_t r = 0; r + 1 < b.n; r++)
			free(b.runs[r]);
		b.runs[0] = b.runs[b.n - 1];
		b.n = 1;
	}
	if (dirs) {
		if (machine_shift_measure(&shift, (const char *const *)b.runs, b.n, args->operands[1], o.threshold_pct,
					  &err) < 0)
			ml_die(ML_EXIT_USAGE, "%s", err.msg);
		c.shift = &shift;
		/* A machine that changed is said once, on top: a warning, not
		 * a failure; the points are judged against what it predicts. */
		if (machine_shift_describe(&shift, machine, sizeof(machine)) && format == FORMAT_CSV)
			note(stderr, "warning: %s", machine);
	}
	compare_operands(args, &b, &c, stderr);
	comparison_finish(&c);
	/* The CSV says it in each such row (control), and here once. */
	if (c.model_differs && format == FORMAT_CSV)
		note(stderr, "note: the runs simulated different machines (%s): %zu simulated value%s of another "
		     "model, not judged", c.models, c.model_differs, c.model_differs == 1 ? "" : "s");
	if (format == FORMAT_CSV)
		table_print_csv(c.points, stdout);
	else
		print_report(&c, format, args->values[OPT_ALL] != NULL, machine, stdout);
	status = regression(&c) ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
	comparison_free(&c);
	baseline_runs_free(b.runs, b.n);
	json_value_free(base_meta);
	json_value_free(new_meta);
	return status;
}

const struct cli_command cmd_compare = {
	.name = "compare",
	.summary = "compare two runs point by point: faster, slower or within noise",
	.operands = "BASE NEW",
	.min_operands = 2,
	.max_operands = 2,
	.description =
		"Compares two run directories (or two result files of the same kind) point\n"
		"by point, as one family: the exit status says whether any point changed,\n"
		"with a known chance of a false alarm (--alpha). Each measured point's\n"
		"repetitions are compared on a log scale (Yuen's trimmed t test) for a\n"
		"change beyond the threshold and beyond what the controls measured around\n"
		"its own benchmark (a clock, an L1, last-level and memory chase, copies, the\n"
		"PUs' share, a line transfer); Holm's rule over all the points then says\n"
		"which are slower or faster. A point that could not have seen a change of\n"
		"twice the threshold says what it cannot see ('cannot see changes under\n"
		"N%'); one whose repetitions fall in two groups is edge-sensitive, not\n"
		"judged; one that moved only as the controls did is the machine's. BASE\n"
		"may be a baseline of several runs (mesilab baseline), the CI gate: from\n"
		"three on, each point is judged against the spread of its own values over\n"
		"them. Simulator results are deterministic and compared exactly; where\n"
		"the runs simulated different machines (sim-machine.csv), a value that\n"
		"differs is the model's ('model differs'), not judged. A figure of the\n"
		"model's error without repetitions is judged by its target: 'target\n"
		"missed' when the base met it. Runs from different machines or builds are\n"
		"refused unless --force. Exit status: 0 no regression (a changed machine\n"
		"or model included), 1 a point slower, a simulator result different under\n"
		"the same model or a target missed, 2 an error.\n",
	.common = CLI_CSV,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_compare,
};
