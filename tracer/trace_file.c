#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"
#include "trace_file.h"

/* PATH's directory into DIR. */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* A name beside PATH that nothing has: ".NAME.XXXXXX" (mkostemp's form). */
static char *hidden_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *name;

	if (asprintf(&name, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path) < 0)
		return NULL;
	return name;
}

int rt_trace_file_open(struct rt_trace_file *f, const char *given, uint32_t header_room)
{
	char dir[PATH_MAX];
	mode_t mask;

	memset(f, 0, sizeof(*f));
	atomic_flag_clear(&f->lock);
	f->header_room = header_room;
	f->bytes = header_room;
	f->path = rt_final_name(given);
	if (!f->path)
		return ENOMEM;
	dir_of(f->path, dir, sizeof(dir));
#ifdef O_TMPFILE
	/* A trace is as any new file: the umask applies. */
	f->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
	if (f->fd >= 0)
		return 0;
#endif
	/* A file system without O_TMPFILE: a hidden file, renamed at exit. */
	f->hidden = hidden_name(f->path);
	f->fd = f->hidden ? mkostemp(f->hidden, O_CLOEXEC) : -1;
	if (f->fd < 0) {
		int e = f->hidden ? errno : ENOMEM;

		free(f->hidden);
		free(f->path);
		f->hidden = f->path = NULL;
		return e;
	}
	mask = umask(0);
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
	return 0;
}

bool rt_trace_file_append(struct rt_trace_file *f, const void *chunk, size_t n)
{
	bool ok;

	rt_lock_take(&f->lock);
	ok = f->error == 0 && rt_write_all(f->fd, chunk, n, f->bytes, false, &f->error);
	if (ok)
		f->bytes += n;
	rt_lock_give(&f->lock);
	return ok;
}

/* The tail's bytes, buffered and written at the file's end. */
struct tail {
	struct rt_trace_file *f;
	unsigned char buf[1 << 16];
	size_t used;
};

static void tail_flush(struct tail *t)
{
	if (t->f->error == 0 && rt_write_all(t->f->fd, t->buf, t->used, t->f->bytes, false, &t->f->error))
		t->f->bytes += t->used;
	t->used = 0;
}

static void tail_put(void *ctx, const void *data, size_t n)
{
	struct tail *t = ctx;
	const unsigned char *p = data;

	while (n > 0) {
		size_t piece = sizeof(t->buf) - t->used < n ? sizeof(t->buf) - t->used : n;

		memcpy(t->buf + t->used, p, piece);
		t->used += piece;
		p += piece;
		n -= piece;
		if (t->used == sizeof(t->buf))
			tail_flush(t);
	}
}

static void tail_put_u32(struct tail *t, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	tail_put(t, b, 4);
}

/* The end record, each thread's map of its locations, then (with them)
 * the locations' marker, section and footer. */
static void write_tail(struct tail *t, const struct trace_header *h, const struct rt_locations *locs, uint64_t limit)
{
	unsigned char end[TRACE_CHUNK_HEADER_SIZE], marker[TRACE_LOC_RECORD_SIZE];
	uint64_t map_bytes = 0, at;

	for (unsigned i = 0; i < h->threads; i++)
		map_bytes += 4 + 4 * (uint64_t)(h->locations && i < locs->threads ? locs->nremap[i] : 0);
	trace_chunk_end_encode((uint32_t)map_bytes, h->threads, limit, end);
	tail_put(t, end, sizeof(end));
	for (unsigned i = 0; i < h->threads; i++) {
		uint32_t n = h->locations && i < locs->threads ? locs->nremap[i] : 0;

		tail_put_u32(t, n);
		for (uint32_t k = 0; k < n; k++)
			tail_put_u32(t, locs->remap[i][k]);
	}
	if (!h->locations)
		return;
	at = t->f->bytes + t->used;
	trace_loc_marker(marker);
	tail_put(t, marker, sizeof(marker));
	rt_locations_write(locs, tail_put, t);
	trace_loc_put_footer(tail_put, t, at);
}

/* The name the file gets: O_TMPFILE's is linked under a hidden name
 * first, then both are renamed over the trace's, which is atomic. */
static int give_name(struct rt_trace_file *f)
{
	char proc[64];

	if (!f->hidden) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
		for (int tries = 0; tries < 100; tries++) {
			f->hidden = hidden_name(f->path);
			if (!f->hidden)
				return ENOMEM;
			/* mkostemp's pattern, filled without creating the file
			 * (nor touching the program's rand()). */
			struct timespec ts;
			uint64_t x;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)getpid() << 20 ^ (uint64_t)tries;
			for (char *c = f->hidden + strlen(f->hidden) - 6; *c; c++, x /= 36)
				*c = "abcdefghijklmnopqrstuvwxyz0123456789"[x % 36];
			if (linkat(AT_FDCWD, proc, AT_FDCWD, f->hidden, AT_SYMLINK_FOLLOW) == 0)
				break;
			free(f->hidden);
			f->hidden = NULL;
			if (errno != EEXIST)
				return errno;
		}
		if (!f->hidden)
			return EEXIST;
	}
	if (rename(f->hidden, f->path) < 0)
		return errno;
	free(f->hidden);
	f->hidden = NULL;
	return 0;
}

int rt_trace_file_finish(struct rt_trace_file *f, const struct trace_header *h, const struct rt_locations *locs,
			 uint64_t limit, char *why, size_t why_len)
{
	struct tail *t = calloc(1, sizeof(*t));
	unsigned char header[TRACE_FIXED_HEADER + TRACE_MAX_GENERATOR + 16];
	int e;

	if (!t) {
		f->error = ENOMEM;
	} else {
		t->f = f;
		write_tail(t, h, locs, limit);
		tail_flush(t);
		free(t);
	}
	trace_chunk_trace_header(h, f->header_room, header);
	if (f->error == 0)
		rt_write_all(f->fd, header, f->header_room, 0, false, &f->error);
	e = f->error;
	if (e == 0)
		e = give_name(f);
	if (e) {
		snprintf(why, why_len, "cannot write %s: %s", f->path, strerror(e));
		rt_trace_file_drop(f);
		return -1;
	}
	close(f->fd);
	f->fd = -1;
	free(f->path);
	f->path = NULL;
	return 0;
}

void rt_trace_file_drop(struct rt_trace_file *f)
{
	if (f->hidden)
		unlink(f->hidden);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->hidden);
	free(f->path);
	f->hidden = f->path = NULL;
}
