#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "interrupt.h"
#include "json.h"
#include "path.h"
#include "run_addition.h"
#include "rundir.h"
#include "memory_avail.h"
#include "sysinfo.h"
#include "virt.h"
#include "xalloc.h"

struct pair {
	char *key;
	char *value;
};

struct pairs {
	struct pair *items;
	size_t n;
};

struct rundir {
	char *path;
	char *command_line;
	time_t start, end;
	enum run_status status;
	struct sysinfo sys;
	struct virt_info virt;
	const struct topo *topo;
	struct clock_calibration clock;
	bool has_clock;
	struct pairs settings, unavailable;
	char **files;
	size_t nfiles;
	struct run_conditions *conditions;
	size_t nconditions;
	struct stage_steal {
		char stage[32];
		double share, seconds;
	} *steal;
	size_t nsteal;
	struct run_check *checks;
	size_t nchecks;
	bool made_directory; /* this run created its directory */
	/* The run this command adds to (its directory held one): meta.json
	 * stays that run's, with this command's part merged in. */
	struct run_addition addition;
	bool adding;
	int lock;            /* its lock's descriptor, held while it runs */
};

/* The run still open, for the exit handler: a command that exits before it
 * finishes its run (a usage error found after the directory was made, a
 * fatal error) must not leave a directory that says "running", which is
 * what a killed run says. */
static struct rundir *open_run;

static const char *const status_names[] = {
	[RUN_RUNNING] = "running",
	[RUN_COMPLETE] = "complete",
	[RUN_INTERRUPTED] = "interrupted",
	[RUN_FAILED] = "failed",
};

static void pairs_add(struct pairs *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->items[i].key, key) == 0) {
			free(p->items[i].value);
			p->items[i].value = xstrdup(value);
			return;
		}
	}
	p->items = xrealloc(p->items, p->n + 1, sizeof(*p->items));
	p->items[p->n].key = xstrdup(key);
	p->items[p->n].value = xstrdup(value);
	p->n++;
}

static void pairs_free(struct pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
}

