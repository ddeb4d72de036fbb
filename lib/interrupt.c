#include <config.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "error.h"
#include "interrupt.h"

static volatile sig_atomic_t requested;

static void on_signal(int sig)
{
	if (requested) {
		atomic_file_unlink_pending();
		_exit(ML_EXIT_INTERRUPTED);
	}
	requested = sig;
}

void interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool interrupt_requested(void)
{
	return requested != 0;
}

void interrupt_request(void)
{
	requested = SIGINT;
}

void interrupt_reset(void)
{
	requested = 0;
}
