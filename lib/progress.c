#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

#include "error.h"

static bool enabled, notes;
static bool line_shown;
static char prefix[128];

void progress_init(bool quiet)
{
	enabled = !quiet && isatty(STDERR_FILENO);
	notes = !quiet;
}

void progress_update(const char *fmt, ...)
{
	va_list ap;

	if (!enabled)
		return;
	fputs("\r\033[K", stderr);
	fputs(prefix, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	line_shown = true;
}

void progress_done(void)
{
	if (enabled && line_shown)
		fputs("\r\033[K", stderr);
	line_shown = false;
}

void progress_note(const char *fmt, ...)
{
	va_list ap;

	if (!notes)
		return;
	progress_done();
	fprintf(stderr, "%s: ", ml_progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress_set_prefix(const char *text)
{
	snprintf(prefix, sizeof(prefix), "%s", text ? text : "");
}
