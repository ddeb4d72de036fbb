#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digits.h"
#include "interrupt.h"
#include "line_source.h"
#include "xalloc.h"

#define SOURCE_BLOCK (1u << 20)
#define SOURCE_LINE_MAX (16u << 20) /* a longer line is no trace's */
/* After the bytes read: one for the last line's NUL, and what the usual
 * parsers may read past a line's end (initialised, as memory checkers
 * want every byte a word is made of to be). */
#define SOURCE_SPARE (1 + DIGITS_READ_AHEAD)

static void source_init(struct line_source *s, int fd, bool owns_fd, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->owns_fd = owns_fd;
	s->name = name;
	s->cap = SOURCE_BLOCK;
	s->buf = xcalloc(1, s->cap + SOURCE_SPARE);
	s->nul = SIZE_MAX;
}

/* A buffer of CAP bytes (and the spare ones), what it held kept. */
static void grow(struct line_source *s, size_t cap)
{
	s->buf = xrealloc(s->buf, cap + SOURCE_SPARE, 1);
	memset(s->buf + s->cap + SOURCE_SPARE, 0, cap - s->cap);
	s->cap = cap;
}

int line_source_open(struct line_source *s, const char *path, struct ml_error *err)
{
	bool std_in = strcmp(path, "-") == 0;
	int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		ml_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	source_init(s, fd, !std_in, std_in ? "<stdin>" : path);
	return 0;
}

/* NUL bytes are looked for once a block, not once a line: where the first
 * one lies is kept, and a line that reaches it is refused. */
static void note_nul(struct line_source *s, size_t from, size_t n)
{
	char *z = s->nul == SIZE_MAX ? memchr(s->buf + from, '\0', n) : NULL;

	if (z)
		s->nul = (size_t)(z - s->buf);
}

void line_source_adopt(struct line_source *s, int fd, const char *name, const void *head, size_t n)
{
	size_t cap = SOURCE_BLOCK;

	source_init(s, fd, false, name);
	while (cap < n)
		cap *= 2;
	if (cap > s->cap)
		grow(s, cap);
	memcpy(s->buf, head, n);
	s->len = n;
	note_nul(s, 0, n);
}

void line_source_part(struct line_source *s, int fd, const char *name, uint64_t from)
{
	source_init(s, fd, false, name);
	s->positioned = true;
	s->next_read = s->base = from;
}

void line_source_close(struct line_source *s)
{
	if (s->owns_fd)
		close(s->fd);
	free(s->buf);
}

/* More bytes after the LEN there are, the consumed ones dropped first;
 * 0 (S->eof at the end), or -1 with ERR. Every text reader stops here
 * when a signal asked it to: a block is parsed in a fraction of a second,
 * and an endless input (a pipe always full) never fails a read. */
static int read_more(struct line_source *s, struct ml_error *err)
{
	ssize_t got;

	if (interrupt_check(err))
		return -1;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->base += s->pos;
		s->len -= s->pos;
		s->nul -= s->nul != SIZE_MAX ? s->pos : 0;
		s->pos = 0;
	}
	if (s->len == s->cap) {
		if (s->cap >= SOURCE_LINE_MAX) {
			ml_error_set(err, "%s:%llu: a line over %u bytes: not a text trace", s->name,
				     (unsigned long long)s->line_no + 1, SOURCE_LINE_MAX);
			return -1;
		}
		grow(s, s->cap * 2);
	}
	do
		got = s->positioned ? pread(s->fd, s->buf + s->len, s->cap - s->len, (off_t)s->next_read)
				    : read(s->fd, s->buf + s->len, s->cap - s->len);
	while (got < 0 && errno == EINTR && !interrupt_requested());
	s->next_read += got > 0 ? (uint64_t)got : 0;
	if (got < 0) {
		if (!interrupt_check(err))
			ml_error_set(err, "%s: cannot read: %s", s->name, strerror(errno));
		return -1;
	}
	s->eof = got == 0;
	note_nul(s, s->len, (size_t)got);
	s->len += (size_t)got;
	return 0;
}

int line_source_next(struct line_source *s, struct ml_error *err)
{
	for (;;) {
		char *start = s->buf + s->pos, *nl = memchr(start, '\n', s->len - s->pos);

		if (nl || (s->eof && s->pos < s->len)) {
			size_t n = nl ? (size_t)(nl - start) : s->len - s->pos;

			s->pos += n + (nl != NULL);
			while (n > 0 && start[n - 1] == '\r')
				n--;
			start[n] = '\0';
			s->line = start;
			s->line_no++;
			if (s->nul < s->pos) {
				ml_error_set(err, "%s:%llu: a NUL byte: not a text trace", s->name,
					     (unsigned long long)s->line_no);
				return -1;
			}
			return 1;
		}
		if (s->eof)
			return 0;
		if (read_more(s, err) < 0)
			return -1;
	}
}

int line_source_bad(const struct line_source *s, struct ml_error *err, const char *what)
{
	ml_error_set(err, "%s:%llu: %s", s->name, (unsigned long long)s->line_no, what);
	return -1;
}

void line_source_rewind(struct line_source *s)
{
	lseek(s->fd, 0, SEEK_SET);
	s->pos = s->len = 0;
	s->nul = SIZE_MAX;
	s->eof = false;
	s->line_no = 0;
	s->base = s->next_read = 0;
}

int line_source_rewindable(struct line_source *s, struct ml_error *err)
{
	FILE *copy;
	int fd;
	ssize_t got;

	if (lseek(s->fd, 0, SEEK_SET) == 0) {
		line_source_rewind(s);
		return 0;
	}
	copy = tmpfile();
	fd = copy ? dup(fileno(copy)) : -1;
	if (copy)
		fclose(copy);
	if (fd < 0) {
		ml_error_set(err, "cannot make a temporary copy of %s: %s", s->name, strerror(errno));
		return -1;
	}
	/* What was read already, then the rest. */
	for (got = (ssize_t)s->len; got != 0; got = read(s->fd, s->buf, s->cap)) {
		if (got < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (got < 0 || write(fd, s->buf, (size_t)got) != got) {
			if (!interrupt_check(err))
				ml_error_set(err, "cannot copy %s: %s", s->name, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (s->owns_fd)
		close(s->fd);
	s->fd = fd;
	s->owns_fd = true;
	line_source_rewind(s);
	return 0;
}

int line_source_block(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	char *p = s->buf + s->pos, *last = s->pos < s->len ? memrchr(p, '\n', s->len - s->pos) : NULL;

	/* No whole line left, or a NUL among them: a line at a time. */
	if (!last || s->nul <= (size_t)(last - s->buf)) {
		int got = line_source_next(s, err);

		return got <= 0 ? (got < 0 ? -1 : 1) : lp->general(s, lp, err);
	}
	while (p <= last) {
		struct trace_record rec[2];
		const char *end;
		unsigned n = lp->usual(p, &end, rec);
		char *nl;

		s->line_no++;
		if (n > 0 && *end == '\n') {
			for (unsigned i = 0; i < n; i++)
				if (lp->put(lp->ctx, &rec[i], s, err) < 0)
					return -1;
			p = (char *)end + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(last - p) + 1);
		s->pos = (size_t)(nl + 1 - s->buf);
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		s->line = p;
		if (lp->general(s, lp, err) < 0)
			return -1;
		p = nl + 1;
	}
	s->pos = (size_t)(last + 1 - s->buf);
	return 0;
}
