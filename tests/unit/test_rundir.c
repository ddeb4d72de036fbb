#include <config.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic_file.h"
#include "interrupt.h"
#include "rundir.h"
#include "unit_helpers.h"
#include "xalloc.h"

static char *base; /* a temporary directory, the results' */

static int make_base(void **state)
{
	*state = base = unit_temp_dir("rundir");
	setenv("MESILAB_RESULTS_DIR", base, 1);
	interrupt_reset();
	return 0;
}

static struct table *one_row_table(void)
{
	static const struct table_column col[] = { { "value_ns", "value", TABLE_RIGHT } };
	struct table *t = table_new(col, 1);

	table_add_row(t);
	table_set(t, 0, "1.5", NULL);
	return t;
}

static void test_new_directory_is_never_reused(void **state)
{
	char *argv[] = { "mesilab", "topo" };
	struct ml_error err;
	struct rundir *a = rundir_create(NULL, 2, argv, &err);
	struct rundir *b = rundir_create(NULL, 2, argv, &err);
	regex_t re;
	char *pattern = xasprintf("^%s/[0-9]{8}-[0-9]{6}-[A-Za-z0-9._-]+$", base);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(rundir_path(a), rundir_path(b));
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, rundir_path(a), 0, NULL, 0), 0);
	regfree(&re);
	free(pattern);
	assert_int_equal(rundir_finish(a, RUN_COMPLETE, &err), 0);
	assert_int_equal(rundir_finish(b, RUN_COMPLETE, &err), 0);
}

static void test_meta_says_running_until_finished(void **state)
{
	char *argv[] = { "mesilab", "run" };
	struct ml_error err;
	struct rundir *r = rundir_create(NULL, 2, argv, &err);
	char *dir, *meta;
	struct table *t = one_row_table();

	(void)state;
	assert_non_null(r);
	dir = xstrdup(rundir_path(r));
	meta = unit_read_file(dir, "meta.json");
	assert_non_null(strstr(meta, "\"status\": \"running\""));
	assert_non_null(strstr(meta, "\"end_time\": null"));
	assert_non_null(strstr(meta, "\"schema_version\": 2"));
	free(meta);

	assert_int_equal(rundir_save_table(r, "values.csv", t, &err), 0);
	rundir_set(r, "profile", "quick");
	rundir_unavailable(r, "hardware counters", "no PMU");
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	meta = unit_read_file(dir, "meta.json");
	assert_non_null(strstr(meta, "\"status\": \"complete\""));
	assert_null(strstr(meta, "\"end_time\": null"));
	assert_non_null(strstr(meta, "\"values.csv\""));
	assert_non_null(strstr(meta, "\"what\": \"hardware counters\""));
	assert_non_null(strstr(meta, "\"why\": \"no PMU\""));
	assert_non_null(strstr(meta, "\"value\": \"quick\""));
	assert_int_equal(unit_entries(dir, true), 0);
	free(meta);
	free(dir);
	table_free(t);
}

static void test_interrupted_run_keeps_what_completed(void **state)
{
	char *argv[] = { "mesilab", "run" };
	struct ml_error err;
	struct rundir *r = rundir_create(NULL, 2, argv, &err);
	struct table *t = one_row_table();
	char *dir, *meta, *csv, *path;

	(void)state;
	dir = xstrdup(rundir_path(r));
	assert_int_equal(rundir_save_table(r, "done.csv", t, &err), 0);
	interrupt_request(); /* as Ctrl-C would */
	assert_true(interrupt_requested());
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	meta = unit_read_file(dir, "meta.json");
	assert_non_null(strstr(meta, "\"status\": \"interrupted\""));
	path = xasprintf("%s/done.csv", dir);
	csv = unit_read_file(NULL, path);
	assert_string_equal(csv, "value_ns\n1.5\n");
	interrupt_reset();
	free(path);
	free(csv);
	free(meta);
	free(dir);
	table_free(t);
}

static void test_odd_names_are_escaped(void **state)
{
	char *argv[] = { "mesilab", "topo", "--synthetic", "pack:2 \"quoted\"\tand\\slash,\ncomma" };
	struct ml_error err;
	char *dir = xasprintf("%s/named \"dir\"", base);
	struct rundir *r = rundir_create(dir, 4, argv, &err);
	char *meta;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rundir_finish(r, RUN_FAILED, &err), 0);
	meta = unit_read_file(dir, "meta.json");
	assert_non_null(strstr(meta, "\"command_line\": \"mesilab topo --synthetic pack:2 "
				     "\\\"quoted\\\"\\tand\\\\slash,\\ncomma\""));
	assert_non_null(strstr(meta, "\"status\": \"failed\""));
	free(meta);
	free(dir);
}

static void test_explicit_directory_is_created(void **state)
{
	char *argv[] = { "mesilab" };
	struct ml_error err;
	char *dir = xasprintf("%s/a/b/c", base);
	struct rundir *r = rundir_create(dir, 1, argv, &err);

	(void)state;
	assert_non_null(r);
	assert_string_equal(rundir_path(r), dir);
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	assert_int_equal(access(dir, R_OK | X_OK), 0);
	free(dir);
}

static void test_directory_that_is_a_file(void **state)
{
	char *argv[] = { "mesilab" };
	struct ml_error err;
	char *file = xasprintf("%s/plain-file", base);
	FILE *fp = fopen(file, "w");

	(void)state;
	fclose(fp);
	assert_null(rundir_create(file, 1, argv, &err));
	assert_non_null(strstr(err.msg, "plain-file"));
	free(file);
}

