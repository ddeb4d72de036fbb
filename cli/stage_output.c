/* The suite's last stages: its figures and its report. */
#include <config.h>

#include <stdlib.h>

#include "path.h"
#include "plot.h"
#include "progress.h"
#include "report_writer.h"
#include "suite.h"

int suite_plot_stage(struct suite *s, struct ml_error *err)
{
	struct plot_summary sum;
	int rc;

	/* The figures read the run's metadata (the caches hwloc reports). */
	if (rundir_checkpoint(s->run, err) < 0)
		return -1;
	rc = plot_run(rundir_path(s->run), PLOT_PNG, &sum, err);

	/* Without gnuplot the run is still whole: its CSVs are all there. */
	if (rc == 1) {
		progress_note("%s", err->msg);
		rundir_unavailable(s->run, "figures", err->msg);
		return 0;
	}
	for (size_t i = 0; i < sum.nfiles; i++)
		rundir_add_file(s->run, sum.files[i]);
	if (sum.topology_note[0])
		rundir_unavailable(s->run, "figures/lstopo.png", sum.topology_note);
	plot_summary_free(&sum);
	return rc;
}

static const char *const model_files[] = { "model-error.csv", "model-error-samples.csv" };

int suite_report_stage(struct suite *s, bool failed, struct ml_error *err)
{
	if (rundir_checkpoint(s->run, err) < 0 || report_write_ending(rundir_path(s->run), failed, err) < 0)
		return -1;
	rundir_add_file(s->run, "report.md");
	rundir_add_file(s->run, "report.html");
	/* Written with the report where the run simulated its twins. */
	for (size_t i = 0; i < sizeof(model_files) / sizeof(model_files[0]); i++) {
		char *path = rundir_file(s->run, model_files[i]);

		if (path_exists(path))
			rundir_add_file(s->run, model_files[i]);
		free(path);
	}
	return 0;
}
