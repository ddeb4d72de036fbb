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
#include "json_read.h"
#include "run_meta.h"
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


static struct json_value *read_meta(const char *dir)
{
	struct ml_error err;
	char *path = xasprintf("%s/meta.json", dir);
	struct json_value *v = json_parse_file(path, NULL, &err);

	if (!v)
		fail_msg("%s", err.msg);
	free(path);
	return v;
}

/* Whether the string array at PATH of META lists NAME. */
static bool lists(const struct json_value *meta, const char *path, const char *name)
{
	const struct json_value *a = json_lookup(meta, path);

	for (size_t i = 0; a && i < a->count; i++)
		if (a->items[i]->type == JSON_STRING && strcmp(a->items[i]->string, name) == 0)
			return true;
	return false;
}

/* A whole run in DIR ('mesilab run': it says its stages): a table,
 * settings, an unavailable result, a check, the clock; complete. */
static void make_run(const char *dir)
{
	char *argv[] = { "mesilab", "run", "--quick" };
	struct ml_error err;
	struct rundir *r = rundir_create(dir, 3, argv, &err);
	struct clock_calibration clock = { .cycles_per_ns = 2.51, .samples = 15 };
	struct run_check check = { "l1-cycles", "agrees", "L1 4 cycles" };
	struct table *t = one_row_table();

	assert_non_null(r);
	rundir_set_clock(r, &clock);
	rundir_set(r, "profile", "quick");
	rundir_set(r, "stages", "topo,latency,sim");
	rundir_set(r, "sim.workload.c2c.operations", "4000");
	rundir_unavailable(r, "states S", "a third PU is needed");
	rundir_set_check(r, &check);
	assert_int_equal(rundir_save_table(r, "sim-machine.csv", t, &err), 0);
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	table_free(t);
}

/* An explanation added to a run keeps the run's document whole and adds
 * its own part, the run's own files and settings kept; a second and a
 * third addition keep the earlier ones, the second replacing the first's
 * files and settings. */
static void test_addition_keeps_the_run(void **state)
{
	char *argv[] = { "mesilab", "explain", "tally.trace", "-o", "RUN" };
	char *dir = xasprintf("%s/run", base), *csv;
	struct clock_calibration clock = { .cycles_per_ns = 1.67, .samples = 15 };
	struct ml_error err;
	struct table *t = one_row_table();
	struct json_value *meta;
	const struct json_value *additions;
	struct rundir *r;

	(void)state;
	make_run(dir);
	r = rundir_create(dir, 5, argv, &err);
	assert_non_null(r);
	rundir_set_clock(r, &clock);
	rundir_set(r, "profile", "explained");
	rundir_set(r, "explain.trace", "tally.trace");
	rundir_unavailable(r, "debug information", "built without -g");
	assert_int_equal(rundir_save_table(r, "explain-lines.csv", t, &err), 0);
	/* The run's own model stays; the addition's goes beside it. */
	assert_int_equal(rundir_save_table(r, "sim-machine.csv", t, &err), 0);
	assert_int_equal(rundir_finish(r, RUN_FAILED, &err), 0);

	meta = read_meta(dir);
	assert_string_equal(json_lookup_string(meta, "command_line"), "mesilab run --quick");
	assert_string_equal(json_lookup_string(meta, "status"), "complete");
	assert_true(json_lookup(meta, "clock.core_ghz")->number == 2.51);
	assert_string_equal(run_meta_setting(meta, "profile"), "quick");
	assert_string_equal(run_meta_setting(meta, "sim.workload.c2c.operations"), "4000");
	assert_string_equal(run_meta_setting(meta, "explain.trace"), "tally.trace");
	assert_int_equal(json_lookup(meta, "unavailable")->count, 2);
	assert_int_equal(json_lookup(meta, "checks")->count, 1);
	assert_true(lists(meta, "files", "sim-machine.csv"));
	assert_true(lists(meta, "files", "explain-lines.csv"));
	assert_true(lists(meta, "files", "sim-machine-addition1.csv"));
	additions = json_lookup(meta, "additions");
	assert_non_null(additions);
	assert_int_equal(additions->count, 1);
	assert_string_equal(json_lookup_string(additions->items[0], "command_line"),
			    "mesilab explain tally.trace -o RUN");
	assert_string_equal(json_lookup_string(additions->items[0], "status"), "failed");
	assert_non_null(json_lookup_string(additions->items[0], "end_time"));
	assert_true(lists(additions->items[0], "files", "explain-lines.csv"));
	assert_int_equal(json_lookup(additions->items[0], "settings")->count, 2);
	json_value_free(meta);
	csv = unit_read_file(dir, "sim-machine.csv");
	assert_string_equal(csv, "value_ns\n1.5\n");
	free(csv);

	/* A second explanation replaces the first's files and settings, a
	 * third command keeps both entries. */
	r = rundir_create(dir, 5, argv, &err);
	assert_non_null(r);
	rundir_set(r, "explain.trace", "second.trace");
	assert_int_equal(rundir_save_table(r, "explain-lines.csv", t, &err), 0);
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	r = rundir_create(dir, 3, argv, &err);
	assert_non_null(r);
	assert_int_equal(rundir_save_table(r, "sim-summary.csv", t, &err), 0);
	assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	meta = read_meta(dir);
	additions = json_lookup(meta, "additions");
	assert_int_equal(additions->count, 3);
	assert_false(lists(additions->items[0], "files", "explain-lines.csv"));
	assert_true(lists(additions->items[0], "files", "sim-machine-addition1.csv"));
	assert_true(lists(additions->items[1], "files", "explain-lines.csv"));
	assert_true(lists(additions->items[2], "files", "sim-summary.csv"));
	assert_string_equal(run_meta_setting(meta, "explain.trace"), "second.trace");
	assert_string_equal(json_lookup_string(meta, "status"), "complete");
	assert_int_equal(json_lookup(meta, "files")->count, 4);
	json_value_free(meta);
	table_free(t);
	free(dir);
}

