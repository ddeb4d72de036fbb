/* 'mesilab plot RUN_DIR': the run's figures, drawn by gnuplot. */
#include <config.h>

#include <stdio.h>

#include "commands.h"
#include "path.h"
#include "plot.h"

enum { OPT_FORMAT, NOPTIONS };

static const char *const format_names[] = { "png", "svg", "pdf" };

static const struct cli_option options[NOPTIONS] = {
	[OPT_FORMAT] = { .name = "format", .arg = "LIST", .type = CLI_CHOICES, CLI_CHOICES_OF(format_names), .def = "png",
			 .help = "png, svg, pdf, comma-separated" },
};

/* One line naming the figures not drawn for want of their file (ABSENT)
 * or for want of points in it, after HEAD; nothing when there are none. */
static void say_skipped(const struct plot_summary *sum, bool absent, const char *head)
{
	unsigned said = 0;

	for (unsigned i = 0; i < sum->skipped; i++) {
		if ((sum->skipped_figures[i].why_file != NULL) != absent)
			continue;
		fprintf(stderr, "%s%s", said++ ? ", " : head, sum->skipped_figures[i].figure);
	}
	if (said)
		fputc('\n', stderr);
}

static int run_plot(const struct cli_args *args)
{
	bool chosen[3];
	unsigned formats = 0;
	struct plot_summary sum;
	struct ml_error err;
	int rc;

	cli_choices(args, OPT_FORMAT, chosen);
	for (unsigned i = 0; i < 3; i++)
		formats |= chosen[i] ? 1u << i : 0;
	if (!path_is_directory(args->operands[0]))
		ml_die(ML_EXIT_USAGE, "%s: no such run directory", args->operands[0]);
	rc = plot_run(args->operands[0], formats, &sum, &err);
	if (rc != 0)
		ml_die(rc == PLOT_BAD_INPUT ? ML_EXIT_USAGE : ML_EXIT_CHECK_FAILED, "%s", err.msg);
	if (args->csv)
		puts("file");
	for (size_t i = 0; i < sum.nfiles; i++)
		printf("%s%s/%s\n", args->csv ? "" : "  ", args->operands[0], sum.files[i]);
	if (!args->quiet) {
		/* Named, as what is normal: a run of one benchmark, or of the
		 * simulator alone, holds few figures' results by design. */
		say_skipped(&sum, true, "not drawn, the run holds no results for them: ");
		say_skipped(&sum, false, "not drawn, their results hold nothing to draw: ");
		if (sum.topology_note[0])
			fprintf(stderr, "no lstopo.png: %s\n", sum.topology_note);
	}
	plot_summary_free(&sum);
	return sum.warnings ? ML_EXIT_CHECK_FAILED : ML_EXIT_OK;
}

const struct cli_command cmd_plot = {
	.name = "plot",
	.summary = "draw a run's figures with gnuplot (PNG, SVG, PDF)",
	.operands = "RUN_DIR",
	.min_operands = 1,
	.max_operands = 1,
	.description =
		"Draws the figures of a run directory into RUN_DIR/figures, each from a\n"
		"gnuplot template: the topology, the hierarchy staircase, bandwidth, the core-to-core\n"
		"heatmap, coherence-state costs, false sharing, contention, the protocols side\n"
		"by side for each simulated workload, the native false-sharing slowdown beside\n"
		"the simulated one, and lstopo's own picture where lstopo can draw one. A\n"
		"figure whose results the run lacks is skipped. Without gnuplot it says so and\n"
		"leaves the CSVs as they are.\n",
	.common = CLI_CSV | CLI_QUIET,
	.options = options,
	.noptions = NOPTIONS,
	.run = run_plot,
};
