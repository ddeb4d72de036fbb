#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_input.h"

int fuzz_input_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz-input", 0);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET) != 0) {
		perror("fuzz input");
		exit(3);
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

char *fuzz_input_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		exit(3);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
