/* What the unit tests share: temporary files and directories, the tests'
 * data, files written and read back, a writer's output as a string. Each
 * helper fails the test (cmocka) when the system refuses. */
#ifndef MESILAB_UNIT_HELPERS_H
#define MESILAB_UNIT_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A new empty directory /tmp/mesilab-NAME-XXXXXX: its path, to free. */
char *unit_temp_dir(const char *name);
/* A new empty file /tmp/mesilab-NAME-XXXXXX: its path, to free. */
char *unit_temp_file(const char *name);
/* Removes DIR and everything under it (links removed, not followed). */
void unit_remove_tree(const char *dir);
/* A cmocka teardown: removes the directory *STATE that the setup made
 * with unit_temp_dir and left there, and frees its path. */
int unit_temp_dir_teardown(void **state);
/* DIR/NAME (NAME alone when DIR is NULL): a path to free. */
char *unit_path(const char *dir, const char *name);
/* Writes the texts that follow NAME, up to a NULL, into DIR/NAME,
 * replacing what it held. */
void unit_write_file(const char *dir, const char *name, ...) __attribute__((sentinel));
/* DIR/NAME's whole text, to free. */
char *unit_read_file(const char *dir, const char *name);
/* How many entries DIR holds ("." and ".." aside), or only its hidden
 * ones (temporaries left behind). */
size_t unit_entries(const char *dir, bool hidden_only);
/* NAME under the tests' data, tests/data or $TESTDATA: a path to free. */
char *unit_data_file(const char *name);

/* What a writer printed, as a string: unit_capture_begin gives the
 * stream, unit_capture_end closes it and returns the text (C's, to free). */
struct unit_capture {
	char *text;
	size_t len;
	FILE *fp;
};
FILE *unit_capture_begin(struct unit_capture *c);
char *unit_capture_end(struct unit_capture *c);

#endif
