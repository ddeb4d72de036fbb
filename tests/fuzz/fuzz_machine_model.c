/* 'mesilab sim --machine RUN' (and sweep --machine) on a run directory
 * made from the input: the model read as sim_machine_read reads it, put
 * into the simulator's defaults and said as the summary and
 * sim-machine.csv say it. A model read without an error must make a
 * configuration the simulator takes: the command would otherwise refuse
 * it with a message that names no file of the run. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "engine.h"
#include "fuzz_input.h"
#include "fuzz_rundir.h"
#include "sim_machine.h"
#include "table.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tree = fuzz_rundir_unpack(fuzz_layout("fuzz_machine_model"), data, size);
	char *run = xasprintf("%s/run", tree);
	struct sim_machine m;
	struct sim_config cfg;
	struct ml_error err;
	FILE *out;

	if (sim_machine_read(&m, run, run, &err) == 0) {
		m.cores_source = "the trace's threads, one core each";
		sim_config_defaults(&cfg);
		sim_machine_apply(&m, &cfg);
		if (sim_config_check(&cfg, &err) < 0) {
			fprintf(stderr, "the model of %s makes no configuration: %s\n", run, err.msg);
			abort();
		}
		out = fopen("/dev/null", "w");
		if (!out)
			abort();
		sim_machine_print(&m, &cfg, out);
		table_free(sim_machine_table(&m, &cfg));
		fclose(out);
	}
	free(run);
	return 0;
}
