/* 'mesilab bench storage': below DRAM. A page-cache hit (a cached file
 * read with pread), a minor page fault (the first touch of anonymous
 * memory), a major fault (an mmap'ed file page that is not cached) and
 * the device itself without the page cache (O_DIRECT, queue depth 1). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bench.h"
#include "interrupt.h"
#include "progress.h"
#include "rng.h"
#include "stats.h"
#include "units.h"
#include "xalloc.h"

struct storage_config {
	const char *path; /* NULL: the run directory */
	uint64_t size;
	unsigned repeat;
};

#define FIELD(member) CLI_FIELD(struct storage_config, member)

static const struct cli_option options[] = {
	{ .name = "path", .arg = "DIR", FIELD(path), .help = "where the test file goes (default: the run directory's file system)" },
	{ .name = "size", .arg = "SIZE", .type = CLI_SIZE, .def = "256M", .quick = "32M", FIELD(size),
	  .help = "the test file, at most a tenth of the free space" },
	{ .name = "repeat", .arg = "N", .type = CLI_UINT, .min = 1, .max = 1000, .def = "9", .quick = "5", .full = "15",
	  FIELD(repeat), .help = "timed repetitions of each measurement" },
};

#define PAGE 4096u
#define SMALLEST_FILE (8u << 20)
/* A repetition stops after this many operations or this long, whichever
 * comes first: a disk's random read takes 10 ms where an SSD's takes 0.1. */
#define REP_SECONDS 0.2

struct storage {
	int fd, direct_fd; /* the test file, unlinked; direct_fd -1 without O_DIRECT */
	uint64_t size;
	unsigned char *buf; /* aligned for O_DIRECT */
	const char *no_direct; /* why direct_fd is -1 */
	uint64_t filesystem_bytes; /* the capacity of the file system the file is on */
	struct rng rng;
	bool quick;
};

/* One repetition of a measurement: nanoseconds per operation into *NS;
 * 0, 1 when it cannot be measured here (WHY says why), -1 with ERR. */
typedef int (*measure_fn)(struct storage *s, uint64_t block, double *ns, char *why, size_t len, struct ml_error *err);

static uint64_t random_block(struct storage *s, uint64_t block)
{
	return rng_below(&s->rng, s->size / block) * block;
}

static int read_error(struct ml_error *err, const char *what)
{
	ml_error_set(err, "storage: %s: %s", what, strerror(errno));
	return -1;
}

static int pagecache_read(struct storage *s, uint64_t block, double *ns, char *why, size_t len, struct ml_error *err)
{
	uint64_t start = timer_now_ns(), n = 0, limit = s->quick ? 2000 : 20000;

	(void)why, (void)len;
	while (n < limit && (double)(timer_now_ns() - start) < REP_SECONDS * 1e9) {
		if (pread(s->fd, s->buf, block, (off_t)random_block(s, block)) != (ssize_t)block)
			return read_error(err, "a cached read");
		n++;
	}
	*ns = (double)(timer_now_ns() - start) / (double)n;
	return 0;
}

static int minor_fault(struct storage *s, uint64_t block, double *ns, char *why, size_t len, struct ml_error *err)
{
	uint64_t pages = s->quick ? 4096 : 16384, start;
	volatile unsigned char *area = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)s, (void)block, (void)why, (void)len;
	if (area == MAP_FAILED)
		return read_error(err, "mmap");
	/* Pages of their own: a huge page would make one fault of 512. */
	madvise((void *)area, pages * PAGE, MADV_NOHUGEPAGE);
	start = timer_now_ns();
	for (uint64_t p = 0; p < pages; p++)
		area[p * PAGE] = 1;
	*ns = (double)(timer_now_ns() - start) / (double)pages;
	munmap((void *)area, pages * PAGE);
	return 0;
}

/* Drops the file's pages from the page cache; whether any page is still
 * cached afterwards (tmpfs and some overlays keep them: their pages are
 * the file). */
static bool drop_cached(struct storage *s, const unsigned char *map)
{
	unsigned char *resident = xmalloc(s->size / PAGE);
	bool still = false;

	fdatasync(s->fd);
	posix_fadvise(s->fd, 0, (off_t)s->size, POSIX_FADV_DONTNEED);
	if (mincore((void *)map, s->size, resident) == 0)
		for (uint64_t p = 0; p < s->size / PAGE && !still; p++)
			still = resident[p] & 1;
	free(resident);
	return still;
}

