/* The report's pages: texts from a run directory stay plain text, a figure
 * is embedded only when it is a regular file inside the directory, and a
 * stop request leaves neither page (nor a temporary file) behind. */
#include <config.h>

#include <dirent.h>
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
#include "xalloc.h"

#define HOSTILE "x\n# Owned\n<script>alert(1)</script> [a](javascript:alert(1))"

static char *top; /* a temporary directory: run/ inside it, secret beside it */

static char *at(const char *name)
{
	return xasprintf("%s/%s", top, name);
}

static void put(const char *name, const char *text)
{
	char *path = at(name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static char *slurp(const char *name)
{
	char *path = at(name), *text = NULL;
	size_t len = 0;
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	assert_int_equal(getdelim(&text, &len, '\0', fp) > 0, 1);
	fclose(fp);
	free(path);
	return text;
}

/* How many entries DIR holds, hidden ones (temporaries) included. */
static int entries(const char *name)
{
	char *path = at(name);
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	free(path);
	return n;
}

static int setup(void **state)
{
	char *path;

	(void)state;
	top = xstrdup("/tmp/mesilab-report-doc-XXXXXX");
	assert_non_null(mkdtemp(top));
	path = at("run");
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	path = at("run/figures");
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	put("secret", "the key\n");
	put("run/figures/inside.png", "PNG!");
	path = at("run/figures/outside.png");
	assert_int_equal(symlink("../../secret", path), 0);
	free(path);
	path = at("run/figures/fifo.png");
	assert_int_equal(mkfifo(path, 0644), 0);
	free(path);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", top);

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(top);
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
	md = slurp("run/report.md");
	html = slurp("run/report.html");
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
	html = slurp("run/report.html");
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
	char *md = at("run/report.md"), *html = at("run/report.html");

	(void)state;
	unlink(md);
	unlink(html);
	interrupt_request();
	assert_int_equal(write_sample(&err), -1);
	interrupt_reset();
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(access(md, F_OK), -1);
	assert_int_equal(access(html, F_OK), -1);
	assert_int_equal(entries("run"), 1); /* figures/, no temporary */
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

	return cmocka_run_group_tests(tests, setup, teardown);
}
