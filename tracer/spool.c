#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

int rt_spool_open(struct rt_spool *s, const char *dir)
{
	char *name;

	memset(s, 0, sizeof(*s));
	atomic_flag_clear(&s->lock);
#ifdef O_TMPFILE
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->fd >= 0)
		return 0;
#endif
	/* A filesystem without O_TMPFILE: a hidden file, removed at once. */
	if (asprintf(&name, "%s/.mesilab-spool.XXXXXX", dir) < 0)
		return ENOMEM;
	s->fd = mkostemp(name, O_CLOEXEC);
	if (s->fd < 0) {
		int e = errno;

		free(name);
		return e;
	}
	unlink(name);
	free(name);
	return 0;
}

bool rt_write_all(int fd, const void *data, size_t n, uint64_t offset, bool stream, int *error)
{
	const unsigned char *p = data;

	while (n > 0) {
		ssize_t w = stream ? write(fd, p, n) : pwrite(fd, p, n, (off_t)offset);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*error = w < 0 ? errno : ENOSPC;
			return false;
		}
		p += w;
		n -= (size_t)w;
		offset += (uint64_t)w;
	}
	return true;
}

bool rt_spool_append(struct rt_spool *s, uint32_t thread, const struct trace_stamped *events, size_t n)
{
	bool ok;

	rt_lock_take(&s->lock);
	ok = s->error == 0;
	if (ok && s->nchunks == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct rt_chunk *more = realloc(s->chunks, cap * sizeof(*more));

		if (more) {
			s->chunks = more;
			s->cap = cap;
		} else {
			s->error = ENOMEM;
			ok = false;
		}
	}
	if (ok && rt_write_all(s->fd, events, n * sizeof(*events), s->bytes, false, &s->error)) {
		s->chunks[s->nchunks++] = (struct rt_chunk){ s->bytes, thread, (uint32_t)n };
		s->bytes += n * sizeof(*events);
	}
	ok = s->error == 0;
	rt_lock_give(&s->lock);
	return ok;
}

/* A thread's place in the merge: its chunks in order, and a window of
 * events read from the current one. */
#define WINDOW 256

struct cursor {
	uint32_t thread;
	const size_t *chunks; /* indices into the spool's chunks */
	size_t nchunks, chunk, at; /* the current chunk, the next event in it */
	struct trace_stamped window[WINDOW];
	size_t window_start, window_len; /* events of the current chunk held */
};

/* The cursor's next event, reading as needed; NULL when it is done or a
 * read failed (*ERROR). */
static const struct trace_stamped *peek(const struct rt_spool *s, struct cursor *c, int *error)
{
	for (;;) {
		const struct rt_chunk *ch;
		size_t want;
		ssize_t got;

		if (c->chunk == c->nchunks)
			return NULL;
		ch = &s->chunks[c->chunks[c->chunk]];
		if (c->at == ch->events) {
			c->chunk++;
			c->at = c->window_start = c->window_len = 0;
			continue;
		}
		if (c->at < c->window_start + c->window_len)
			return &c->window[c->at - c->window_start];
		want = ch->events - c->at < WINDOW ? ch->events - c->at : WINDOW;
		do
			got = pread(s->fd, c->window, want * sizeof(struct trace_stamped),
				    (off_t)(ch->offset + c->at * sizeof(struct trace_stamped)));
		while (got < 0 && errno == EINTR);
		if (got != (ssize_t)(want * sizeof(struct trace_stamped))) {
			*error = got < 0 ? errno : EIO;
			return NULL;
		}
		c->window_start = c->at;
		c->window_len = want;
	}
}

static bool before(const struct trace_stamped *a, uint32_t ta, const struct trace_stamped *b, uint32_t tb)
{
	return a->stamp < b->stamp || (a->stamp == b->stamp && ta < tb);
}

