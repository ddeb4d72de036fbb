#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input_file.h"
#include "interrupt.h"
#include "xalloc.h"

int input_is_within(const char *path, const char *within)
{
	char *real = realpath(path, NULL), *root = realpath(within, NULL);
	size_t n = root ? strlen(root) : 0;
	int inside = real && root &&
		     (strcmp(root, "/") == 0 || (strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0')));

	free(real);
	free(root);
	return inside;
}

/* A bound in words: "256 MiB", or bytes when it is no round size. */
static void say_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= 1 << 20 && bytes % (1 << 20) == 0)
		snprintf(buf, len, "%ju MiB", (uintmax_t)(bytes >> 20));
	else
		snprintf(buf, len, "%ju bytes", (uintmax_t)bytes);
}

/* What a file that is not regular is, for the message. */
static const char *kind_of(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" :
	       S_ISDIR(mode) ? "a directory" : S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

int input_open(const char *path, const char *within, uint64_t max_bytes, struct ml_error *err)
{
	struct stat st;
	int fd, flags;

	if (within && !input_is_within(path, within)) {
		if (access(path, F_OK) != 0)
			ml_error_set(err, "%s: %s", path, strerror(errno));
		else
			ml_error_set(err, "%s: leads outside %s (a symbolic link): not read", path, within);
		return -1;
	}
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever; O_NOCTTY: a terminal device never becomes ours. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ml_error_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		ml_error_set(err, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ml_error_set(err, "%s: %s, not a regular file: not read", path, kind_of(st.st_mode));
	} else if ((uint64_t)st.st_size > max_bytes) {
		char limit[32];

		say_size(max_bytes, limit, sizeof(limit));
		ml_error_set(err, "%s: larger than %s: not read (no such file of a run is that large)", path, limit);
	} else if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		ml_error_set(err, "%s: %s", path, strerror(errno));
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

char *input_read_all(const char *path, const char *within, uint64_t max_bytes, size_t *len,
		     struct ml_error *err)
{
	int fd = input_open(path, within, max_bytes, err);
	size_t cap = 1 << 14, n = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t got;

		if (interrupt_check(err))
			break;
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1, 1);
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ml_error_set(err, "%s: %s", path, strerror(errno));
			break;
		}
		if (got == 0) {
			close(fd);
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		/* The file may grow while it is read: the bound holds still. */
		if ((n += (size_t)got) > max_bytes) {
			char limit[32];

			say_size(max_bytes, limit, sizeof(limit));
			ml_error_set(err, "%s: grew larger than %s while read: not read", path, limit);
			break;
		}
	}
	close(fd);
	free(buf);
	return NULL;
}
