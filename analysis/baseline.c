#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "input_file.h"
#include "interrupt.h"
#include "json_read.h"
#include "path.h"
#include "run_end.h"
#include "xalloc.h"

bool baseline_is(const char *dir)
{
	char *meta = xasprintf("%s/meta.json", dir);
	bool is = path_is_directory(dir) && !path_exists(meta);

	free(meta);
	return is;
}

struct dated_run {
	char *path;
	char *start; /* meta.json's start_time: ISO 8601, sorts as text */
};

static int by_start(const void *a, const void *b)
{
	const struct dated_run *x = a, *y = b;
	int c = strcmp(x->start, y->start);

	return c ? c : strcmp(x->path, y->path);
}

int baseline_runs(const char *dir, char ***runs, size_t *n, struct ml_error *err)
{
	DIR *d = opendir(dir);
	struct dated_run *found = NULL;
	struct dirent *e;
	size_t count = 0;
	int rc = 0;

	*runs = NULL;
	*n = 0;
	if (!d) {
		ml_error_set(err, "%s: cannot read: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		char *path, *meta_path;
		struct json_value *meta;
		const char *start;

		if (e->d_name[0] == '.')
			continue; /* also a copy not yet complete */
		path = xasprintf("%s/%s", dir, e->d_name);
		meta_path = xasprintf("%s/meta.json", path);
		if (!path_exists(meta_path)) {
			free(path);
			free(meta_path);
			continue;
		}
		meta = json_parse_file(meta_path, path, err);
		free(meta_path);
		if (!meta) {
			free(path);
			rc = -1;
			break;
		}
		start = json_lookup_string(meta, "start_time");
		found = xrealloc(found, count + 1, sizeof(*found));
		found[count].path = path;
		found[count++].start = xstrdup(start ? start : "");
		json_value_free(meta);
	}
	closedir(d);
	if (count) /* qsort's array must not be NULL, even empty */
		qsort(found, count, sizeof(*found), by_start);
	if (rc == 0) {
		*runs = xcalloc(count + 1, sizeof(**runs));
		for (size_t i = 0; i < count; i++)
			(*runs)[i] = found[i].path;
		*n = count;
	}
	for (size_t i = 0; i < count; i++) {
		if (rc < 0)
			free(found[i].path);
		free(found[i].start);
	}
	free(found);
	return rc;
}

void baseline_runs_free(char **runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
}

/* What a baseline keeps of a run: what compare reads. */
static bool kept_file(const char *name)
{
	size_t len = strlen(name);

	return strcmp(name, "meta.json") == 0 || (len > 4 && strcmp(name + len - 4, ".csv") == 0);
}

/* The largest file a run holds: its biggest samples table is a few
 * megabytes; what a run directory offers beyond this is not a result. */
#define RUN_FILE_MAX_BYTES (256u << 20)

/* Copies a file of RUN: only a regular file inside it (a link to a secret,
 * a FIFO or /dev/zero is refused before a byte is copied). */
static int copy_file(const char *run, const char *from, const char *to, struct ml_error *err)
{
	int in = input_open(from, run, RUN_FILE_MAX_BYTES, err), out = -1, rc = -1;
	char buf[65536];
	ssize_t got = 0;
	uint64_t copied = 0;

	if (in < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0) {
		ml_error_set(err, "%s: cannot create: %s", to, strerror(errno));
		goto done;
	}
	/* The bound again while copying: the file may grow meanwhile. */
	while (!interrupt_check(err) && (got = read(in, buf, sizeof(buf))) > 0) {
		if ((copied += (uint64_t)got) > RUN_FILE_MAX_BYTES) {
			ml_error_set(err, "%s: grew past %u MiB while copied: not a result", from, RUN_FILE_MAX_BYTES >> 20);
			goto done;
		}
		if (write(out, buf, (size_t)got) != got) {
			ml_error_set(err, "%s: cannot write: %s", to, strerror(errno ? errno : ENOSPC));
			goto done;
		}
	}
	if (interrupt_requested())
		goto done;
	if (got < 0) {
		ml_error_set(err, "%s: cannot read: %s", from, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (out >= 0 && close(out) < 0 && rc == 0) {
		ml_error_set(err, "%s: cannot write: %s", to, strerror(errno));
		rc = -1;
	}
	close(in);
	return rc;
}

/* Removes a run copy: its files (a baseline's copies hold no directory),
 * then itself. */
static int remove_copy(const char *path, struct ml_error *err)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		ml_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char *file = xasprintf("%s/%s", path, e->d_name);

			if (unlink(file) < 0 && rc == 0) {
				ml_error_set(err, "%s: cannot remove: %s", file, strerror(errno));
				rc = -1;
			}
			free(file);
		}
	closedir(d);
	if (rc == 0 && rmdir(path) < 0) {
		ml_error_set(err, "%s: cannot remove: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

static int copy_run(const char *run, const char *tmp, struct ml_error *err)
{
	DIR *d = opendir(run);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		ml_error_set(err, "%s: cannot read: %s", run, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)))
		if (kept_file(e->d_name)) {
			char *from = xasprintf("%s/%s", run, e->d_name), *to = xasprintf("%s/%s", tmp, e->d_name);

			rc = copy_file(run, from, to, err);
			free(from);
			free(to);
		}
	closedir(d);
	return rc;
}

int baseline_add(const char *dir, const char *run, size_t keep, size_t *kept, struct ml_error *err)
{
	char *meta_path = xasprintf("%s/meta.json", run), *tmp = NULL, *target = NULL, **runs;
	const char *slash, *name;
	struct json_value *meta = path_exists(meta_path) ? json_parse_file(meta_path, run, err) : NULL;
	char ended[512];
	size_t n;
	int rc = -1;

	if (!meta) {
		if (!path_exists(meta_path))
			ml_error_set(err, "%s: not a run directory (no meta.json)", run);
		goto out;
	}
	if (!run_end_complete(meta, ended, sizeof(ended))) {
		ml_error_set(err, "%s did not complete (%s): a baseline holds complete runs only", run, ended);
		goto out;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		ml_error_set(err, "%s: cannot create: %s", dir, strerror(errno));
		goto out;
	}
	if (!baseline_is(dir)) {
		ml_error_set(err, "%s: a run directory, not a baseline", dir);
		goto out;
	}
	/* The run's own name, made unique. */
	for (slash = run + strlen(run); slash > run && slash[-1] == '/'; slash--)
		;
	for (name = slash; name > run && name[-1] != '/'; name--)
		;
	target = xasprintf("%s/%.*s", dir, (int)(slash - name), name);
	for (unsigned i = 2; path_exists(target); i++) {
		free(target);
		target = xasprintf("%s/%.*s-%u", dir, (int)(slash - name), name, i);
	}
	/* Copied under a hidden name, then renamed: never half a run. */
	tmp = xasprintf("%s/.adding.XXXXXX", dir);
	if (!mkdtemp(tmp)) {
		ml_error_set(err, "%s: cannot create a directory: %s", dir, strerror(errno));
		goto out;
	}
	if (copy_run(run, tmp, err) < 0) {
		struct ml_error ignored;

		remove_copy(tmp, &ignored);
		goto out;
	}
	if (rename(tmp, target) < 0) {
		ml_error_set(err, "%s: cannot create: %s", target, strerror(errno));
		goto out;
	}
	if (baseline_runs(dir, &runs, &n, err) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; keep && n - i > keep && rc == 0; i++)
		rc = remove_copy(runs[i], err);
	*kept = keep && n > keep ? keep : n;
	baseline_runs_free(runs, n);
out:
	json_value_free(meta);
	free(meta_path);
	free(tmp);
	free(target);
	return rc;
}