/* mkdir -p */
int rundir_make_directories(const char *path, struct ml_error *err)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1; ; p++) {
		char saved = *p;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			ml_error_set(err, "%s: cannot create directory: %s", copy, strerror(errno));
			rc = -1;
			break;
		}
		*p = saved;
		if (!saved)
			break;
	}
	if (rc == 0) {
		struct stat st;

		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			ml_error_set(err, "%s: not a directory", path);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

/* A fresh directory under BASE; mkdir's EEXIST is what guarantees that an
 * earlier run is never overwritten, even by a run started the same second. */
static char *create_new_run_directory(const char *base, const char *host, time_t now,
				      struct ml_error *err)
{
	char stamp[32], safe_host[128];
	struct tm tm;

	if (rundir_make_directories(base, err) < 0)
		return NULL;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	sysinfo_safe_name(host, safe_host, sizeof(safe_host));
	for (unsigned attempt = 1; attempt < 1000; attempt++) {
		char *path = attempt == 1 ? xasprintf("%s/%s-%s", base, stamp, safe_host)
					  : xasprintf("%s/%s-%s-%u", base, stamp, safe_host, attempt);

		if (mkdir(path, 0755) == 0)
			return path;
		if (errno != EEXIST) {
			ml_error_set(err, "%s: cannot create directory: %s", path, strerror(errno));
			free(path);
			return NULL;
		}
		free(path);
	}
	ml_error_set(err, "%s: too many runs started at %s", base, stamp);
	return NULL;
}

static char *join_command_line(int argc, char **argv)
{
	size_t len = 1;
	char *line;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = xcalloc(len, 1);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

static void format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void write_topology(struct json_writer *w, const struct topo *t)
{
	json_object_begin(w, "topology");
	json_string(w, "source", topo_source(t));
	json_string(w, "cpu_model", topo_cpu_model(t));
	json_int(w, "packages", topo_packages(t));
	json_int(w, "numa_nodes", topo_numa_nodes(t));
	json_int(w, "cores", topo_cores(t));
	json_int(w, "pus", topo_pus(t));
	{
		char *usable = topo_usable_list(t);

		json_string(w, "pus_allowed", usable);
		json_int(w, "pus_allowed_count", topo_usable_pus(t));
		free(usable);
	}
	json_array_begin(w, "caches");
	for (size_t i = 0; i < topo_cache_levels(t); i++) {
		const struct topo_cache_level *c = topo_cache_level(t, i);

		json_object_begin(w, NULL);
		json_string(w, "name", c->name);
		json_int(w, "size_bytes", (int64_t)c->size);
		json_bool(w, "uniform_size", c->uniform);
		json_int(w, "line_bytes", c->line);
		json_int(w, "ways", c->ways);
		json_int(w, "instances", c->instances);
		json_int(w, "pus_per_instance", c->pus_max);
		json_int(w, "pus_per_instance_min", c->pus_min);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void write_pairs(struct json_writer *w, const char *name, const struct pairs *p,
			const char *key_name, const char *value_name)
{
	json_array_begin(w, name);
	for (size_t i = 0; i < p->n; i++) {
		json_object_begin(w, NULL);
		json_string(w, key_name, p->items[i].key);
		json_string(w, value_name, p->items[i].value);
		json_object_end(w);
	}
	json_array_end(w);
}

static void write_checks(struct json_writer *w, const struct rundir *r)
{
	json_array_begin(w, "checks");
	for (size_t i = 0; i < r->nchecks; i++) {
		json_object_begin(w, NULL);
		json_string(w, "name", r->checks[i].name);
		json_string(w, "verdict", r->checks[i].verdict);
		json_string(w, "detail", r->checks[i].detail);
		json_object_end(w);
	}
	json_array_end(w);
}

static void write_steal(struct json_writer *w, const struct rundir *r)
{
	json_array_begin(w, "steal");
	for (size_t i = 0; i < r->nsteal; i++) {
		json_object_begin(w, NULL);
		json_string(w, "stage", r->steal[i].stage);
		if (r->steal[i].share < 0)
			json_null(w, "share");
		else
			json_double(w, "share", r->steal[i].share);
		if (r->steal[i].seconds < 0)
			json_null(w, "seconds");
		else
			json_double(w, "seconds", r->steal[i].seconds);
		json_object_end(w);
	}
	json_array_end(w);
}

static void write_conditions(struct json_writer *w, const struct rundir *r)
{
	json_array_begin(w, "conditions");
	for (size_t i = 0; i < r->nconditions; i++) {
		const struct run_conditions *c = &r->conditions[i];

		json_object_begin(w, NULL);
		json_string(w, "benchmark", c->benchmark);
		json_int(w, "pus", c->pus);
		if (c->available < 0) {
			json_null(w, "pu_available_min");
			json_null(w, "pu_least_available");
		} else {
			json_double(w, "pu_available_min", c->available);
			json_int(w, "pu_least_available", c->least_available_pu);
		}
		if (c->steal < 0)
			json_null(w, "steal");
		else
			json_double(w, "steal", c->steal);
		json_int(w, "runnable_at_start", c->runnable);
		json_int(w, "involuntary_switches", (int64_t)c->preempted);
		json_int(w, "measurements", c->measurements);
		json_int(w, "given_up", c->given_up);
		json_string(w, "verdict", c->verdict);
		json_string(w, "why", c->why);
		json_object_end(w);
	}
	json_array_end(w);
}

/* The document of a run of the command's own. */
static void write_own_document(const struct rundir *r, FILE *fp)
{
	struct json_writer w;
	char start[32], end[32];

	format_time(r->start, start, sizeof(start));
	format_time(r->end, end, sizeof(end));
	json_init(&w, fp);
	json_object_begin(&w, NULL);
	json_int(&w, "schema_version", RESULTS_SCHEMA_VERSION);
	json_string(&w, "mesilab_version", r->sys.version);
	json_string(&w, "git_revision", r->sys.git_revision);
	json_string(&w, "command_line", r->command_line);
	json_string(&w, "status", status_names[r->status]);
	/* With the host name, lets a reader tell a killed run from one still
	 * going (a killed run's status stays "running"). */
	json_int(&w, "pid", (int64_t)getpid());
	json_string(&w, "start_time", start);
	if (r->status == RUN_RUNNING)
		json_null(&w, "end_time");
	else
		json_string(&w, "end_time", end);
	json_object_begin(&w, "host");
	json_string(&w, "hostname", r->sys.hostname);
	json_string(&w, "kernel", r->sys.kernel);
	json_string(&w, "machine", r->sys.machine);
	if (memory_total() != UINT64_MAX)
		json_int(&w, "memory_bytes", (int64_t)memory_total());
	else
		json_null(&w, "memory_bytes");
	json_object_begin(&w, "virtualization");
	json_bool(&w, "virtual_machine", r->virt.virtual_machine);
	json_string(&w, "hypervisor", r->virt.hypervisor);
	json_string(&w, "cpuid_signature", r->virt.cpuid_signature);
	json_string(&w, "dmi", r->virt.dmi);
	json_string(&w, "evidence", r->virt.evidence);
	json_object_end(&w);
	json_object_end(&w);
	json_object_begin(&w, "build");
	json_string(&w, "compiler", r->sys.compiler);
	json_string(&w, "cflags", r->sys.cflags);
	json_object_end(&w);
	if (r->topo)
		write_topology(&w, r->topo);
	if (r->has_clock) {
		json_object_begin(&w, "clock");
		json_string(&w, "method", "dependent add chain, timed with CLOCK_MONOTONIC");
		json_double(&w, "core_ghz", r->clock.cycles_per_ns);
		json_double(&w, "min_ghz", r->clock.min_ghz);
		json_double(&w, "max_ghz", r->clock.max_ghz);
		json_double(&w, "spread", r->clock.spread);
		json_int(&w, "samples", r->clock.samples);
		json_double(&w, "pause_ns", r->clock.pause_ns);
		json_object_end(&w);
	}
	write_pairs(&w, "settings", &r->settings, "name", "value");
	write_pairs(&w, "unavailable", &r->unavailable, "what", "why");
	write_conditions(&w, r);
	write_steal(&w, r);
	write_checks(&w, r);
	json_array_begin(&w, "files");
	for (size_t i = 0; i < r->nfiles; i++)
		json_string(&w, NULL, r->files[i]);
	json_array_end(&w);
	json_object_end(&w);
	json_finish(&w);
}

/* An addition's document: its own, read back as a tree and merged into
 * the run's, so that both are written by the one writer above. */
static int write_addition_document(const struct rundir *r, FILE *fp, struct ml_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *own = open_memstream(&text, &len);
	struct json_value *v;

	if (!own) {
		ml_error_set(err, "%s/meta.json: %s", r->path, strerror(errno));
		return -1;
	}
	write_own_document(r, own);
	if (fclose(own) != 0) {
		free(text);
		ml_error_set(err, "%s/meta.json: %s", r->path, strerror(errno));
		return -1;
	}
	v = json_parse(text, len, "meta.json", err);
	free(text);
	if (!v)
		return -1;
	run_addition_write(&r->addition, v, fp);
	json_value_free(v);
	return 0;
}

static int write_meta(const struct rundir *r, struct ml_error *err)
{
	char *path = rundir_file(r, "meta.json");
	struct atomic_file *f = atomic_file_open(path, err);
	int rc = -1;

	if (f) {
		int written = 0;

		if (r->adding)
			written = write_addition_document(r, atomic_file_stream(f), err);
		else
			write_own_document(r, atomic_file_stream(f));
		if (written < 0)
			atomic_file_abort(f);
		else
			rc = atomic_file_commit(f, err);
	}
	free(path);
	return rc;
}

/* The run's meta.json as it was before this addition. */
static void restore_meta(const struct rundir *r)
{
	char *path = rundir_file(r, "meta.json");
	struct atomic_file *f = atomic_file_open(path, NULL);

	if (f) {
		fwrite(r->addition.text, 1, r->addition.len, atomic_file_stream(f));
		atomic_file_commit(f, NULL);
	}
	free(path);
}

static void rundir_free(struct rundir *r)
{
	if (r->lock >= 0)
		rundir_unlock(r->path, r->lock);
	free(r->path);
	free(r->command_line);
	pairs_free(&r->settings);
	pairs_free(&r->unavailable);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	free(r->conditions);
	free(r->steal);
	free(r->checks);
	run_addition_free(&r->addition);
	free(r);
}

/* At exit with the run unfinished: a run that wrote nothing is removed
 * (its meta.json, and its directory when it made it); one that wrote
 * something is marked failed (or interrupted). */
static void settle_open_run(void)
{
	struct rundir *r = open_run;
	char *meta;

	if (!r)
		return;
	open_run = NULL;
	if (r->nfiles == 0 && r->adding) {
		/* An addition that wrote nothing leaves the run as it found it. */
		restore_meta(r);
	} else if (r->nfiles == 0) {
		meta = rundir_file(r, "meta.json");
		unlink(meta);
		free(meta);
		if (r->lock >= 0)
			rundir_unlock(r->path, r->lock);
		r->lock = -1;
		if (r->made_directory)
			rmdir(r->path);
		return;
	} else {
		r->status = interrupt_requested() ? RUN_INTERRUPTED : RUN_FAILED;
		r->end = time(NULL);
		write_meta(r, NULL);
	}
	if (r->lock >= 0)
		rundir_unlock(r->path, r->lock);
	r->lock = -1;
}

/* Whether FD is still the file at PATH: a holder that finished removed
 * it, and a lock on a removed file locks nothing. */
static bool still_named(int fd, const char *path)
{
	struct stat held, named;

	return fstat(fd, &held) == 0 && lstat(path, &named) == 0 && held.st_ino == named.st_ino &&
	       held.st_dev == named.st_dev;
}

int rundir_lock(const char *dir, struct ml_error *err)
{
	char *path = xasprintf("%s/" RUNDIR_LOCK_NAME, dir), text[32];
	int fd = -1;
	ssize_t n;

	for (int attempt = 0; fd < 0 && attempt < 8; attempt++) {
		/* O_NOFOLLOW: the lock file of a directory somebody else made
		 * could be a link to a file of ours. */
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
		if (fd < 0) {
			ml_error_set(err, "%s: cannot lock: %s", path, strerror(errno));
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			if (errno == EWOULDBLOCK) {
				n = pread(fd, text, sizeof(text) - 1, 0);
				text[n > 0 ? n : 0] = '\0';
				text[strcspn(text, "\n")] = '\0';
				ml_error_set(err,
					     "%s is in use by another mesilab command (pid %s): wait for it to end, or choose another directory",
					     dir, text[0] ? text : "unknown");
			} else {
				ml_error_set(err, "%s: cannot lock: %s", path, strerror(errno));
			}
			close(fd);
			fd = -1;
			break;
		}
		if (!still_named(fd, path)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0) {
		/* Who holds it, for the message of whoever comes next. */
		n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n) {
			ml_error_set(err, "%s: cannot write: %s", path, strerror(errno));
			close(fd);
			fd = -1;
		}
	} else if (!err->msg[0]) {
		ml_error_set(err, "%s: cannot lock: the lock file keeps being replaced", path);
	}
	free(path);
	return fd;
}

void rundir_unlock(const char *dir, int fd)
{
	char *path = xasprintf("%s/" RUNDIR_LOCK_NAME, dir);

	/* Removed while still held: whoever opened it meanwhile sees it gone
	 * (still_named) and tries again. */
	if (still_named(fd, path))
		unlink(path);
	close(fd);
	free(path);
}

int rundir_check_output(const char *dir, const char *marker, struct ml_error *err)
{
	char *own = xasprintf("%s/%s", dir, marker);
	bool other = false;
	DIR *d;

	if (!path_exists(own) && (d = opendir(dir))) {
		struct dirent *e;

		while (!other && (e = readdir(d)))
			other = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
		closedir(d);
	}
	free(own);
	if (other)
		ml_error_set(err, "%s: holds other files and no %s: give -o a new or empty directory", dir, marker);
	return other ? -1 : 0;
}

/* When R's directory holds a run's meta.json: R adds to that run (MAY_ADD),
 * or is refused. Read once the directory is locked, so that the run read
 * is not one still being written. */
static int open_earlier_run(struct rundir *r, bool may_add, struct ml_error *err)
{
	char *path = rundir_file(r, "meta.json");
	struct stat st;
	int rc = 0;

	if (lstat(path, &st) == 0) {
		if (!may_add) {
			ml_error_set(err,
				     "%s holds a run already: give -o a new or empty directory, or add to it with a command such as explain, sim or bench",
				     r->path);
			rc = -1;
		} else if ((rc = run_addition_read(&r->addition, path, r->path, err)) == 0) {
			r->adding = true;
		}
	}
	free(path);
	return rc;
}

static struct rundir *create(const char *dir, bool may_add, int argc, char **argv, struct ml_error *err)
{
	struct rundir *r = xcalloc(1, sizeof(*r));
	static bool handler_registered;

	sysinfo_read(&r->sys);
	virt_detect(&r->virt);
	r->start = r->end = time(NULL);
	r->status = RUN_RUNNING;
	r->command_line = join_command_line(argc, argv);
	r->lock = -1;
	if (dir) {
		r->made_directory = !path_is_directory(dir);
		if ((r->made_directory || rundir_check_output(dir, "meta.json", err) == 0) &&
		    rundir_make_directories(dir, err) == 0)
			r->path = xstrdup(dir);
	} else {
		const char *base = getenv("MESILAB_RESULTS_DIR");

		r->path = create_new_run_directory(base && *base ? base : "results",
						   r->sys.hostname, r->start, err);
		r->made_directory = true;
	}
	if (!r->path || (r->lock = rundir_lock(r->path, err)) < 0 || open_earlier_run(r, may_add, err) < 0 ||
	    write_meta(r, err) < 0) {
		if (r->path && r->made_directory)
			rmdir(r->path);
		rundir_free(r);
		return NULL;
	}
	if (!open_run)
		open_run = r;
	if (!handler_registered) {
		atexit(settle_open_run);
		handler_registered = true;
	}
	return r;
}

struct rundir *rundir_create(const char *dir, int argc, char **argv, struct ml_error *err)
{
	return create(dir, true, argc, argv, err);
}

struct rundir *rundir_create_run(const char *dir, int argc, char **argv, struct ml_error *err)
{
	return create(dir, false, argc, argv, err);
}

const char *rundir_path(const struct rundir *r)
{
	return r->path;
}

char *rundir_file(const struct rundir *r, const char *name)
{
	return xasprintf("%s/%s", r->path, name);
}

void rundir_set_topology(struct rundir *r, const struct topo *t)
{
	r->topo = t;
}

void rundir_set_clock(struct rundir *r, const struct clock_calibration *clock)
{
	r->clock = *clock;
	r->has_clock = true;
}

void rundir_set(struct rundir *r, const char *key, const char *value)
{
	pairs_add(&r->settings, key, value);
}

void rundir_setf(struct rundir *r, const char *key, const char *fmt, ...)
{
	char value[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	pairs_add(&r->settings, key, value);
}

void rundir_unavailable(struct rundir *r, const char *what, const char *why)
{
	pairs_add(&r->unavailable, what, why);
}

void rundir_add_file(struct rundir *r, const char *name)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i], name) == 0)
			return;
	r->files = xrealloc(r->files, r->nfiles + 1, sizeof(*r->files));
	r->files[r->nfiles++] = xstrdup(name);
}

void rundir_set_check(struct rundir *r, const struct run_check *c)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].name, c->name) == 0) {
			r->checks[i] = *c;
			return;
		}
	r->checks = xrealloc(r->checks, r->nchecks + 1, sizeof(*r->checks));
	r->checks[r->nchecks++] = *c;
}