/* A binary heap of cursors by their next event. */
static void sift_down(struct cursor **heap, size_t n, size_t i, const struct rt_spool *s, int *error)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && before(peek(s, heap[l], error), heap[l]->thread, peek(s, heap[m], error), heap[m]->thread))
			m = l;
		if (r < n && before(peek(s, heap[r], error), heap[r]->thread, peek(s, heap[m], error), heap[m]->thread))
			m = r;
		if (m == i)
			return;
		struct cursor *x = heap[i];

		heap[i] = heap[m];
		heap[m] = x;
		i = m;
	}
}

/* Buffered output of encoded records. */
struct out {
	int fd;
	bool stream; /* written through: a device or a FIFO */
	unsigned char buf[1 << 16];
	size_t used;
	uint64_t offset;
	int error;
};

static void out_put(struct out *o, const void *data, size_t n)
{
	if (o->used + n > sizeof(o->buf)) {
		if (o->error == 0 && rt_write_all(o->fd, o->buf, o->used, o->offset, o->stream, &o->error))
			o->offset += o->used;
		o->used = 0;
	}
	memcpy(o->buf + o->used, data, n);
	o->used += n;
}

static void out_put_section(void *ctx, const void *data, size_t n)
{
	struct out *o = ctx;

	/* A piece larger than the buffer (a long path cannot be) goes in parts. */
	while (n > sizeof(o->buf)) {
		out_put(o, data, sizeof(o->buf));
		data = (const unsigned char *)data + sizeof(o->buf);
		n -= sizeof(o->buf);
	}
	out_put(o, data, n);
}

static void out_flush(struct out *o)
{
	if (o->error == 0 && rt_write_all(o->fd, o->buf, o->used, o->offset, o->stream, &o->error))
		o->offset += o->used;
	o->used = 0;
}

static int merge_into(struct rt_spool *s, const struct trace_header *h, const struct rt_locations *locs,
		      uint64_t limit, struct out *o, uint64_t *written)
{
	size_t *order = malloc((s->nchunks + 1) * sizeof(*order)), *first = calloc(h->threads + 1, sizeof(*first));
	struct cursor *cursors = calloc(h->threads, sizeof(*cursors));
	struct cursor **heap = calloc(h->threads, sizeof(*heap));
	unsigned char header[TRACE_FIXED_HEADER + TRACE_MAX_GENERATOR + 16];
	size_t nheap = 0;
	int error = 0;

	*written = 0;
	if (!order || !first || !cursors || !heap) {
		error = ENOMEM;
		goto out;
	}
	/* Each thread's chunks, in the order it wrote them. */
	for (size_t i = 0; i < s->nchunks; i++)
		first[s->chunks[i].thread + 1]++;
	for (uint32_t t = 0; t < h->threads; t++)
		first[t + 1] += first[t];
	{
		size_t *fill = calloc(h->threads + 1, sizeof(*fill));

		if (!fill) {
			error = ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < s->nchunks; i++) {
			uint32_t t = s->chunks[i].thread;

			order[first[t] + fill[t]++] = i;
		}
		free(fill);
	}
	for (uint32_t t = 0; t < h->threads; t++) {
		cursors[t].thread = t;
		cursors[t].chunks = order + first[t];
		cursors[t].nchunks = first[t + 1] - first[t];
		if (peek(s, &cursors[t], &error))
			heap[nheap++] = &cursors[t];
	}
	for (size_t i = nheap; i-- > 0;)
		sift_down(heap, nheap, i, s, &error);
	out_put(o, header, trace_header_encode(h, header));
	while (nheap > 0 && error == 0 && o->error == 0 && (limit == 0 || *written < limit)) {
		struct cursor *c = heap[0];
		const struct trace_stamped *e = peek(s, c, &error);
		unsigned char rec[TRACE_LOC_RECORD_SIZE];
		struct trace_record r = e->rec;
		uint32_t loc = locs ? rt_locations_global(locs, r.thread, r.gap) : 0;

		r.gap = 0;
		trace_record_encode(&r, rec);
		for (int i = 0; i < 4; i++)
			rec[TRACE_RECORD_SIZE + i] = (unsigned char)(loc >> (8 * i));
		out_put(o, rec, locs ? TRACE_LOC_RECORD_SIZE : TRACE_RECORD_SIZE);
		(*written)++;
		c->at++;
		if (!peek(s, c, &error))
			heap[0] = heap[--nheap];
		sift_down(heap, nheap, 0, s, &error);
	}
	if (locs) {
		unsigned char marker[TRACE_LOC_RECORD_SIZE];
		uint64_t at = o->offset + o->used;

		trace_loc_marker(marker);
		out_put(o, marker, sizeof(marker));
		rt_locations_write(locs, out_put_section, o);
		trace_loc_put_footer(out_put_section, o, at);
	}
	out_flush(o);
out:
	free(order);
	free(first);
	free(cursors);
	free(heap);
	return error ? error : o->error;
}

