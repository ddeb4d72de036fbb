/* What is at a path in the file system. */
#ifndef MESILAB_PATH_H
#define MESILAB_PATH_H

#include <stdbool.h>

bool path_exists(const char *path);
bool path_is_directory(const char *path);

#endif
