#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"

struct atomic_file {
	FILE *fp;
	char *path; /* the final name: a symbolic link's target */
	char *tmp;  /* NULL when written through (a device, a FIFO) */
	struct atomic_file *next;
};

/* Open temporaries, so an exit or a second Ctrl-C leaves none behind. */
static struct atomic_file *pending;
static int cleanup_registered;

static void unlink_pending_at_exit(void)
{
	atomic_file_unlink_pending();
}

void atomic_file_unlink_pending(void)
{
	for (struct atomic_file *f = pending; f; f = f->next)
		if (f->tmp)
			unlink(f->tmp);
}

static void forget(struct atomic_file *f)
{
	for (struct atomic_file **p = &pending; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
}

static void destroy(struct atomic_file *f)
{
	forget(f);
	free(f->path);
	free(f->tmp);
	free(f);
}

/* "dir/name" -> "dir/.name.XXXXXX": hidden, same directory, so the rename
 * stays within one file system and is atomic. */
static char *temp_name_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	size_t len = strlen(path) + sizeof(".") + sizeof(".XXXXXX");
	char *tmp = malloc(len);

	if (tmp) {
		memcpy(tmp, path, dirlen);
		snprintf(tmp + dirlen, len - dirlen, ".%s.XXXXXX", base);
	}
	return tmp;
}

/* What PATH names once symbolic links are followed, as other Unix tools
 * follow them when they write: the link stays, its target is written
 * (created, when the link dangles). NULL with ERR on a loop. */
static char *follow_links(const char *path, struct ml_error *err)
{
	char *current = strdup(path);

	for (int hops = 0; current && hops < 40; hops++) {
		struct stat st;
		char target[PATH_MAX];
		ssize_t n;
		const char *slash;
		char *next;

		if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
			return current;
		n = readlink(current, target, sizeof(target) - 1);
		if (n < 0)
			return current;
		target[n] = '\0';
		slash = strrchr(current, '/');
		if (target[0] == '/' || !slash) {
			next = strdup(target);
		} else if ((next = malloc((size_t)(slash - current) + 2 + (size_t)n))) {
			memcpy(next, current, (size_t)(slash - current) + 1);
			memcpy(next + (slash - current) + 1, target, (size_t)n + 1);
		}
		free(current);
		current = next;
	}
	if (current)
		ml_error_set(err, "%s: too many levels of symbolic links", path);
	else
		ml_error_set(err, "%s: out of memory", path);
	free(current);
	return NULL;
}

/* An output that exists and is not a regular file (/dev/null, /dev/stdout,
 * a FIFO, a terminal) is written through, as a shell's redirection would:
 * replacing it by a renamed regular file would destroy the device node.
 * Opening a FIFO waits for its reader, as the shell does. */
static int open_through(struct atomic_file *f, struct ml_error *err)
{
	int fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
		ml_error_set(err, "%s: cannot open: %s", f->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

static int open_temporary(struct atomic_file *f, struct ml_error *err)
{
	int fd;

	if (!(f->tmp = temp_name_for(f->path))) {
		ml_error_set(err, "%s: out of memory", f->path);
		return -1;
	}
	fd = mkstemp(f->tmp);
	if (fd < 0) {
		ml_error_set(err, "%s: cannot create: %s", f->path, strerror(errno));
		return -1;
	}
	/* mkstemp makes 0600 files; results are meant to be shared. */
	fchmod(fd, 0644);
	f->fp = fdopen(fd, "w");
	if (!f->fp) {
		ml_error_set(err, "%s: cannot open: %s", f->path, strerror(errno));
		close(fd);
		unlink(f->tmp);
		return -1;
	}
	return 0;
}

int atomic_file_unlink_special(const char *path, struct ml_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || unlink(path) == 0)
		return 0;
	ml_error_set(err, "%s: cannot replace it: %s", path, strerror(errno));
	return -1;
}

struct atomic_file *atomic_file_open(const char *path, struct ml_error *err)
{
	struct atomic_file *f = calloc(1, sizeof(*f));
	struct stat st;
	bool exists = stat(path, &st) == 0;

	if (!f) {
		ml_error_set(err, "%s: out of memory", path);
		return NULL;
	}
	if (exists && S_ISDIR(st.st_mode)) {
		ml_error_set(err, "%s: is a directory", path);
		goto fail;
	}
	/* A device or FIFO is opened by the name given: the kernel follows
	 * links such as /dev/stdout -> /proc/self/fd/1 -> pipe:[N], which no
	 * path spells. A regular file, or none yet, is replaced or created
	 * at the end of its links. */
	if (exists && !S_ISREG(st.st_mode) ? !(f->path = strdup(path)) || open_through(f, err) < 0
					   : !(f->path = follow_links(path, err)) || open_temporary(f, err) < 0)
		goto fail;
	if (!cleanup_registered) {
		atexit(unlink_pending_at_exit);
		cleanup_registered = 1;
	}
	f->next = pending;
	pending = f;
	return f;
fail:
	free(f->path);
	free(f->tmp);
	free(f);
	return NULL;
}

FILE *atomic_file_stream(struct atomic_file *f)
{
	return f->fp;
}

const char *atomic_file_hand_over(struct atomic_file *f)
{
	if (f->fp) {
		fclose(f->fp);
		f->fp = NULL;
	}
	return f->tmp ? f->tmp : f->path;
}

/* Makes sure the file's data reached the disk before it gets its name;
 * a file written through is only flushed (a device or a pipe has no disk
 * to sync). */
static int sync_and_close(struct atomic_file *f)
{
	int failed;
	int fd;

	if (f->fp && !f->tmp) {
		failed = ferror(f->fp) || fflush(f->fp) != 0;
		return fclose(f->fp) != 0 || failed ? -1 : 0;
	}
	if (!f->tmp)
		return 0;
	if (f->fp) {
		failed = ferror(f->fp) || fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0;
		return fclose(f->fp) != 0 || failed ? -1 : 0;
	}
	fd = open(f->tmp, O_RDONLY);
	if (fd < 0)
		return -1;
	failed = fsync(fd) != 0;
	return close(fd) != 0 || failed ? -1 : 0;
}

int atomic_file_commit(struct atomic_file *f, struct ml_error *err)
{
	int saved = 0;
	int failed = sync_and_close(f) != 0;

	if (failed)
		saved = errno;
	if (!failed && f->tmp && rename(f->tmp, f->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		ml_error_set(err, "%s: cannot write: %s", f->path,
			     saved ? strerror(saved) : "I/O error");
		if (f->tmp)
			unlink(f->tmp);
	}
	destroy(f);
	return failed ? -1 : 0;
}

void atomic_file_abort(struct atomic_file *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	destroy(f);
}