/* The hidden file a merge writes, for a signal that ends the program
 * during the merge to remove: never a partial trace left behind. */
static char *merging;
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static void merge_interrupted(int sig)
{
	if (merging)
		unlink(merging);
	signal(sig, SIG_DFL);
	raise(sig);
}

char *rt_final_name(const char *path)
{
	char target[PATH_MAX], *joined;
	const char *slash = strrchr(path, '/');
	ssize_t n;
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return strdup(path);
	if ((joined = realpath(path, NULL)))
		return joined;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return strdup(path);
	target[n] = '\0';
	if (target[0] == '/' || !slash)
		return strdup(target);
	return asprintf(&joined, "%.*s/%s", (int)(slash - path), path, target) < 0 ? NULL : joined;
}

/* A trace written through to what PATH is (a device such as /dev/null, a
 * FIFO), as a shell's redirection would: replacing it by a renamed file
 * would destroy a device node. */
static int merge_through(struct rt_spool *s, const struct trace_header *h, const struct rt_locations *locs,
			 uint64_t limit, const char *path, uint64_t *written, char *why, size_t why_len)
{
	struct out *o = calloc(1, sizeof(*o));
	int e;

	if (!o) {
		snprintf(why, why_len, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	o->stream = true;
	if (o->fd < 0) {
		snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
		free(o);
		return -1;
	}
	e = merge_into(s, h, locs, limit, o, written);
	if (close(o->fd) < 0 && e == 0)
		e = errno;
	if (e)
		snprintf(why, why_len, "cannot write %s: %s", path, strerror(e));
	free(o);
	return e ? -1 : 0;
}

int rt_spool_merge(struct rt_spool *s, const struct trace_header *h, const struct rt_locations *locs,
		   uint64_t limit, const char *given, uint64_t *written, char *why, size_t why_len)
{
	struct sigaction on_signal = { .sa_handler = merge_interrupted }, before[NFATAL];
	struct stat st;
	char *path, *tmp;
	const char *slash;
	struct out *o;
	int e;

	if (stat(given, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return merge_through(s, h, locs, limit, given, written, why, why_len);
	if (!(path = rt_final_name(given))) {
		snprintf(why, why_len, "%s: %s", given, strerror(ENOMEM));
		return -1;
	}
	slash = strrchr(path, '/');
	if (asprintf(&tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path) < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(ENOMEM));
		free(path);
		return -1;
	}
	o = calloc(1, sizeof(*o));
	o->fd = o ? mkostemp(tmp, O_CLOEXEC) : -1;
	if (!o || o->fd < 0) {
		snprintf(why, why_len, "cannot create a file beside %s: %s", path, strerror(o ? errno : ENOMEM));
		free(o);
		free(tmp);
		free(path);
		return -1;
	}
	{
		/* mkostemp makes the file private; a trace is as any new file. */
		mode_t mask = umask(0);

		umask(mask);
		fchmod(o->fd, 0666 & ~mask);
	}
	merging = tmp;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &on_signal, &before[i]);
	e = merge_into(s, h, locs, limit, o, written);
	if (close(o->fd) < 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) < 0)
		e = errno;
	if (e) {
		snprintf(why, why_len, "cannot write %s: %s", path, strerror(e));
		unlink(tmp);
	}
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &before[i], NULL);
	merging = NULL;
	free(o);
	free(tmp);
	free(path);
	return e ? -1 : 0;
}
