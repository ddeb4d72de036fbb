/* watch: the stopwatch of scripts/tracer-kernels.sh, compiled by it (not
 * by make).
 *
 *   watch [-d DIR] [-i MS] CMD [ARG...]
 *
 * Runs CMD with its standard output read through a pipe, and prints two
 * lines: "SECONDS EXIT_SECONDS PEAK_BYTES", then the last line CMD
 * printed. SECONDS runs from just before CMD is started to the moment it
 * is reaped; EXIT_SECONDS from the arrival of CMD's last output to that
 * moment ("-" when it printed nothing): a program that prints its result
 * and flushes it as its last act spends EXIT_SECONDS in its exit (a
 * tracer's merge). The end is seen through SIGCHLD and a self-pipe, not
 * by polling, so a 20 ms program is timed to the microsecond.
 *
 * With -d, PEAK_BYTES is the most disk space (allocated blocks) that DIR
 * held during the run: every file under DIR, hidden ones included, and
 * every file under DIR that CMD or its descendants hold open, which is how
 * a spool created with O_TMPFILE or unlinked after its creation is seen;
 * each inode counted once, polled every MS milliseconds (default 5) and
 * once more at the end. Without -d it is 0.
 *
 * SIGINT, SIGTERM or SIGHUP is passed on to CMD, and watch waits for it
 * to end (its caller removes DIR after it).
 *
 * Exit status: CMD's, 128 + the signal that ended it, or 127 when it
 * could not be started. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_INODES = 4096, MAX_DEPTH = 8, MAX_PROCS = 64, MAX_LINE = 512 };

static int wake_pipe[2];
static volatile sig_atomic_t stop_signal;

/* SIGCHLD, or a signal to pass on: the main loop wakes up. */
static void on_signal(int sig)
{
	int saved = errno;
	char byte = 0;

	if (sig != SIGCHLD)
		stop_signal = sig;
	if (write(wake_pipe[1], &byte, 1) < 0) {
		/* The pipe is full: a wake-up is already waiting. */
	}
	errno = saved;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One poll's sum of allocated bytes, each inode once (a file both in the
 * directory and open counts once). */
struct tally {
	struct {
		dev_t dev;
		ino_t ino;
	} seen[MAX_INODES];
	size_t nseen;
	unsigned long long bytes;
};

static void count(struct tally *t, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return;
	for (size_t i = 0; i < t->nseen; i++)
		if (t->seen[i].dev == st->st_dev && t->seen[i].ino == st->st_ino)
			return;
	if (t->nseen < MAX_INODES) {
		t->seen[t->nseen].dev = st->st_dev;
		t->seen[t->nseen].ino = st->st_ino;
		t->nseen++;
	}
	t->bytes += (unsigned long long)st->st_blocks * 512;
}

/* The files under the directory FD. Files come and go while it is read
 * (a spool renamed into the trace): one that vanished is skipped. */
static void count_dir(struct tally *t, int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;

	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

			if (sub >= 0)
				count_dir(t, sub, depth + 1);
		} else {
			count(t, &st);
		}
	}
	closedir(d);
}

/* The files under PREFIX (the directory's real path and a slash) that
 * process PID holds open, then those of its children, and so on: an
 * unlinked file's link reads "PREFIX#123 (deleted)", and stat through the
 * link reaches its inode all the same. */
static void count_open(struct tally *t, pid_t pid, const char *prefix, int *procs)
{
	char path[64], target[PATH_MAX];
	struct dirent *e;
	DIR *d;
	FILE *kids;
	long kid;

	if (++*procs > MAX_PROCS)
		return;
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			struct stat st;
			ssize_t n;

			if (e->d_name[0] == '.')
				continue;
			n = readlinkat(dirfd(d), e->d_name, target, sizeof target - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
			if (strncmp(target, prefix, strlen(prefix)) == 0 && fstatat(dirfd(d), e->d_name, &st, 0) == 0)
				count(t, &st);
		}
		closedir(d);
	}
	/* The main thread's children: a process's own, whichever thread
	 * forked them, are listed by that thread; the kernels fork none, a
	 * runtime that forks a helper does it from the main thread or at
	 * exit. */
	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)pid, (long)pid);
	kids = fopen(path, "r");
	if (!kids)
		return;
	while (fscanf(kids, "%ld", &kid) == 1)
		count_open(t, (pid_t)kid, prefix, procs);
	fclose(kids);
}