static void test_atomic_file_abort_leaves_nothing(void **state)
{
	struct ml_error err;
	char *path = xasprintf("%s/half.csv", base);
	struct atomic_file *f = atomic_file_open(path, &err);

	(void)state;
	assert_non_null(f);
	fputs("half of a table", atomic_file_stream(f));
	assert_int_equal(unit_entries(base, true), 1); /* the temporary exists meanwhile */
	assert_int_equal(access(path, F_OK), -1);
	atomic_file_abort(f);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(unit_entries(base, true), 0);
	free(path);
}

static void test_atomic_file_replaces_whole(void **state)
{
	struct ml_error err;
	char *path = xasprintf("%s/whole.txt", base);
	struct atomic_file *f = atomic_file_open(path, &err);
	char *text;

	(void)state;
	fputs("old\n", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	f = atomic_file_open(path, &err);
	fputs("new", atomic_file_stream(f));
	text = unit_read_file(NULL, path);
	assert_string_equal(text, "old\n"); /* readers see the old file until the commit */
	free(text);
	assert_int_equal(atomic_file_commit(f, &err), 0);
	text = unit_read_file(NULL, path);
	assert_string_equal(text, "new");
	free(text);
	assert_int_equal(unit_entries(base, true), 0);
	free(path);
}

static void test_pending_temporaries_are_removed(void **state)
{
	struct ml_error err;
	char *path = xasprintf("%s/pending.csv", base);
	struct atomic_file *f = atomic_file_open(path, &err);

	(void)state;
	assert_int_equal(unit_entries(base, true), 1);
	atomic_file_unlink_pending(); /* what exit and a second Ctrl-C do */
	assert_int_equal(unit_entries(base, true), 0);
	assert_int_equal(atomic_file_commit(f, &err), -1);
	assert_non_null(strstr(err.msg, "pending.csv"));
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

static void test_atomic_file_in_missing_directory(void **state)
{
	struct ml_error err;
	char *path = xasprintf("%s/no/such/dir/x.csv", base);

	(void)state;
	assert_null(atomic_file_open(path, &err));
	assert_non_null(strstr(err.msg, "no/such/dir/x.csv"));
	free(path);
}

/* A character device given as the output stays a device: what is written
 * goes to it, as with a shell's redirection. The device is a null device
 * made for the test: were the code wrong, /dev/null itself would become a
 * regular file for the whole machine. Skipped where devices cannot be
 * made (not root) or opened there (a nodev mount). */
static void test_atomic_file_writes_through_a_device(void **state)
{
	struct ml_error err;
	char *null = xasprintf("%s/null", base);
	struct atomic_file *f;
	struct stat st;
	int fd = -1;

	(void)state;
	if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) == 0)
		fd = open(null, O_WRONLY);
	if (fd < 0) {
		free(null);
		skip();
	}
	close(fd);
	f = atomic_file_open(null, &err);
	assert_non_null(f);
	fputs("discarded", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	assert_int_equal(stat(null, &st), 0);
	if (!S_ISCHR(st.st_mode))
		fail_msg("%s: expected a character device after the write, got mode %o", null, (unsigned)st.st_mode);
	assert_int_equal(unit_entries(base, true), 0);
	free(null);
}

/* A FIFO given as the output: its reader gets the text, the FIFO stays. */
static void test_atomic_file_writes_through_a_fifo(void **state)
{
	struct ml_error err;
	char *fifo = xasprintf("%s/out.fifo", base), *copy = xasprintf("%s/copy", base), *text;
	struct atomic_file *f;
	struct stat st;
	pid_t reader;
	int status;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	reader = fork();
	assert_true(reader >= 0);
	if (reader == 0) {
		/* The reader copies the FIFO into a file, for at most 10 s. */
		alarm(10);
		execlp("sh", "sh", "-c", "cat \"$1\" >\"$2\"", "sh", fifo, copy, (char *)NULL);
		_exit(127);
	}
	f = atomic_file_open(fifo, &err);
	assert_non_null(f);
	fputs("through the pipe\n", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	assert_int_equal(waitpid(reader, &status, 0), reader);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	text = unit_read_file(NULL, copy);
	assert_string_equal(text, "through the pipe\n");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(unit_entries(base, true), 0);
	free(text);
	free(fifo);
	free(copy);
}

/* A symbolic link given as the output: its target gets the new text (and
 * is created when the link dangles); the link stays a link. */
static void test_atomic_file_follows_a_link(void **state)
{
	struct ml_error err;
	char *target = xasprintf("%s/target.csv", base), *link = xasprintf("%s/link.csv", base);
	char *dangling = xasprintf("%s/later.csv", base), *later = xasprintf("%s/made-later.csv", base), *text;
	struct atomic_file *f;
	struct stat st;

	(void)state;
	f = atomic_file_open(target, &err);
	fputs("old", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	assert_int_equal(symlink("target.csv", link), 0);
	f = atomic_file_open(link, &err);
	assert_non_null(f);
	fputs("new", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	text = unit_read_file(NULL, target);
	assert_string_equal(text, "new");
	free(text);
	assert_int_equal(symlink("made-later.csv", dangling), 0);
	f = atomic_file_open(dangling, &err);
	assert_non_null(f);
	fputs("created", atomic_file_stream(f));
	assert_int_equal(atomic_file_commit(f, &err), 0);
	assert_int_equal(lstat(dangling, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	text = unit_read_file(NULL, later);
	assert_string_equal(text, "created");
	free(text);
	free(target);
	free(link);
	free(dangling);
	free(later);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_directory_is_never_reused, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_meta_says_running_until_finished, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_run_keeps_what_completed, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_odd_names_are_escaped, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_explicit_directory_is_created, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_directory_that_is_a_file, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_abort_leaves_nothing, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_replaces_whole, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_pending_temporaries_are_removed, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_in_missing_directory, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_writes_through_a_device, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_writes_through_a_fifo, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_file_follows_a_link, make_base, unit_temp_dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