static int major_fault(struct storage *s, uint64_t block, double *ns, char *why, size_t len, struct ml_error *err)
{
	unsigned char *map = mmap(NULL, s->size, PROT_READ, MAP_SHARED, s->fd, 0);
	const volatile unsigned char *page = map; /* every touch a real load */
	uint64_t touches = s->quick ? 64 : 256, start, n = 0;

	(void)block;
	if (map == MAP_FAILED)
		return read_error(err, "mmap of the test file");
	/* One page per fault: without this, the kernel reads ahead. */
	madvise(map, s->size, MADV_RANDOM);
	if (drop_cached(s, map)) {
		snprintf(why, len, "the file system keeps the file's pages in memory (tmpfs?): no page is ever read from a device");
		munmap(map, s->size);
		return 1;
	}
	start = timer_now_ns();
	while (n < touches && (double)(timer_now_ns() - start) < REP_SECONDS * 1e9) {
		(void)page[random_block(s, PAGE)];
		n++;
	}
	*ns = (double)(timer_now_ns() - start) / (double)n;
	munmap(map, s->size);
	return 0;
}

static int direct_read(struct storage *s, uint64_t block, bool sequential, double *ns, char *why, size_t len,
		       struct ml_error *err)
{
	uint64_t start = timer_now_ns(), n = 0, limit = s->quick ? 128 : 1024;
	uint64_t at = sequential ? random_block(s, s->size / 4) : 0;

	if (s->direct_fd < 0) {
		snprintf(why, len, "%s", s->no_direct);
		return 1;
	}
	while (n < limit && (double)(timer_now_ns() - start) < REP_SECONDS * 1e9) {
		uint64_t offset = sequential ? at + n * block : random_block(s, block);

		if (sequential && offset + block > s->size)
			break;
		if (pread(s->direct_fd, s->buf, block, (off_t)offset) != (ssize_t)block)
			return read_error(err, "an O_DIRECT read");
		n++;
	}
	*ns = (double)(timer_now_ns() - start) / (double)n;
	return 0;
}

static int direct_random(struct storage *s, uint64_t block, double *ns, char *why, size_t len, struct ml_error *err)
{
	return direct_read(s, block, false, ns, why, len, err);
}

static int direct_sequential(struct storage *s, uint64_t block, double *ns, char *why, size_t len,
			     struct ml_error *err)
{
	return direct_read(s, block, true, ns, why, len, err);
}

static const struct measurement {
	const char *name;
	uint64_t block;
	measure_fn measure;
	bool needs_file;
	const char *what;
} measurements[] = {
	{ "pagecache_read", 4096, pagecache_read, true, "pread of 4 KiB of a cached file, at random" },
	{ "pagecache_read", 65536, pagecache_read, true, "pread of 64 KiB of a cached file, at random" },
	{ "minor_fault", PAGE, minor_fault, false, "first touch of a page of anonymous memory" },
	{ "major_fault", PAGE, major_fault, true, "first touch of an mmap'ed page of the file, not cached (no read-ahead)" },
	{ "direct_read_random", 4096, direct_random, true, "O_DIRECT read of 4 KiB at random, queue depth 1" },
	{ "direct_read_sequential", 131072, direct_sequential, true, "O_DIRECT reads of 128 KiB one after the other, queue depth 1" },
};

#define NMEASUREMENTS (sizeof(measurements) / sizeof(measurements[0]))

enum { C_MEASURE, C_BLOCK, C_NS, C_P5, C_P95, C_MAD, C_MBS, C_UNSTABLE, NCOLUMNS };

