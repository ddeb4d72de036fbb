#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slurm.h"
#include "subprocess.h"
#include "xalloc.h"

bool slurm_available(void)
{
	char *argv[] = { "sbatch", "--version", NULL };

	return subprocess_run(argv) == 0;
}

void slurm_put_quoted(FILE *fp, const char *text)
{
	fputc('\'', fp);
	for (const char *p = text; *p; p++)
		if (*p == '\'')
			fputs("'\\''", fp);
		else
			fputc(*p, fp);
	fputc('\'', fp);
}

char *slurm_quoted(const char *text)
{
	char *out;
	size_t len;
	FILE *mem = open_memstream(&out, &len);

	slurm_put_quoted(mem, text);
	fclose(mem);
	return out;
}

int slurm_write_script(const char *path, const char *comment, const char *args, struct ml_error *err)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *fp = n > 0 ? fopen(path, "w") : NULL;

	if (!fp) {
		ml_error_set(err, "%s: %s", path, n > 0 ? strerror(errno) : "cannot tell where mesilab is");
		return -1;
	}
	self[n] = '\0';
	fprintf(fp, "#!/bin/sh\n# %s\nexec ", comment);
	slurm_put_quoted(fp, self);
	fprintf(fp, " %s\n", args);
	if (fclose(fp) != 0) {
		ml_error_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* "--NAME=VALUE", when VALUE is given. */
static void add_option(char **argv, size_t *n, const char *name, const char *value)
{
	if (value && *value)
		argv[(*n)++] = xasprintf("--%s=%s", name, value);
}

int slurm_submit(const struct slurm_job *job, const char *script, char *id, size_t len, struct ml_error *err)
{
	char *extra = job->extra ? xstrdup(job->extra) : NULL, *array = NULL, *dependency = NULL;
	char line[512] = "";
	size_t n = 0, nextra = extra ? strlen(extra) / 2 + 1 : 0;
	char **argv = xcalloc(16 + nextra, sizeof(*argv));
	int status;

	argv[n++] = xstrdup("sbatch");
	argv[n++] = xstrdup("--parsable");
	add_option(argv, &n, "job-name", job->name);
	add_option(argv, &n, "partition", job->partition);
	add_option(argv, &n, "time", job->time);
	add_option(argv, &n, "account", job->account);
	add_option(argv, &n, "nodelist", job->nodelist);
	add_option(argv, &n, "output", job->output);
	if (job->array)
		add_option(argv, &n, "array", array = xasprintf("0-%u", job->array - 1));
	if (job->dependency)
		add_option(argv, &n, "dependency", dependency = xasprintf("afterany:%s", job->dependency));
	if (job->exclusive)
		argv[n++] = xstrdup("--exclusive");
	for (char *p = extra ? strtok(extra, " \t") : NULL; p; p = strtok(NULL, " \t"))
		argv[n++] = xstrdup(p);
	argv[n++] = xstrdup(script);
	status = subprocess_run_output(argv, line, sizeof(line));
	line[strcspn(line, "\n")] = '\0';
	if (status != 0 || !line[0] || strspn(line, "0123456789") == 0) {
		ml_error_set(err, "sbatch %s: %s", script,
			     status < 0 ? "cannot be run (is Slurm installed?)" : line[0] ? line : "failed");
		status = -1;
	} else {
		line[strspn(line, "0123456789")] = '\0'; /* "123;cluster" */
		snprintf(id, len, "%s", line);
		status = 0;
	}
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	free(extra);
	free(array);
	free(dependency);
	return status;
}
