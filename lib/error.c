#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "escape_terminal.h"

static char progname[64] = "mesilab";
static int (*die_status)(int status);

void ml_error_set(struct ml_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void ml_set_progname(const char *name)
{
	snprintf(progname, sizeof(progname), "%s", name);
}

const char *ml_progname(void)
{
	return progname;
}

/* A message holds paths and cells from files: its control bytes are shown
 * as '?', so that a file cannot send the terminal escape sequences, and
 * it stays one line. The buffer is far longer than an ml_error. */
static void vreport(const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: ", progname);
	escape_terminal(stderr, msg, false);
	fputc('\n', stderr);
}

void ml_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void ml_set_die_status(int (*status)(int status))
{
	die_status = status;
}

void ml_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (die_status)
		status = die_status(status);
	exit(status); /* atexit handlers remove unfinished temporary files */
}
