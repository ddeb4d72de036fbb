#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_rundir.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* What 'mesilab report' reads: the results, the self-checks' inputs and
 * the figures report.html embeds. */
static const char *const report_dirs[] = { "run" };
static const char *const report_files[] = {
	"meta.json", "latency.csv", "levels.csv", "bandwidth.csv", "c2c.csv", "states.csv", "falseshare.csv",
	"contention.csv", "topology.csv", "controls.csv", "pyramid.csv", "storage.csv", "timeshare.csv",
	"timeshare-refill.csv", "sim-workloads.csv", "counters.csv", "figures/latency.png", "figures/lstopo.png",
};

/* 'mesilab compare': a base run, a new one and a baseline of three, each
 * with every table of result_tables.c, its samples and the controls. */
static const char *const compare_dirs[] = { "base", "new", "hist/r1", "hist/r2", "hist/r3" };
static const char *const compare_files[] = {
	"meta.json", "controls.csv", "levels.csv", "latency.csv", "latency-samples.csv", "bandwidth.csv",
	"bandwidth-samples.csv", "falseshare.csv", "falseshare-samples.csv", "c2c.csv", "c2c-samples.csv",
	"contention.csv", "contention-samples.csv", "states.csv", "states-samples.csv", "storage.csv",
	"storage-samples.csv", "timeshare.csv", "timeshare-samples.csv", "sim-workloads.csv", "sim-summary.csv",
	"sim-cores.csv", "sim-transitions.csv",
};

/* 'mesilab baseline': a baseline of three runs and a run to add. */
static const char *const baseline_dirs[] = { "bl/r1", "bl/r2", "bl/r3", "run" };
static const char *const baseline_files[] = { "meta.json", "latency.csv", "latency-samples.csv", "levels.csv",
					      "controls.csv" };

/* 'mesilab fleet': five machines' runs. */
static const char *const fleet_dirs[] = { "node1", "node2", "node3", "node4", "other" };
static const char *const fleet_files[] = { "meta.json", "levels.csv", "latency.csv", "bandwidth.csv", "c2c.csv",
					   "falseshare.csv" };

/* 'mesilab sim --machine RUN' (and sweep --machine): what the machine
 * model reads of a run. */
static const char *const machine_dirs[] = { "run" };
static const char *const machine_files[] = { "meta.json", "topology.csv", "levels.csv", "c2c.csv", "states.csv" };

/* The report's model against the machine: the native figures with a
 * simulated twin, their samples, and the simulation of the host's model;
 * then what the report writes (a link or a FIFO there is replaced). */
static const char *const model_dirs[] = { "run" };
static const char *const model_files[] = {
	"meta.json", "levels.csv", "c2c.csv", "states.csv", "falseshare.csv", "contention.csv",
	"falseshare-samples.csv", "contention-samples.csv", "sim-workloads.csv", "sim-machine.csv",
	"model-error.csv", "model-error-samples.csv", "report.md", "report.html",
};

/* 'mesilab sweep --collect': a plan of four configurations and their
 * rows (sweep.csv is what the collection writes, not one of its inputs). */
static const char *const sweep_dirs[] = { "sweep" };
static const char *const sweep_files[] = { "plan.csv", "rows/c00000.csv", "rows/c00001.csv", "rows/c00002.csv",
					   "rows/c00003.csv" };

/* 'mesilab plot': what each figure's preparation reads. */
static const char *const plot_dirs[] = { "run" };
static const char *const plot_files[] = {
	"meta.json", "topology.csv", "latency.csv", "levels.csv", "bandwidth.csv", "c2c.csv", "states.csv",
	"falseshare.csv", "contention.csv", "sim-workloads.csv", "pyramid.csv", "timeshare-refill.csv",
	"sweep.csv", "fleet.csv", "fleet-latency.csv",
};

const struct fuzz_layout fuzz_layouts[] = {
	{ "fuzz_baseline", baseline_dirs, N(baseline_dirs), baseline_files, N(baseline_files) },
	{ "fuzz_compare", compare_dirs, N(compare_dirs), compare_files, N(compare_files) },
	{ "fuzz_fleet", fleet_dirs, N(fleet_dirs), fleet_files, N(fleet_files) },
	{ "fuzz_machine_model", machine_dirs, N(machine_dirs), machine_files, N(machine_files) },
	{ "fuzz_model_error", model_dirs, N(model_dirs), model_files, N(model_files) },
	{ "fuzz_plot", plot_dirs, N(plot_dirs), plot_files, N(plot_files) },
	{ "fuzz_report", report_dirs, N(report_dirs), report_files, N(report_files) },
	{ "fuzz_sweep_collect", sweep_dirs, N(sweep_dirs), sweep_files, N(sweep_files) },
};

