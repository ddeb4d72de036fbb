/* Input from a directory somebody else made: what input_open reads and
 * what it refuses, each refusal with its reason. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "input_file.h"
#include "unit_helpers.h"
#include "xalloc.h"

static char *top; /* a temporary directory: run/ inside it, secret beside it */

static char *at(const char *name)
{
	return unit_path(top, name);
}

static void link_to(const char *target, const char *name)
{
	char *path = at(name);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static int setup(void **state)
{
	char *run;

	*state = top = unit_temp_dir("input");
	run = at("run");
	assert_int_equal(mkdir(run, 0755), 0);
	free(run);
	unit_write_file(top, "secret", "the key\n", NULL);
	unit_write_file(top, "run/meta.json", "{}", NULL);
	unit_write_file(top, "run/big.csv", "0123456789", NULL);
	link_to("meta.json", "run/inside.json");
	link_to("../secret", "run/outside.png");
	link_to("/dev/zero", "run/zero.png");
	link_to("missing", "run/dangling.csv");
	{
		char *fifo = at("run/fifo.csv");

		assert_int_equal(mkfifo(fifo, 0600), 0);
		free(fifo);
	}
	return 0;
}

/* NAME (under the temporary directory) opened within run/: a descriptor
 * when EXPECT is NULL, else -1 and a message holding EXPECT. */
static void expect_open(const char *name, uint64_t max, const char *expect)
{
	char *path = at(name), *run = at("run");
	struct ml_error err = { "" };
	int fd = input_open(path, run, max, &err);

	if (!expect && fd < 0)
		fail_msg("%s: expected it read, got refused: %s", name, err.msg);
	if (expect && fd >= 0)
		fail_msg("%s: expected a refusal (%s), got it opened", name, expect);
	if (expect && !strstr(err.msg, expect))
		fail_msg("%s: expected a message with '%s', got '%s'", name, expect, err.msg);
	if (fd >= 0)
		close(fd);
	free(path);
	free(run);
}

static void test_regular_files_inside(void **state)
{
	(void)state;
	expect_open("run/meta.json", 100, NULL);
	expect_open("run/inside.json", 100, NULL);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_open("run/outside.png", 100, "leads outside");
	expect_open("run/zero.png", 100, "leads outside");
	expect_open("run/fifo.csv", 100, "a FIFO");
	expect_open("run/big.csv", 9, "larger than 9 bytes");
	expect_open("run/dangling.csv", 100, "No such file");
	expect_open("run", 100, "a directory");
}

/* Without WITHIN (a file the user named), a link anywhere is followed but
 * the file must still be regular. */
static void test_named_by_the_user(void **state)
{
	char *zero = at("run/zero.png"), *secret = at("run/outside.png");
	struct ml_error err;
	int fd;

	(void)state;
	fd = input_open(secret, NULL, 100, &err);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(input_open(zero, NULL, 100, &err), -1);
	assert_non_null(strstr(err.msg, "a character device"));
	free(zero);
	free(secret);
}

static void test_read_all(void **state)
{
	char *path = at("run/big.csv"), *run = at("run"), *text;
	struct ml_error err;
	size_t len;

	(void)state;
	text = input_read_all(path, run, 100, &len, &err);
	assert_non_null(text);
	assert_int_equal(len, 10);
	assert_string_equal(text, "0123456789");
	free(text);
	free(path);
	free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_files_inside),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_named_by_the_user),
		cmocka_unit_test(test_read_all),
	};

	return cmocka_run_group_tests(tests, setup, unit_temp_dir_teardown);
}
