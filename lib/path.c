#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool path_is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_tail_holds(const char *path, const void *tail, size_t len, size_t window)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	size_t got;
	bool found = false;

	if (!fp)
		return false;
	buf = malloc(window);
	if (buf && fseek(fp, 0, SEEK_END) == 0) {
		long size = ftell(fp);

		if (size >= 0 && fseek(fp, size > (long)window ? size - (long)window : 0, SEEK_SET) == 0) {
			got = fread(buf, 1, window, fp);
			for (size_t i = 0; !found && i + len <= got; i++)
				found = memcmp(buf + i, tail, len) == 0;
		}
	}
	free(buf);
	fclose(fp);
	return found;
}

void path_first_line(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");

	buf[0] = '\0';
	if (fp) {
		if (!fgets(buf, (int)len, fp))
			buf[0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fclose(fp);
	}
}