static unsigned long long disk_bytes(const char *dir, const char *prefix, pid_t pid, bool alive)
{
	static struct tally t;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int procs = 0;

	t.nseen = 0;
	t.bytes = 0;
	if (fd >= 0)
		count_dir(&t, fd, 0);
	if (alive)
		count_open(&t, pid, prefix, &procs);
	return t.bytes;
}

/* The last line of the output so far: the line being read and the last
 * one completed. */
struct lines {
	char cur[MAX_LINE], last[MAX_LINE];
	size_t len;
};

static void take(struct lines *l, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (l->len > 0) {
				memcpy(l->last, l->cur, l->len);
				l->last[l->len] = '\0';
			}
			l->len = 0;
		} else if (l->len < MAX_LINE - 1) {
			l->cur[l->len++] = buf[i];
		}
	}
}

static int usage(void)
{
	fputs("usage: watch [-d DIR] [-i MILLISECONDS] CMD [ARG...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	char prefix[PATH_MAX + 1] = "";
	long interval = 5;
	int out[2], opt, status = 0;
	struct sigaction sa;
	struct lines lines = { .len = 0 };
	unsigned long long peak = 0;
	double start, end = 0, last_output = -1;
	bool reaped = false;
	int passed = 0;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+d:i:")) != -1) {
		char *rest;

		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'i':
			errno = 0;
			interval = strtol(optarg, &rest, 10);
			if (errno || rest == optarg || *rest || interval < 1 || interval > 1000)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (dir) {
		char real[PATH_MAX];

		if (!realpath(dir, real)) {
			fprintf(stderr, "watch: %s: %s\n", dir, strerror(errno));
			return 2;
		}
		snprintf(prefix, sizeof prefix, "%s/", real);
	}
	if (pipe(out) < 0 || pipe(wake_pipe) < 0) {
		perror("watch: pipe");
		return 2;
	}
	fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	start = now();
	pid = fork();
	if (pid < 0) {
		perror("watch: fork");
		return 2;
	}
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		close(wake_pipe[0]);
		close(wake_pipe[1]);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "watch: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	close(out[1]);

	while (!reaped) {
		struct pollfd p[2] = { { .fd = out[0], .events = POLLIN }, { .fd = wake_pipe[0], .events = POLLIN } };
		int n = poll(p, 2, dir ? (int)interval : -1);

		if (n < 0 && errno != EINTR) {
			perror("watch: poll");
			kill(pid, SIGKILL);
			return 2;
		}
		if (n > 0 && p[0].revents) {
			char buf[4096];
			ssize_t got = read(out[0], buf, sizeof buf);

			if (got > 0) {
				last_output = now();
				take(&lines, buf, (size_t)got);
			} else if (got == 0 || errno != EINTR) {
				/* End of the output (or a pipe that cannot be
				 * read): the exit is still awaited. */
				close(out[0]);
				out[0] = -1;
			}
		}
		if (n > 0 && p[1].revents) {
			char drain[64];

			while (read(wake_pipe[0], drain, sizeof drain) > 0)
				continue;
		}
		if (stop_signal && stop_signal != passed) {
			passed = stop_signal;
			kill(pid, passed);
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			end = now();
			reaped = true;
		}
		if (dir) {
			unsigned long long bytes = disk_bytes(dir, prefix, pid, !reaped);

			if (bytes > peak)
				peak = bytes;
		}
	}
	/* What the program wrote just before it ended and was not read yet
	 * (a descendant keeping the pipe open is not waited for). */
	if (out[0] >= 0) {
		char buf[4096];
		ssize_t got;

		fcntl(out[0], F_SETFL, O_NONBLOCK);
		while ((got = read(out[0], buf, sizeof buf)) > 0) {
			last_output = end;
			take(&lines, buf, (size_t)got);
		}
	}
	if (lines.len > 0)
		take(&lines, "\n", 1);
	if (stop_signal)
		return 128 + stop_signal;

	if (last_output >= 0)
		printf("%.6f %.6f %llu\n%s\n", end - start, end - last_output, peak, lines.last);
	else
		printf("%.6f - %llu\n\n", end - start, peak);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("watch: standard output");
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