const size_t nfuzz_layouts = N(fuzz_layouts);

const struct fuzz_layout *fuzz_layout(const char *target)
{
	for (size_t i = 0; i < nfuzz_layouts; i++)
		if (strcmp(fuzz_layouts[i].target, target) == 0)
			return &fuzz_layouts[i];
	return NULL;
}

/* BASE holds the tree (emptied for each input) and a file outside it
 * that links may point to. */
static char base[64], tree[96], outside[96];

static void fail(const char *what)
{
	perror(what);
	exit(3);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void empty_tree(void)
{
	/* Physical: a link in the tree is removed, never followed. */
	nftw(tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_base(void)
{
	empty_tree();
	unlink(outside);
	rmdir(base);
}

/* The trees of runs that died in DIR (a crash, a timeout's signal: no
 * exit handler ran), ours and no longer running, removed. */
static void remove_dead(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int pid;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (sscanf(e->d_name, "mesilab-fuzz-%d-", &pid) != 1 || pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid())
			nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (d)
		closedir(d);
}

/* In memory where there is a tmpfs (the readers' writers sync each file),
 * named after the process so that a later one can tell it died. */
static void make_base(void)
{
	static const char *const places[] = { "/dev/shm", NULL /* $TMPDIR */, "/tmp" };

	for (size_t i = 0; i < N(places) && !base[0]; i++) {
		const char *dir = places[i] ? places[i] : getenv("TMPDIR");

		if (!dir || !*dir)
			continue;
		remove_dead(dir);
		snprintf(base, sizeof(base), "%s/mesilab-fuzz-%d-XXXXXX", dir, (int)getpid());
		if (strlen(base) + 16 >= sizeof(base) || !mkdtemp(base))
			base[0] = '\0';
	}
	if (!base[0])
		fail("fuzz tree");
	snprintf(tree, sizeof(tree), "%s/tree", base);
	snprintf(outside, sizeof(outside), "%s/outside.csv", base);
	atexit(remove_base);
}

/* The directories leading to PATH (below the tree), made. */
static void make_parents(char *path)
{
	for (char *slash = strchr(path + strlen(tree) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail(path);
		*slash = '/';
	}
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);

	if (fd < 0)
		return; /* a directory of files by that name */
	if ((len && write(fd, data, len) != (ssize_t)len) || close(fd) < 0)
		fail(path);
}

static void make_entry(const char *dir, const char *file, unsigned kind, const uint8_t *data, size_t len)
{
	const char *const links[] = { "meta.json", ".", "../meta.json", "/dev/null", "/dev/zero", outside };
	char path[256];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", tree, dir, file) >= sizeof(path))
		fail("fuzz tree path");
	make_parents(path);
	remove(path);
	switch ((enum fuzz_entry_kind)kind) {
	case FUZZ_REGULAR:
		write_file(path, data, len);
		break;
	case FUZZ_SYMLINK:
		if (symlink(links[len ? data[0] % N(links) : 0], path) < 0)
			return; /* a directory of files by that name */
		break;
	case FUZZ_FIFO:
		mkfifo(path, 0644);
		break;
	case FUZZ_DIRECTORY:
		mkdir(path, 0755);
		break;
	}
}

const char *fuzz_rundir_unpack(const struct fuzz_layout *l, const uint8_t *data, size_t size)
{
	static const uint8_t outside_csv[] = "size_bytes,latency_ns\n1024,1\n";
	char path[256];

	if (!base[0])
		make_base();
	empty_tree();
	if (mkdir(tree, 0755) < 0)
		fail(tree);
	/* A file outside the tree, rewritten: a writer may have replaced it. */
	unlink(outside);
	write_file(outside, outside_csv, sizeof(outside_csv) - 1);
	for (size_t d = 0; d < l->ndirs; d++) {
		snprintf(path, sizeof(path), "%s/%s/", tree, l->dirs[d]);
		make_parents(path);
	}
	while (size > 0) {
		const uint8_t *end = memmem(data, size, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
		size_t len = end ? (size_t)(end - data) : size;

		if (len >= 2)
			make_entry(l->dirs[(data[0] & (FUZZ_MAX_DIRS - 1)) % l->ndirs], l->files[data[1] % l->nfiles],
				   data[0] >> 6, data + 2, len - 2);
		len += end ? FUZZ_SEPARATOR_LEN : 0;
		data += len;
		size -= len;
	}
	return tree;
}
