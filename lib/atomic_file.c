#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"

struct atomic_file {
	FILE *fp;
	char *path;
	char *tmp;
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

struct atomic_file *atomic_file_open(const char *path, struct ml_error *err)
{
	struct atomic_file *f = calloc(1, sizeof(*f));
	int fd;

	if (!f || !(f->path = strdup(path)) || !(f->tmp = temp_name_for(path))) {
		ml_error_set(err, "%s: out of memory", path);
		goto fail;
	}
	fd = mkstemp(f->tmp);
	if (fd < 0) {
		ml_error_set(err, "%s: cannot create: %s", path, strerror(errno));
		goto fail;
	}
	/* mkstemp makes 0600 files; results are meant to be shared. */
	fchmod(fd, 0644);
	f->fp = fdopen(fd, "w");
	if (!f->fp) {
		ml_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		close(fd);
		unlink(f->tmp);
		goto fail;
	}
	if (!cleanup_registered) {
		atexit(unlink_pending_at_exit);
		cleanup_registered = 1;
	}
	f->next = pending;
	pending = f;
	return f;
fail:
	if (f) {
		free(f->path);
		free(f->tmp);
		free(f);
	}
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
	return f->tmp;
}

/* Makes sure the file's data reached the disk before it gets its name. */
static int sync_and_close(struct atomic_file *f)
{
	int failed;
	int fd;

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
	if (!failed && rename(f->tmp, f->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		ml_error_set(err, "%s: cannot write: %s", f->path,
			     saved ? strerror(saved) : "I/O error");
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
	unlink(f->tmp);
	destroy(f);
}
