#include <config.h>

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "git-revision.h"
#include "sysinfo.h"

#if defined(__clang__)
#define COMPILER_NAME "clang " __clang_version__
#elif defined(__GNUC__)
#define COMPILER_NAME "gcc " __VERSION__
#else
#define COMPILER_NAME "unknown"
#endif

void sysinfo_read(struct sysinfo *info)
{
	struct utsname u;

	memset(info, 0, sizeof(*info));
	if (gethostname(info->hostname, sizeof(info->hostname) - 1) != 0)
		snprintf(info->hostname, sizeof(info->hostname), "unknown");
	if (uname(&u) == 0) {
		snprintf(info->kernel, sizeof(info->kernel), "%s %s %s", u.sysname, u.release, u.version);
		snprintf(info->machine, sizeof(info->machine), "%s", u.machine);
	}
	info->compiler = COMPILER_NAME;
	info->cflags = MESILAB_BUILD_CFLAGS;
	info->version = PACKAGE_VERSION;
	info->git_revision = MESILAB_GIT_REV;
}

void sysinfo_safe_name(const char *host, char *buf, size_t len)
{
	size_t i;

	for (i = 0; host[i] && i + 1 < len; i++) {
		char c = host[i];
		int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		buf[i] = safe ? c : '_';
	}
	if (len)
		buf[i] = '\0';
	if (len > 1 && (i == 0 || buf[0] == '.'))
		buf[0] = '_'; /* never empty, never hidden */
	if (len > 1 && i == 0)
		buf[1] = '\0';
}

unsigned sysinfo_usable_pus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0 ? (unsigned)CPU_COUNT(&set) : 1;
}
