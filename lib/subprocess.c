#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "subprocess.h"

extern char **environ;

/* The exit status of PID, as a shell gives it. */
static int wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int subprocess_run(char *const argv[])
{
	return subprocess_run_logged(argv, "/dev/null");
}

int subprocess_run_logged(char *const argv[], const char *log)
{
	return subprocess_run_logged_in(argv, NULL, log);
}

int subprocess_run_logged_in(char *const argv[], const char *dir, const char *log)
{
	posix_spawn_file_actions_t actions;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&actions, 1, 2);
	/* glibc 2.29 and musl 1.1.24 have it; the child changes directory
	 * after opening LOG and before it is executed. */
	if (dir)
		posix_spawn_file_actions_addchdir_np(&actions, dir);
	rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return wait_for(pid);
}

int subprocess_run_output(char *const argv[], char *out, size_t len)
{
	posix_spawn_file_actions_t actions;
	int fds[2], rc;
	size_t used = 0;
	pid_t pid;
	ssize_t got;

	if (pipe(fds) < 0)
		return -1;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
	posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
	posix_spawn_file_actions_addclose(&actions, fds[0]);
	rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		errno = rc;
		return -1;
	}
	/* Read to the end, what does not fit dropped: the helper must not
	 * block on a full pipe. */
	for (;;) {
		char sink[256];
		bool room = used + 1 < len;

		got = room ? read(fds[0], out + used, len - 1 - used) : read(fds[0], sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		used += room ? (size_t)got : 0;
	}
	close(fds[0]);
	if (len)
		out[used < len ? used : len - 1] = '\0';
	return wait_for(pid);
}
