/* The report's pages: texts from a run directory stay plain text, a figure
 * is embedded only when it is a regular file inside the directory, and a
 * stop request leaves neither page (nor a temporary file) behind. */
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

#include "interrupt.h"
#include "report_doc.h"
#include "unit_helpers.h"
#include "xalloc.h"

#define HOSTILE "x\n# Owned\n<script>alert(1)</script> [a](javascript:alert(1))"

static char *top; /* a temporary directory: run/ inside it, secret beside it */

static char *at(const char *name)
{
	return unit_path(top, name);
}

static int setup(void **state)
{
	char *path;

	*state = top = unit_temp_dir("report-doc");
	path = at("run");
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	path = at("run/figures");
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	unit_write_file(top, "secret", "the key\n", NULL);
	unit_write_file(top, "run/figures/inside.png", "PNG!", NULL);
	path = at("run/figures/outside.png");
	assert_int_equal(symlink("../../secret", path), 0);
	free(path);
	path = at("run/figures/fifo.png");
	assert_int_equal(mkfifo(path, 0644), 0);
	free(path);
	return 0;
}

static struct doc *sample(void)
{
	static const struct table_column columns[] = { { "what", "what", TABLE_LEFT } };
	struct doc *d = doc_new("report of " HOSTILE);
	struct table *t = table_new(columns, 1);

	doc_heading(d, "%s", HOSTILE);
	doc_paragraph(d, "%s", HOSTILE);
	doc_item(d, "%s", HOSTILE);
	table_add_row(t);
	table_set(t, 0, HOSTILE, NULL);
	doc_table(d, t);
	doc_figure(d, "figures/inside.png", "inside");
	doc_figure(d, "figures/outside.png", "outside");
	doc_figure(d, "figures/fifo.png", "a FIFO");
	return d;
}

static int write_sample(struct ml_error *err)
{
	struct doc *d = sample();
	char *dir = at("run"), *md = at("run/report.md"), *html = at("run/report.html");
	int rc = doc_write(d, dir, md, html, err);

	doc_free(d);
	free(dir);
	free(md);
	free(html);
	return rc;
}

static void test_plain_text(void **state)
{
	struct ml_error err;
	char *md, *html;

	(void)state;
	assert_int_equal(write_sample(&err), 0);
	md = unit_read_file(top, "run/report.md");
	html = unit_read_file(top, "run/report.html");
	/* Each text stays in its block, as text. */
	assert_null(strstr(md, "\n# Owned"));
	assert_null(strstr(md, " <script"));
	assert_null(strstr(md, " [a]("));
	assert_non_null(strstr(md, "## x # Owned \\<script\\>alert(1)\\</script\\> \\[a\\](javascript:alert(1))\n"));
	assert_non_null(strstr(md, "| x # Owned \\<script\\>"));
	assert_non_null(strstr(md, "![inside](<figures/inside.png>)"));
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "<p>x\n# Owned\n&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(md);
	free(html);
}

static void test_figures(void **state)
{
	struct ml_error err;
	char *html;

	(void)state;
	assert_int_equal(write_sample(&err), 0);
	html = unit_read_file(top, "run/report.html");
	/* "PNG!" in base64. */
	assert_non_null(strstr(html, "src=\"data:image/png;base64,UE5HIQ==\""));
	/* The secret ("the key\n" in base64) is not read. */
	assert_null(strstr(html, "dGhlIGtleQ"));
	assert_non_null(strstr(html, "<a href=\"figures/outside.png\">figures/outside.png</a> (not embedded"));
	assert_non_null(strstr(html, "<a href=\"figures/fifo.png\">figures/fifo.png</a> (not embedded"));
	free(html);
}

static void test_interrupted(void **state)
{
	struct ml_error err;
	char *md = at("run/report.md"), *html = at("run/report.html"), *dir;

	(void)state;
	unlink(md);
	unlink(html);
	interrupt_request();
	assert_int_equal(write_sample(&err), -1);
	interrupt_reset();
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(access(md, F_OK), -1);
	assert_int_equal(access(html, F_OK), -1);
	dir = at("run");
	assert_int_equal(unit_entries(dir, false), 1); /* figures/, no temporary */
	free(dir);
	free(md);
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_interrupted),
	};

	return cmocka_run_group_tests(tests, setup, unit_temp_dir_teardown);
}