/* Another command's directory is its output: the command run again
 * updates it, its files and settings replaced. */
static void test_command_again_replaces_its_output(void **state)
{
	char *argv[] = { "mesilab", "sim", "a.trace" };
	char *dir = xasprintf("%s/sim", base);
	struct ml_error err;
	struct table *t = one_row_table();
	struct json_value *meta;
	struct rundir *r;

	(void)state;
	for (int i = 0; i < 2; i++) {
		r = rundir_create(dir, 3, argv, &err);
		assert_non_null(r);
		rundir_set(r, "sim.trace", i ? "b.trace" : "a.trace");
		assert_int_equal(rundir_save_table(r, "sim-machine.csv", t, &err), 0);
		assert_int_equal(rundir_finish(r, RUN_COMPLETE, &err), 0);
	}
	meta = read_meta(dir);
	assert_string_equal(run_meta_setting(meta, "sim.trace"), "b.trace");
	assert_int_equal(json_lookup(meta, "files")->count, 1);
	assert_true(lists(json_lookup(meta, "additions")->items[0], "files", "sim-machine.csv"));
	assert_int_equal(unit_entries(dir, false), 2);
	json_value_free(meta);
	table_free(t);
	free(dir);
}

/* 'mesilab run' into a run directory is refused: two runs' measurements
 * would be mixed in one directory. */
static void test_whole_run_refuses_a_run(void **state)
{
	char *argv[] = { "mesilab", "run" };
	char *dir = xasprintf("%s/run", base), *before, *after;
	struct ml_error err;

	(void)state;
	make_run(dir);
	before = unit_read_file(dir, "meta.json");
	assert_null(rundir_create_run(dir, 2, argv, &err));
	if (!strstr(err.msg, "holds a run already"))
		fail_msg("expected a refusal, got: %s", err.msg);
	after = unit_read_file(dir, "meta.json");
	assert_string_equal(before, after);
	assert_int_equal(unit_entries(dir, true), 0);
	free(before);
	free(after);
	free(dir);
}

/* A meta.json that is not a run's is refused in one message naming it,
 * nothing written: not an object, an array of the wrong kind, too deep,
 * too large, a FIFO. */
static void test_hostile_meta_is_refused(void **state)
{
	static const char *const texts[] = {
		"[1, 2]\n",
		"{\"files\": [1]}\n",
		"{\"settings\": {}}\n",
		"{\"a\": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}\n",
		"{\"status\": \"complete\"\n",
	};
	char *argv[] = { "mesilab", "sim" };
	struct ml_error err;
	char *dir = xasprintf("%s/bad", base), *meta = xasprintf("%s/meta.json", dir), *text;
	FILE *fp;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	for (size_t i = 0; i <= sizeof(texts) / sizeof(texts[0]) + 1; i++) {
		unlink(meta);
		if (i < sizeof(texts) / sizeof(texts[0])) {
			fp = fopen(meta, "w");
			fputs(texts[i], fp);
			fclose(fp);
		} else if (i == sizeof(texts) / sizeof(texts[0])) {
			assert_int_equal(mkfifo(meta, 0600), 0);
		} else {
			/* Larger than any run's meta.json. */
			fp = fopen(meta, "w");
			assert_non_null(fp);
			fclose(fp);
			assert_int_equal(truncate(meta, 17 << 20), 0);
		}
		assert_null(rundir_create(dir, 2, argv, &err));
		if (!strstr(err.msg, meta) || strchr(err.msg, '\n'))
			fail_msg("case %zu: expected one line naming %s, got: %s", i, meta, err.msg);
		assert_int_equal(unit_entries(dir, false), 1);
		if (i < sizeof(texts) / sizeof(texts[0])) {
			text = unit_read_file(dir, "meta.json");
			assert_string_equal(text, texts[i]);
			free(text);
		}
	}
	free(meta);
	free(dir);
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
		cmocka_unit_test_setup_teardown(test_addition_keeps_the_run, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_command_again_replaces_its_output, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_whole_run_refuses_a_run, make_base, unit_temp_dir_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_meta_is_refused, make_base, unit_temp_dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
