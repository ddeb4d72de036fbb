/* Reading CSV and JSON back: what compare, plot and report stand on. */
#include <config.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_read.h"
#include "json_read.h"
#include "unit_helpers.h"
#include "xalloc.h"

static void test_csv_fields(void **state)
{
	char *path = unit_data_file("readers/good.csv");
	struct ml_error err;
	struct csv_file *f = csv_read(path, NULL, &err);

	(void)state;
	assert_non_null(f);
	assert_int_equal(csv_rows(f), 2);
	assert_int_equal(csv_columns(f), 3);
	assert_string_equal(csv_header(f, 2), "c, d");
	assert_int_equal(csv_column(f, "c, d"), 2);
	assert_int_equal(csv_column(f, "e"), -1);
	assert_string_equal(csv_cell(f, 0, 1), "two \"quoted\"");
	assert_string_equal(csv_cell(f, 1, 1), "");
	assert_string_equal(csv_cell(f, 1, 2), "multi\nline");
	assert_float_equal(csv_number(f, 1, 0), 4, 0);
	assert_true(isnan(csv_number(f, 0, 1)));
	assert_true(isnan(csv_number(f, 1, 1)));
	csv_free(f);
	free(path);
}

static void expect_csv_error(const char *name, const char *what)
{
	char *file = xasprintf("readers/%s", name), *path = unit_data_file(file);
	struct ml_error err;

	assert_null(csv_read(path, NULL, &err));
	if (!strstr(err.msg, what))
		fail_msg("%s: '%s' lacks '%s'", name, err.msg, what);
	free(file);
	free(path);
}

static void test_csv_errors_name_the_line(void **state)
{
	(void)state;
	expect_csv_error("short.csv", "short.csv:3: 1 fields where the header has 2");
	expect_csv_error("open.csv", "open.csv:2: a quoted field is not closed");
	expect_csv_error("missing.csv", "missing.csv: No such file");
}

/* A NUL inside a cell (zeros a crash left) is refused, not read as the
 * cell's end ("104\0" as 104). */
static void test_csv_nul_refused(void **state)
{
	static const char text[] = "size,ways\n32768,8\n104\0" "8576,16\n";
	char *dir = unit_temp_dir("nul"), *path = unit_path(dir, "nul.csv");
	FILE *fp = fopen(path, "w");
	struct ml_error err;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, fp), sizeof(text) - 1);
	assert_int_equal(fclose(fp), 0);
	assert_null(csv_read(path, NULL, &err));
	if (!strstr(err.msg, "nul.csv:3: a NUL byte at byte offset 21: not a text file"))
		fail_msg("a NUL in a cell: got '%s'", err.msg);
	unit_remove_tree(dir);
	free(path);
	free(dir);
}

static void test_json_tree(void **state)
{
	const char *text = "{\"a\": {\"b\": \"x\\u00e9\\n\", \"n\": -1.5e2, \"t\": true, \"f\": false},"
			   " \"list\": [1, null, \"s\"], \"empty\": {}}";
	struct ml_error err;
	struct json_value *v = json_parse(text, strlen(text), "inline", &err);
	const struct json_value *list;

	(void)state;
	assert_non_null(v);
	assert_string_equal(json_lookup_string(v, "a.b"), "x\xc3\xa9\n");
	assert_float_equal(json_lookup(v, "a.n")->number, -150, 0);
	assert_true(json_lookup(v, "a.t")->boolean);
	assert_false(json_lookup(v, "a.f")->boolean);
	assert_int_equal(json_lookup(v, "a.f")->type, JSON_BOOL);
	list = json_lookup(v, "list");
	assert_int_equal(list->type, JSON_ARRAY);
	assert_int_equal(list->count, 3);
	assert_int_equal(list->items[1]->type, JSON_NULL);
	assert_null(json_lookup(v, "a.missing"));
	assert_null(json_lookup_string(v, "a.n"));
	assert_int_equal(json_lookup(v, "empty")->count, 0);
	json_value_free(v);
}

static void expect_json_error(const char *text, const char *what)
{
	struct ml_error err;

	assert_null(json_parse(text, strlen(text), "t.json", &err));
	if (!strstr(err.msg, what))
		fail_msg("'%s': '%s' lacks '%s'", text, err.msg, what);
}

static void test_json_errors_name_the_byte(void **state)
{
	(void)state;
	expect_json_error("{\"a\": 1,}", "t.json: byte 8: expected a member name");
	expect_json_error("[1 2]", "t.json: byte 3: expected ',' or ']'");
	expect_json_error("\"open", "a string is not closed");
	expect_json_error("{} x", "t.json: byte 3: text after the value");
	expect_json_error("", "unexpected end");
	expect_json_error("[\"\\q\"]", "unknown escape");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_errors_name_the_line),
		cmocka_unit_test(test_csv_nul_refused),
		cmocka_unit_test(test_json_tree),
		cmocka_unit_test(test_json_errors_name_the_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
