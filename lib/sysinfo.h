/* Facts about the host and the build that every run records. */
#ifndef MESILAB_SYSINFO_H
#define MESILAB_SYSINFO_H

#include <stddef.h>

struct sysinfo {
	char hostname[256];
	char kernel[256];  /* "Linux 6.1.0-18-amd64 #1 SMP ..." */
	char machine[72];  /* "x86_64" */
	const char *compiler;
	const char *cflags;
	const char *version;
	const char *git_revision;
};

void sysinfo_read(struct sysinfo *info);

/* HOST made safe for a file name: anything but [A-Za-z0-9._-] becomes '_'. */
void sysinfo_safe_name(const char *host, char *buf, size_t len);
/* The PUs this process may run on (its affinity mask: taskset, cgroups,
 * a Slurm allocation), at least 1: how many workers to start. */
unsigned sysinfo_usable_pus(void);

#endif
