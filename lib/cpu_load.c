#include <config.h>

#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "cpu_load.h"

void cpu_load_read(struct cpu_load *load)
{
	FILE *fp = fopen("/proc/stat", "r");
	char line[512];

	memset(load, 0, sizeof(*load));
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		/* "cpu  user nice system idle iowait irq softirq steal guest guest_nice" */
		unsigned long long v[8] = { 0 };
		unsigned running;

		if (strncmp(line, "cpu ", 4) == 0 &&
		    sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
			   &v[4], &v[5], &v[6], &v[7]) >= 4) {
			load->known = true;
			for (int i = 0; i < 8; i++)
				load->total += v[i];
			load->steal = v[7];
		} else if (sscanf(line, "procs_running %u", &running) == 1) {
			load->runnable = running;
		}
	}
	fclose(fp);
}

double cpu_load_steal_share(const struct cpu_load *before, const struct cpu_load *after)
{
	if (!before->known || !after->known || after->total <= before->total)
		return -1;
	return (double)(after->steal - before->steal) / (double)(after->total - before->total);
}

double cpu_load_stolen_seconds(const struct cpu_load *before, const struct cpu_load *after)
{
	long ticks = sysconf(_SC_CLK_TCK);

	if (!before->known || !after->known || after->steal < before->steal || ticks <= 0)
		return -1;
	return (double)(after->steal - before->steal) / (double)ticks;
}
