/* 'mesilab plot' on a run directory made from the input: every figure's
 * preparation, as plot.c's draw() calls it (once per instance for the
 * figures drawn per workload, sweep group or fleet group), its data files
 * into a directory of their own; gnuplot itself is not run. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "figure.h"
#include "path.h"
#include "plot.h"
#include "plot_io.h"
#include "xalloc.h"

static void prepare(const struct figure *fig, const char *run, const char *data, const char *suffix)
{
	char *vars_path = xasprintf("%s/vars.gp", data);
	struct plot_input in = { run, data, fopen(vars_path, "w"), suffix };
	struct ml_error err;

	if (!in.vars) {
		perror(vars_path);
		exit(3);
	}
	fig->prepare(&in, &err);
	fclose(in.vars);
	free(vars_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_plot"), input, size);
	char *run = xasprintf("%s/run", tree), *data = xasprintf("%s/plot-data", tree);

	if (mkdir(data, 0755) < 0) {
		perror(data);
		exit(3);
	}
	for (size_t f = 0; f < nfigures; f++) {
		char *needs = xasprintf("%s/%s", run, figures[f].needs);

		if (!path_exists(needs)) {
			free(needs);
			continue;
		}
		if (figures[f].instances) {
			char **instances = figures[f].instances(run);

			for (size_t i = 0; instances && instances[i]; i++)
				prepare(&figures[f], run, data, instances[i]);
			plot_free_list(instances);
		} else {
			prepare(&figures[f], run, data, NULL);
		}
		free(needs);
	}
	free(run);
	free(data);
	return 0;
}
