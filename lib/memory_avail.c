#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "memory_avail.h"

static uint64_t read_number(const char *path)
{
	FILE *fp = fopen(path, "r");
	unsigned long long v;
	int ok;

	if (!fp)
		return UINT64_MAX;
	ok = fscanf(fp, "%llu", &v) == 1; /* "max" (no limit) reads as no number */
	fclose(fp);
	return ok ? (uint64_t)v : UINT64_MAX;
}

/* The /proc/meminfo field FORMAT ("MemAvailable: %llu kB") in bytes, or
 * UINT64_MAX. */
static uint64_t meminfo(const char *format)
{
	FILE *fp = fopen("/proc/meminfo", "r");
	char line[128];
	unsigned long long kib;
	uint64_t bytes = UINT64_MAX;

	if (!fp)
		return UINT64_MAX;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, format, &kib) == 1)
			bytes = (uint64_t)kib * 1024;
	fclose(fp);
	return bytes;
}

static uint64_t mem_available(void)
{
	return meminfo("MemAvailable: %llu kB");
}

uint64_t memory_total(void)
{
	return meminfo("MemTotal: %llu kB");
}

/* LIMIT less USAGE in DIR (cgroup v2 names, or v1's), UINT64_MAX when DIR
 * has no limit. */
static uint64_t cgroup_room(const char *dir, const char *limit_name, const char *usage_name)
{
	char path[512];
	uint64_t limit, usage;

	snprintf(path, sizeof(path), "%s/%s", dir, limit_name);
	limit = read_number(path);
	if (limit == UINT64_MAX || limit >= (1ull << 62))
		return UINT64_MAX;
	snprintf(path, sizeof(path), "%s/%s", dir, usage_name);
	usage = read_number(path);
	return usage == UINT64_MAX || usage >= limit ? 0 : limit - usage;
}

/* The room the process's memory cgroup leaves: its directory is the path
 * /proc/self/cgroup gives, under the controller's mount, or the mount
 * itself inside a container's own cgroup namespace. */
static uint64_t cgroup_available(void)
{
	FILE *fp = fopen("/proc/self/cgroup", "r");
	char line[512], dir[640];
	uint64_t best = UINT64_MAX;

	if (!fp)
		return UINT64_MAX;
	while (fgets(line, sizeof(line), fp)) {
		char *path = strrchr(line, ':');
		bool v2 = strncmp(line, "0::", 3) == 0;
		bool v1 = strstr(line, ":memory:") != NULL;
		uint64_t room;

		if (!path || (!v1 && !v2))
			continue;
		path[strcspn(path, "\n")] = '\0';
		path++;
		for (int where = 0; where < 2; where++) {
			snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s%s", v1 ? "/memory" : "", where ? "" : path);
			room = v1 ? cgroup_room(dir, "memory.limit_in_bytes", "memory.usage_in_bytes")
				  : cgroup_room(dir, "memory.max", "memory.current");
			best = room < best ? room : best;
		}
	}
	fclose(fp);
	return best;
}

uint64_t memory_available(const char **why)
{
	uint64_t meminfo = mem_available(), cgroup = cgroup_available();

	if (why)
		*why = cgroup < meminfo ? "the cgroup's memory limit" : "MemAvailable";
	return cgroup < meminfo ? cgroup : meminfo;
}
