#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "slurm.h"
#include "subprocess.h"
#include "xalloc.h"

char *slurm_output_pattern(const char *dir, const char *name, struct ml_error *err)
{
	char *out, *o;

	/* Slurm's filename patterns: a backslash anywhere turns every
	 * replacement off (and is itself dropped), %% is a literal %. */
	if (strchr(dir, '\\')) {
		ml_error_set(err, "%s: a backslash in the path of a Slurm job's log (sbatch --output would drop it): choose a directory without one",
			     dir);
		return NULL;
	}
	out = o = xmalloc(2 * strlen(dir) + strlen(name) + 2);
	for (const char *p = dir; *p; p++) {
		if (*p == '%')
			*o++ = '%';
		*o++ = *p;
	}
	*o++ = '/';
	strcpy(o, name);
	return out;
}

int slurm_check_log_dir(const char *dir, struct ml_error *err)
{
	char cwd[PATH_MAX], *absolute, *pattern;

	if (dir[0] != '/' && !getcwd(cwd, sizeof(cwd))) {
		ml_error_set(err, "the working directory: %s", strerror(errno));
		return -1;
	}
	absolute = dir[0] == '/' ? xstrdup(dir) : xasprintf("%s/%s", cwd, dir);
	pattern = slurm_output_pattern(absolute, "", err);
	free(absolute);
	if (!pattern)
		return -1;
	free(pattern);
	return 0;
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
	escape_shell_word(fp, self);
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
	char *array = NULL, *dependency = NULL, *output = NULL;
	char line[512] = "";
	size_t n = 0, nextra = 0;
	char **argv;
	int status;

	if (job->log_dir && !(output = slurm_output_pattern(job->log_dir, job->log_name, err)))
		return -1;
	while (job->extra && job->extra[nextra])
		nextra++;
	argv = xcalloc(16 + nextra, sizeof(*argv));
	argv[n++] = xstrdup("sbatch");
	argv[n++] = xstrdup("--parsable");
	add_option(argv, &n, "job-name", job->name);
	add_option(argv, &n, "partition", job->partition);
	add_option(argv, &n, "time", job->time);
	add_option(argv, &n, "account", job->account);
	add_option(argv, &n, "nodelist", job->nodelist);
	add_option(argv, &n, "output", output);
	if (job->array)
		add_option(argv, &n, "array", array = xasprintf("0-%u", job->array - 1));
	if (job->dependency)
		add_option(argv, &n, "dependency", dependency = xasprintf("afterany:%s", job->dependency));
	if (job->exclusive)
		argv[n++] = xstrdup("--exclusive");
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = xstrdup(job->extra[i]);
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
	free(output);
	free(array);
	free(dependency);
	return status;
}
