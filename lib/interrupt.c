#include <config.h>

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "interrupt.h"

/* The signals that stop a command, with their names for messages. */
static const struct {
	int number;
	const char *name;
} stopping_signals[] = {
	{ SIGINT, "SIGINT" },
	{ SIGTERM, "SIGTERM" },
	{ SIGHUP, "SIGHUP" },
};

#define NSTOPPING (sizeof(stopping_signals) / sizeof(stopping_signals[0]))

/* A second signal this soon after the first is the same request delivered
 * twice (timeout(1) signals the command and then its whole process group;
 * a terminal's Ctrl-C reaches every process of the job), not a user
 * insisting. */
#define REPEAT_WINDOW_NS 500000000LL

static volatile sig_atomic_t requested;
static struct timespec first_at;

static long long ns_since(const struct timespec *then)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now); /* async-signal-safe */
	return (long long)(now.tv_sec - then->tv_sec) * 1000000000LL + (now.tv_nsec - then->tv_nsec);
}

static void on_signal(int sig)
{
	if (requested) {
		if (ns_since(&first_at) < REPEAT_WINDOW_NS)
			return;
		atomic_file_unlink_pending();
		_exit(128 + sig);
	}
	clock_gettime(CLOCK_MONOTONIC, &first_at);
	requested = sig;
}

/* A closed pipe ('mesilab trace cat x | head') ends the command as it
 * ends any filter, silently, but not before its temporaries are gone. */
static void on_broken_pipe(int sig)
{
	atomic_file_unlink_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A command that dies once a stop was asked exits as the stop's. */
static int die_status(int status)
{
	return requested ? interrupt_exit_status() : status;
}

void interrupt_install(void)
{
	struct sigaction sa;

	ml_set_die_status(die_status);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSTOPPING; i++)
		sigaction(stopping_signals[i].number, &sa, NULL);
	sa.sa_handler = on_broken_pipe;
	sigaction(SIGPIPE, &sa, NULL);
}

bool interrupt_requested(void)
{
	return requested != 0;
}

int interrupt_exit_status(void)
{
	return 128 + requested;
}

const char *interrupt_signal_name(void)
{
	for (size_t i = 0; i < NSTOPPING; i++)
		if (stopping_signals[i].number == requested)
			return stopping_signals[i].name;
	return NULL;
}

bool interrupt_check(struct ml_error *err)
{
	const char *name = interrupt_signal_name();

	if (!requested)
		return false;
	ml_error_set(err, "interrupted by %s", name ? name : "a signal");
	return true;
}

void interrupt_request(void)
{
	ml_set_die_status(die_status);
	requested = SIGINT;
}

void interrupt_reset(void)
{
	requested = 0;
}
