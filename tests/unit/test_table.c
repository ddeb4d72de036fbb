#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "table.h"
#include "unit_helpers.h"

enum { COL_NAME, COL_SIZE, NCOLS };

static const struct table_column columns[NCOLS] = {
	[COL_NAME] = { "name", "cache", TABLE_LEFT },
	[COL_SIZE] = { "size_bytes", "size", TABLE_RIGHT },
};

static struct table *sample_table(void)
{
	struct table *t = table_new(columns, NCOLS);

	table_add_row(t);
	table_set(t, COL_NAME, "L1d", NULL);
	table_set(t, COL_SIZE, "49152", "48 KiB");
	table_add_row(t);
	table_set(t, COL_NAME, "L2, unified", NULL);
	table_setf(t, COL_SIZE, "%d", 1048576);
	return t;
}

static char *print_to_string(const struct table *t, void (*print)(const struct table *, FILE *))
{
	struct unit_capture c;

	print(t, unit_capture_begin(&c));
	return unit_capture_end(&c);
}

static void test_human(void **state)
{
	struct table *t = sample_table();
	char *text = print_to_string(t, table_print_human);

	(void)state;
	assert_string_equal(text, "cache           size\n"
				  "L1d           48 KiB\n"
				  "L2, unified  1048576\n");
	free(text);
	table_free(t);
}

static void test_csv(void **state)
{
	struct table *t = sample_table();
	char *text = print_to_string(t, table_print_csv);

	(void)state;
	assert_string_equal(text, "name,size_bytes\n"
				  "L1d,49152\n"
				  "\"L2, unified\",1048576\n");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 0, COL_SIZE), "49152");
	free(text);
	table_free(t);
}

static void test_empty_cells(void **state)
{
	struct table *t = table_new(columns, NCOLS);
	char *text;

	(void)state;
	table_add_row(t);
	table_set(t, COL_NAME, "only a name", NULL);
	text = print_to_string(t, table_print_csv);
	assert_string_equal(text, "name,size_bytes\nonly a name,\n");
	free(text);
	table_free(t);
}

static void test_many_rows(void **state)
{
	struct table *t = table_new(columns, NCOLS);

	(void)state;
	for (int i = 0; i < 1000; i++) {
		table_add_row(t);
		table_setf(t, COL_SIZE, "%d", i);
	}
	assert_int_equal(table_rows(t), 1000);
	assert_string_equal(table_get(t, 999, COL_SIZE), "999");
	assert_string_equal(table_get(t, 17, COL_SIZE), "17");
	table_free(t);
}

/* A formatted cell longer than any buffer is kept whole. */
static void test_long_cell(void **state)
{
	struct table *t = table_new(columns, NCOLS);
	char long_text[2001];

	(void)state;
	memset(long_text, 'x', 2000);
	long_text[2000] = '\0';
	table_add_row(t);
	table_setf(t, COL_NAME, "%s; the end", long_text);
	assert_int_equal(strlen(table_get(t, 0, COL_NAME)), 2000 + strlen("; the end"));
	assert_non_null(strstr(table_get(t, 0, COL_NAME), "x; the end"));
	table_free(t);
}

static void test_save(void **state)
{
	char *dir = unit_temp_dir("table");
	struct table *t = sample_table();
	struct ml_error err;
	char path[64], line[64];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	assert_int_equal(table_save_csv(t, path, &err), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "name,size_bytes\n");
	fclose(fp);
	remove(path);
	snprintf(path, sizeof(path), "%s/missing/t.csv", dir);
	assert_int_equal(table_save_csv(t, path, &err), -1);
	assert_non_null(strstr(err.msg, "missing/t.csv"));
	unit_remove_tree(dir);
	free(dir);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_empty_cells),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_long_cell),
		cmocka_unit_test(test_save),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
