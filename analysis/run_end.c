#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "run_end.h"

/* Whether process PID of this host is gone. */
static bool process_gone(double pid)
{
	return pid >= 1 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

bool run_end_complete(const struct json_value *meta, char *buf, size_t len)
{
	return run_end_complete_as(meta, json_lookup_string(meta, "status"), buf, len);
}

bool run_end_complete_as(const struct json_value *meta, const char *status, char *buf, size_t len)
{
	const char *host = json_lookup_string(meta, "host.hostname");
	const struct json_value *pid = json_lookup(meta, "pid");
	char here[256] = "";

	if (status && strcmp(status, "complete") == 0)
		return true;
	gethostname(here, sizeof(here) - 1);
	if (!status) {
		snprintf(buf, len, "its meta.json has no status: it may not be a whole run");
	} else if (strcmp(status, "interrupted") == 0) {
		snprintf(buf, len, "it was interrupted (stopped by a signal): what completed is kept, the rest is missing");
	} else if (strcmp(status, "failed") == 0) {
		snprintf(buf, len, "a stage failed: see what could not be measured, and why");
	} else if (strcmp(status, "running") != 0) {
		snprintf(buf, len, "its status is '%s'", status);
	} else if (host && strcmp(host, here) == 0 && pid && pid->type == JSON_NUMBER && process_gone(pid->number)) {
		snprintf(buf, len,
			 "it was killed: meta.json still says running and its process (pid %.0f on this host) is gone; "
			 "the files it lists are whole, the stages after them are missing",
			 pid->number);
	} else {
		snprintf(buf, len,
			 "it has not finished: meta.json still says running (still running on %s, or killed there); "
			 "the files it lists are whole, the stages after them are missing",
			 host ? host : "its host");
	}
	return false;
}
