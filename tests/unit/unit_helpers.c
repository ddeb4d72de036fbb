/* The unit tests' shared helpers (unit_helpers.h). */
#include <config.h>

#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "xalloc.h"

char *unit_temp_dir(const char *name)
{
	char *dir = xasprintf("/tmp/mesilab-%s-XXXXXX", name);

	if (!mkdtemp(dir))
		fail_msg("cannot make a temporary directory %s", dir);
	return dir;
}

char *unit_temp_file(const char *name)
{
	char *path = xasprintf("/tmp/mesilab-%s-XXXXXX", name);
	int fd = mkstemp(path);

	if (fd < 0)
		fail_msg("cannot make a temporary file %s", path);
	close(fd);
	return path;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

void unit_remove_tree(const char *dir)
{
	/* Depth first, so that a directory is empty when it is removed. */
	if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fail_msg("cannot remove %s", dir);
}

int unit_temp_dir_teardown(void **state)
{
	unit_remove_tree(*state);
	free(*state);
	return 0;
}

char *unit_path(const char *dir, const char *name)
{
	return dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

void unit_write_file(const char *dir, const char *name, ...)
{
	char *path = unit_path(dir, name);
	FILE *fp = fopen(path, "w");
	const char *text;
	va_list ap;

	if (!fp)
		fail_msg("cannot write %s", path);
	va_start(ap, name);
	while ((text = va_arg(ap, const char *)))
		fputs(text, fp);
	va_end(ap);
	if (fclose(fp) != 0)
		fail_msg("cannot write %s", path);
	free(path);
}

char *unit_read_file(const char *dir, const char *name)
{
	char *path = unit_path(dir, name), *text = NULL;
	FILE *fp = fopen(path, "r");
	size_t size = 0;

	if (!fp)
		fail_msg("cannot read %s", path);
	/* An empty file gives -1 and no text: it is "". */
	if (getdelim(&text, &size, '\0', fp) < 0) {
		free(text);
		text = xstrdup("");
	}
	fclose(fp);
	free(path);
	return text;
}

size_t unit_entries(const char *dir, bool hidden_only)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		fail_msg("cannot read the directory %s", dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n += !hidden_only || e->d_name[0] == '.';
	closedir(d);
	return n;
}

char *unit_data_file(const char *name)
{
	const char *dir = getenv("TESTDATA");

	return xasprintf("%s/%s", dir && *dir ? dir : MESILAB_TESTDATA, name);
}

FILE *unit_capture_begin(struct unit_capture *c)
{
	c->text = NULL;
	c->fp = open_memstream(&c->text, &c->len);
	assert_non_null(c->fp);
	return c->fp;
}

char *unit_capture_end(struct unit_capture *c)
{
	assert_int_equal(fclose(c->fp), 0);
	return c->text;
}