static const struct bench_column columns[NCOLUMNS] = {
	[C_MEASURE] = BENCH_KEY("measure", "measure", TABLE_LEFT),
	[C_BLOCK] = BENCH_KEY("block_bytes", "block", TABLE_RIGHT),
	[C_NS] = BENCH_STAT("latency_ns", "latency", FROM_MEDIAN, "%.1f"),
	[C_P5] = BENCH_STAT("latency_ns_p5", "p5", FROM_P5, "%.1f"),
	[C_P95] = BENCH_STAT("latency_ns_p95", "p95", FROM_P95, "%.1f"),
	[C_MAD] = BENCH_STAT("latency_ns_mad", "mad", FROM_MAD, "%.1f"),
	[C_MBS] = BENCH_KEY("throughput_mbs", "MB/s", TABLE_RIGHT),
	[C_UNSTABLE] = BENCH_STABLE,
};

static const struct bench_column sample_columns[] = {
	BENCH_KEY("measure", "measure", TABLE_LEFT),
	BENCH_KEY("block_bytes", "block", TABLE_RIGHT),
	BENCH_REP,
	BENCH_SAMPLE("latency_ns", "latency", "%.2f"),
};

/* The test file: in DIR, unlinked at once (gone however the run ends),
 * SIZE bytes written and synced; S->fd, and S->direct_fd where O_DIRECT
 * is allowed. 0, 1 when there is no room (WHY), -1 with ERR. */
static int make_file(struct storage *s, const char *dir, uint64_t wanted, char *why, size_t len, struct ml_error *err)
{
	struct statvfs fs;
	struct statfs mem;
	char *path = xasprintf("%s/.mesilab-storage-XXXXXX", dir);
	uint64_t free_bytes;

	if (statvfs(dir, &fs) < 0) {
		ml_error_set(err, "%s: %s", dir, strerror(errno));
		free(path);
		return -1;
	}
	free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize;
	s->filesystem_bytes = (uint64_t)fs.f_blocks * fs.f_frsize;
	/* Never more than a tenth of what is free: a benchmark must not fill a disk. */
	s->size = wanted < free_bytes / 10 ? wanted : free_bytes / 10 / (1u << 20) * (1u << 20);
	if (s->size < SMALLEST_FILE) {
		snprintf(why, len, "%s has %" PRIu64 " MiB free: too little for a test file of %u MiB (a tenth of the free space at most)",
			 dir, free_bytes >> 20, SMALLEST_FILE >> 20);
		free(path);
		return 1;
	}
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		ml_error_set(err, "%s: cannot create a test file: %s", dir, strerror(errno));
		free(path);
		return -1;
	}
	s->direct_fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	s->no_direct = "the file system refuses O_DIRECT (an overlay?): the device cannot be read past the page cache";
	unlink(path);
	free(path);
	/* tmpfs takes O_DIRECT since Linux 6.6, but there is no device below it. */
	if (fstatfs(s->fd, &mem) == 0 && (mem.f_type == TMPFS_MAGIC || mem.f_type == RAMFS_MAGIC) && s->direct_fd >= 0) {
		close(s->direct_fd);
		s->direct_fd = -1;
		s->no_direct = "the file system is in memory (tmpfs): there is no device below it to read";
	}
	for (uint64_t at = 0; at < s->size; at += 1u << 20) {
		memset(s->buf, (int)(at >> 20), 1u << 20);
		if (write(s->fd, s->buf, 1u << 20) != 1 << 20 || interrupt_check(err)) {
			if (!interrupt_requested())
				ml_error_set(err, "%s: cannot write the test file: %s", dir, strerror(errno ? errno : ENOSPC));
			return -1;
		}
	}
	if (fdatasync(s->fd) < 0)
		return read_error(err, "fdatasync");
	/* Cached, for the page-cache reads (read once whole). */
	for (uint64_t at = 0; at < s->size; at += 1u << 20)
		if (pread(s->fd, s->buf, 1u << 20, (off_t)at) != 1 << 20)
			return read_error(err, "reading the test file");
	return 0;
}

static void add_point(struct bench_series *s, const struct measurement *m, const double *ns, unsigned n)
{
	struct stats st;

	bench_point(s);
	bench_set(s, C_MEASURE, m->name, NULL);
	bench_setf(s, C_BLOCK, "%" PRIu64, m->block);
	bench_samples(s, ns, n, &st);
	bench_setf(s, C_MBS, "%.1f", (double)m->block / st.median * 1e3);
}

/* Measurement M, REPEAT times after a warm-up; a point when every
 * repetition was measured. -1 with ERR on an error; a measurement this
 * machine cannot make is said. */
