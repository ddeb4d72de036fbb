#include <config.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "csv.h"
#include "json.h"
#include "unit_helpers.h"

static void csv_is(const char *field, const char *expected)
{
	struct unit_capture c;

	unit_capture_begin(&c);
	csv_write_field(c.fp, field);
	assert_string_equal(unit_capture_end(&c), expected);
	free(c.text);
}

static void test_csv_fields(void **state)
{
	(void)state;
	csv_is("plain", "plain");
	csv_is("", "");
	csv_is("a,b", "\"a,b\"");
	csv_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	csv_is("two\nlines", "\"two\nlines\"");
	csv_is("cr\r", "\"cr\r\"");
	csv_is(" padded", "\" padded\"");
	csv_is("padded ", "\"padded \"");
	csv_is("mesilab topo --synthetic pack:2", "mesilab topo --synthetic pack:2");
}

static void json_string_is(const char *value, const char *expected)
{
	struct unit_capture c;

	unit_capture_begin(&c);
	json_write_escaped(c.fp, value);
	assert_string_equal(unit_capture_end(&c), expected);
	free(c.text);
}

static void test_json_escaping(void **state)
{
	(void)state;
	json_string_is("host", "\"host\"");
	json_string_is("odd\"host\\name", "\"odd\\\"host\\\\name\"");
	json_string_is("tab\there\nnew", "\"tab\\there\\nnew\"");
	json_string_is("bell\a", "\"bell\\u0007\"");
	json_string_is("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

static void test_json_document(void **state)
{
	struct json_writer w;
	struct unit_capture c;

	(void)state;
	unit_capture_begin(&c);
	json_init(&w, c.fp);
	json_object_begin(&w, NULL);
	json_int(&w, "n", -3);
	json_double(&w, "x", 0.5);
	json_double(&w, "nan", NAN);
	json_bool(&w, "ok", true);
	json_null(&w, "none");
	json_array_begin(&w, "empty");
	json_array_end(&w);
	json_array_begin(&w, "list");
	json_string(&w, NULL, "a");
	json_object_begin(&w, NULL);
	json_string(&w, "k", "v");
	json_object_end(&w);
	json_array_end(&w);
	json_object_end(&w);
	json_finish(&w);
	assert_string_equal(unit_capture_end(&c),
			    "{\n"
			    "  \"n\": -3,\n"
			    "  \"x\": 0.5,\n"
			    "  \"nan\": null,\n"
			    "  \"ok\": true,\n"
			    "  \"none\": null,\n"
			    "  \"empty\": [],\n"
			    "  \"list\": [\n"
			    "    \"a\",\n"
			    "    {\n"
			    "      \"k\": \"v\"\n"
			    "    }\n"
			    "  ]\n"
			    "}\n");
	free(c.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
