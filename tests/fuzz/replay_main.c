/* Without a fuzzing engine (an ordinary build), a fuzz target replays the
 * inputs it is given, files or directories of files, as libFuzzer does
 * with the same arguments: how 'make check' keeps every input that ever
 * found a bug as a regression test. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_input.h"

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!fp) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				exit(3);
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, inputs = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *dir;
		struct dirent *e;

		if (argv[i][0] == '-')
			continue; /* libFuzzer's options, e.g. -runs=0 */
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) && (dir = opendir(argv[i]))) {
			while ((e = readdir(dir))) {
				char *path;

				if (e->d_name[0] == '.')
					continue;
				path = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
				sprintf(path, "%s/%s", argv[i], e->d_name);
				failed |= replay_file(path) < 0;
				inputs++;
				free(path);
			}
			closedir(dir);
		} else {
			failed |= replay_file(argv[i]) < 0;
			inputs++;
		}
	}
	printf("%d inputs replayed\n", inputs);
	return failed;
}