static int measure_one(const struct bench_context *ctx, struct storage *st, const struct measurement *m,
		       unsigned repeat, double *ns, struct bench_series *s, struct ml_error *err)
{
	char why[256] = "";
	unsigned done = 0;
	int got = 0;

	rundir_setf(ctx->run, m->name, "%s", m->what);
	for (unsigned r = 0; r <= repeat && got == 0 && !interrupt_requested(); r++) {
		double one;

		bench_progress(ctx, "%s %" PRIu64 " bytes, %u of %u", m->name, m->block, r, repeat);
		got = m->measure(st, m->block, &one, why, sizeof(why), err);
		if (got == 0 && r > 0) /* the first one warms up */
			ns[done++] = one;
	}
	if (got > 0) {
		char *what = xasprintf("storage %s", m->name);

		progress_note("storage: %s not measured: %s", m->name, why);
		rundir_unavailable(ctx->run, what, why);
		free(what);
	} else if (got == 0 && done == repeat) {
		add_point(s, m, ns, done);
	}
	return got < 0 ? -1 : 0;
}

static int measure_storage(const struct bench_context *ctx, const void *config, struct bench_result *r,
			   struct ml_error *err)
{
	const struct storage_config *c = config;
	const char *dir = c->path ? c->path : rundir_path(ctx->run);
	struct storage s = { .fd = -1, .direct_fd = -1, .quick = ctx->quick };
	struct bench_series *series = bench_series(r, "storage", NULL, columns, NCOLUMNS, sample_columns,
						   sizeof(sample_columns) / sizeof(sample_columns[0]));
	double *ns = xcalloc(c->repeat, sizeof(*ns));
	char why[256] = "";
	int file, rc = 0;

	if (posix_memalign((void **)&s.buf, PAGE, 1u << 20) != 0)
		ml_die(ML_EXIT_CHECK_FAILED, "out of memory");
	rng_seed(&s.rng, ctx->seed_given ? ctx->seed : 1);
	bench_progress(ctx, "writing the test file in %s", dir);
	file = make_file(&s, dir, c->size, why, sizeof(why), err);
	if (file < 0) {
		rc = -1;
	} else if (file > 0) {
		progress_note("storage: %s; only the minor fault is measured", why);
		rundir_unavailable(ctx->run, "storage file measurements", why);
	} else {
		rundir_setf(ctx->run, "storage.file_bytes", "%" PRIu64, s.size);
		rundir_setf(ctx->run, "storage.filesystem_bytes", "%" PRIu64, s.filesystem_bytes);
		rundir_set(ctx->run, "storage.path", dir);
	}
	for (size_t k = 0; k < NMEASUREMENTS && rc == 0 && !interrupt_requested(); k++)
		if (!measurements[k].needs_file || file == 0)
			rc = measure_one(ctx, &s, &measurements[k], c->repeat, ns, series, err);
	progress_done();
	if (rc == 0 && interrupt_check(err))
		rc = -1;
	if (s.fd >= 0)
		close(s.fd);
	if (s.direct_fd >= 0)
		close(s.direct_fd);
	free(s.buf);
	free(ns);
	return rc;
}

const struct benchmark bench_storage = {
	.name = "storage",
	.summary = "below DRAM: a page-cache read, minor and major page faults, the device with O_DIRECT",
	.description =
		"Writes a test file (--size, never more than a tenth of the free space) on the\n"
		"file system of --path (default the run directory), unlinked at once so that\n"
		"nothing is left however the run ends, and measures per operation: a cached\n"
		"pread of 4 KiB and of 64 KiB at random, the first touch of an anonymous page\n"
		"(a minor fault), the first touch of an mmap'ed page of the file after its\n"
		"pages were dropped from the page cache (a major fault, read-ahead off), and\n"
		"O_DIRECT reads of 4 KiB at random and of 128 KiB one after the other, queue\n"
		"depth 1. Where the file system refuses O_DIRECT or keeps the file's pages in\n"
		"memory (tmpfs, overlays), or there is no room, the run says so and measures\n"
		"what it can.\n",
	.options = options,
	.noptions = sizeof(options) / sizeof(options[0]),
	.config_size = sizeof(struct storage_config),
	.measure = measure_storage,
};
