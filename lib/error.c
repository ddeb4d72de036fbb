#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "interrupt.h"

static char progname[64] = "mesilab";

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

static void vreport(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ml_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void ml_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (interrupt_requested())
		status = interrupt_exit_status();
	exit(status); /* atexit handlers remove unfinished temporary files */
}