void rundir_add_conditions(struct rundir *r, const struct run_conditions *c)
{
	r->conditions = xrealloc(r->conditions, r->nconditions + 1, sizeof(*r->conditions));
	r->conditions[r->nconditions++] = *c;
}

void rundir_add_steal(struct rundir *r, const char *stage, double share, double seconds)
{
	r->steal = xrealloc(r->steal, r->nsteal + 1, sizeof(*r->steal));
	r->steal[r->nsteal] = (struct stage_steal){ .share = share, .seconds = seconds };
	snprintf(r->steal[r->nsteal++].stage, sizeof(r->steal[0].stage), "%s", stage);
}

int rundir_save_table(struct rundir *r, const char *name, const struct table *t,
		      struct ml_error *err)
{
	/* An addition never replaces a file of the whole run it adds to (its
	 * sim-machine.csv, which its model-error.csv was computed from). */
	char *own = r->adding && run_addition_owns(&r->addition, name) ? run_addition_file_name(&r->addition, name)
								       : xstrdup(name);
	char *path = rundir_file(r, own);
	int rc = table_save_csv(t, path, err);

	if (rc == 0) {
		rundir_add_file(r, own);
		if (strcmp(own, name) != 0)
			ml_warn("%s/%s is the run's own and stays: this command's is saved as %s", r->path, name, own);
	}
	free(path);
	free(own);
	return rc;
}

int rundir_checkpoint(struct rundir *r, struct ml_error *err)
{
	return write_meta(r, err);
}

int rundir_finish(struct rundir *r, enum run_status status, struct ml_error *err)
{
	int rc;

	/* Whatever failed after a stop request failed because of it. */
	if (status != RUN_RUNNING && interrupt_requested())
		status = RUN_INTERRUPTED;
	r->status = status;
	r->end = time(NULL);
	rc = write_meta(r, err);
	if (open_run == r)
		open_run = NULL;
	rundir_free(r);
	return rc;
}

char *rundir_new_directory(const char *name, struct ml_error *err)
{
	const char *base = getenv("MESILAB_RESULTS_DIR");

	return create_new_run_directory(base && *base ? base : "results", name, time(NULL), err);
}
