#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_read.h"
#include "report_explain.h"
#include "xalloc.h"

#define TOP_ROWS 10

/* The run's file NAME in *F (NULL when absent). 0, or -1 with ERR. */
static int explain_file(const char *run, const char *name, struct csv_file **f, struct ml_error *err)
{
	char *path = xasprintf("%s/%s", run, name);
	int rc = csv_read_optional(path, run, f, err);

	free(path);
	return rc;
}

/* Whether row ROW of F is under PROTOCOL. */
static bool under(const struct csv_file *f, size_t row, const char *protocol)
{
	const char *p = csv_cell_named(f, row, "protocol");

	return p && strcmp(p, protocol) == 0;
}

static const char *cell(const struct csv_file *f, size_t row, const char *name)
{
	const char *c = csv_cell_named(f, row, name);

	return c ? c : "";
}

/* A decimal address of F's column NAME as 0x..., or the cell as it is. */
static void hex_cell(struct table *t, size_t column, const struct csv_file *f, size_t row, const char *name)
{
	double v = csv_number_named(f, row, name);

	if (isnan(v) || v < 0 || v >= 18446744073709551616.0)
		table_set(t, column, cell(f, row, name), NULL);
	else
		table_setf(t, column, "0x%" PRIx64, (uint64_t)v);
}

/* The program's modelled memory cycles under PROTOCOL: F's rows of it
 * added up (NAN: a file without cycles). */
static double program_cycles(const struct csv_file *f, const char *protocol)
{
	double sum = 0;

	if (csv_column(f, "cycles") < 0)
		return NAN;
	for (size_t row = 0; row < csv_rows(f); row++) {
		double v = csv_number_named(f, row, "cycles");

		if (under(f, row, protocol) && !isnan(v))
			sum += v;
	}
	return sum;
}

/* The first TOP_ROWS rows of F under PROTOCOL (explain writes them by
 * the first protocol's misses, most first): lines, or objects; their
 * modelled cycles with their share of the program's. */
static void top_table(struct doc *d, const struct csv_file *f, const char *protocol, bool lines)
{
	static const char *const counts[] = { "accesses", "misses", "misses_false_sharing", "misses_true_sharing",
					      "invalidations_received" };
	static const char *const titles[] = { "accesses", "misses", "false sharing", "true sharing",
					      "invalidations received" };
	struct table_column cols[2 + 5 + 1] = {
		{ "name", lines ? "code line" : "object", TABLE_LEFT },
		{ "detail", lines ? "function" : "type", TABLE_LEFT },
	};
	double total = program_cycles(f, protocol);
	struct table *t;
	size_t shown = 0;

	for (size_t c = 0; c < 5; c++)
		cols[2 + c] = (struct table_column){ counts[c], titles[c], TABLE_RIGHT };
	cols[7] = (struct table_column){ "cycles", "modelled cycles (share)", TABLE_RIGHT };
	t = table_new(cols, isnan(total) ? 7 : 8);
	for (size_t row = 0; row < csv_rows(f) && shown < TOP_ROWS; row++) {
		if (!under(f, row, protocol))
			continue;
		table_add_row(t);
		if (lines) {
			table_set(t, 0, cell(f, row, "location"), NULL);
			table_set(t, 1, cell(f, row, "function"), NULL);
		} else {
			table_setf(t, 0, "%s%s", cell(f, row, "object"), cell(f, row, "member"));
			table_set(t, 1, cell(f, row, "type"), NULL);
		}
		for (size_t c = 0; c < 5; c++)
			table_set(t, 2 + c, cell(f, row, counts[c]), NULL);
		if (!isnan(total)) {
			double v = csv_number_named(f, row, "cycles");

			/* A share too small for one decimal is "<0.1%", not "0.0%". */
			if (isnan(v) || total <= 0)
				table_set(t, 7, cell(f, row, "cycles"), NULL);
			else if (v > 0 && 100 * v / total < 0.05)
				table_setf(t, 7, "%.0f (<0.1%%)", v);
			else
				table_setf(t, 7, "%.0f (%.1f%%)", v, 100 * v / total);
		}
		shown++;
	}
	doc_table(d, t);
}

/* Whether some row of F has updates of a falsely shared line's copies. */
static bool any_updates(const struct csv_file *f)
{
	for (size_t row = 0; row < csv_rows(f); row++)
		if (csv_number_named(f, row, "updates_false_sharing") > 0)
			return true;
	return false;
}

/* The falsely shared lines of KIND ("actual", "latent"), every
 * protocol's row; how many. */
static size_t falseshare_table(struct doc *d, const struct csv_file *f, const char *kind)
{
	static const char *const names[] = { "protocol", "line_address", "line_bytes", "moved_bytes", "objects",
					     "threads", "locations", "misses_false_sharing", "cycles_false_sharing",
					     "updates_false_sharing" };
	static const char *const titles[] = { "protocol", "line", "line bytes", "data moved (bytes)", "objects",
					      "threads", "code lines", "false-sharing misses",
					      "their modelled cycles", "updates of its copies (an update protocol's)" };
	struct table_column cols[10];
	/* A file of before the cycles has eight columns; the updates are
	 * shown where an update protocol sent some. */
	size_t ncols = csv_column(f, names[8]) < 0 ? 8 : any_updates(f) ? 10 : 9;
	struct table *t;
	size_t n = 0;

	/* Words to the left, numbers to the right. */
	for (size_t c = 0; c < ncols; c++)
		cols[c] = (struct table_column){ names[c], titles[c], c == 0 || (c >= 4 && c <= 6) ? TABLE_LEFT : TABLE_RIGHT };
	t = table_new(cols, ncols);
	for (size_t row = 0; row < csv_rows(f); row++) {
		const char *k = csv_cell_named(f, row, "kind");

		/* A file without the column has actual lines alone. */
		if (strcmp(k ? k : "actual", kind) != 0)
			continue;
		table_add_row(t);
		for (size_t c = 0; c < ncols; c++) {
			if (c == 1)
				hex_cell(t, c, f, row, names[c]);
			else
				table_set(t, c, cell(f, row, names[c]), NULL);
		}
		n++;
	}
	if (n)
		doc_table(d, t);
	else
		table_free(t);
	return n;
}

/* CHANGE of WHOLE as a signed share, as explain's terminal says it:
 * "+1.2%", "-<0.1%" where it is too small for one decimal. */
static void signed_share(char *buf, size_t len, double change, double whole)
{
	double share = 100 * fabs(change) / whole;

	if (change != 0 && share < 0.05)
		snprintf(buf, len, "%c<0.1%%", change < 0 ? '-' : '+');
	else
		snprintf(buf, len, "%c%.1f%%", change < 0 ? '-' : '+', share);
}

/* The fixes of F's actual rows after their verdict ("fix", or "tried"
 * where the move saves no modelled memory cycles under some protocol),
 * each once, in the rows' order; a file of before the verdict has none. */
static void fixes(struct doc *d, const struct csv_file *f)
{
	static const char separator[] = " | "; /* between a line's fixes (results/README.md) */
	char *said = NULL;

	for (size_t row = 0; row < csv_rows(f); row++) {
		const char *k = csv_cell_named(f, row, "kind"), *verdict = cell(f, row, "fix_verdict");
		const char *p = cell(f, row, "fix");

		if (strcmp(k ? k : "actual", "actual") != 0 || !verdict[0])
			continue;
		while (*p) {
			const char *end = strstr(p, separator);
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char *what = xasprintf("%.*s\n", (int)len, p);

			/* Said once: every protocol's row of a line, and lines
			 * of one array, have the same. */
			if (!said || !strstr(said, what)) {
				char *more = xasprintf("%s%s", said ? said : "", what);

				doc_item(d, "%s: %.*s", verdict, (int)len, p);
				free(said);
				said = more;
			}
			free(what);
			p += len + (end ? strlen(separator) : 0);
		}
	}
	free(said);
}

/* The padded replay's saving under each protocol, from F's first actual
 * row of each, after the fixes it tried, and why it is no fix where it
 * is not. */
static void savings(struct doc *d, const struct csv_file *f)
{
	const char *seen[16], *why = "";
	size_t nseen = 0;

	fixes(d, f);
	for (size_t row = 0; row < csv_rows(f) && nseen < 16; row++) {
		const char *k = csv_cell_named(f, row, "kind"), *p = cell(f, row, "protocol");
		double before = csv_number_named(f, row, "run_misses"), after = csv_number_named(f, row, "run_misses_padded");
		double cycles = csv_number_named(f, row, "run_cycles"), padded = csv_number_named(f, row, "run_cycles_padded");
		double updates = csv_number_named(f, row, "run_updates"), updates_padded = csv_number_named(f, row, "run_updates_padded");
		char saved[160] = "", updated[96] = "", share[16];
		bool again = false;

		for (size_t i = 0; i < nseen; i++)
			again |= strcmp(seen[i], p) == 0;
		if (again || strcmp(k ? k : "actual", "actual") != 0 || isnan(before) || isnan(after))
			continue;
		seen[nseen++] = p;
		if (!why[0])
			why = cell(f, row, "fix_why");
		if (!isnan(cycles) && !isnan(padded) && cycles > 0) {
			signed_share(share, sizeof(share), padded - cycles, cycles);
			snprintf(saved, sizeof(saved), "; modelled memory cycles %.0f -> %.0f (%+.0f, %s)", cycles, padded,
				 padded - cycles, share);
		}
		/* An update protocol's false sharing is its updates. */
		if (!isnan(updates) && !isnan(updates_padded) && updates > 0)
			snprintf(updated, sizeof(updated), "; updates %.0f -> %.0f", updates, updates_padded);
		doc_item(d, "under %s: %.0f misses, %.0f with the falsely shared bytes regrouped by their threads (%+.0f); "
			 "false sharing %s -> %s%s%s", p, before, after, after - before, cell(f, row, "run_misses_false_sharing"),
			 cell(f, row, "run_misses_false_sharing_padded"), updated, saved);
	}
	if (why[0])
		doc_paragraph(d, "No fix: %s.", why);
}

/* Appends to BUF (of LEN bytes) one more item of a list in words. */
static void list_add(char *buf, size_t len, const char *item)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? "; " : "", item);
}

/* What explain-latent.csv (L, NULL: a run from before it) says of the
 * latent search beside the latent lines found (FOUND): the variants it
 * replayed finding none (whether others found some or not), and those it
 * did not replay with why, so that 'none found' and 'not looked for' are
 * told apart. */
static void latent_search(struct doc *d, const struct csv_file *l, bool found)
{
	char searched[1024] = "", skipped[1024] = "", whys[2048] = "", first_why[256] = "";
	bool one_why = true, any_searched = false;

	if (!l) {
		if (!found)
			doc_paragraph(d, "None listed, and this run does not say whether explain looked for any: it has no "
				      "explain-latent.csv (an explain of an earlier version, or with --no-latent).");
		return;
	}
	for (size_t row = 0; row < csv_rows(l); row++) {
		const char *how = cell(l, row, "searched"), *why = cell(l, row, "why");
		double line = csv_number_named(l, row, "line_bytes"), moved = csv_number_named(l, row, "moved_bytes");
		char words[320];

		if (isnan(line) || isnan(moved) || strcmp(how, "actual") == 0)
			continue;
		if (moved > 0)
			snprintf(words, sizeof(words), "%.0f-byte lines with the data %.0f bytes further", line, moved);
		else
			snprintf(words, sizeof(words), "%.0f-byte lines", line);
		if (strcmp(how, "yes") == 0) {
			if (!(csv_number_named(l, row, "latent_lines") > 0))
				list_add(searched, sizeof(searched), words);
			any_searched = true;
			continue;
		}
		if (!skipped[0])
			snprintf(first_why, sizeof(first_why), "%s", why);
		one_why &= strcmp(first_why, why) == 0;
		list_add(skipped, sizeof(skipped), words);
		{
			size_t used = strlen(words);

			snprintf(words + used, sizeof(words) - used, " (%.200s)", why);
			list_add(whys, sizeof(whys), words);
		}
	}
	if (!found && searched[0])
		doc_paragraph(d, "None found in the replays with %s: no line of them shares falsely where the run's "
			      "lines do not.", searched);
	else if (searched[0])
		doc_paragraph(d, "None found in the replays with %s.", searched);
	/* One reason (explain --no-latent) said once, else each variant's. */
	if (skipped[0] && one_why)
		doc_paragraph(d, "Not looked for (%s): no replay with %s.", first_why, skipped);
	else if (skipped[0])
		doc_paragraph(d, "Not looked for: no replay with %s.", whys);
	else if (!found && !any_searched)
		doc_paragraph(d, "None listed: explain-latent.csv names no replay.");
}

/* Why explain did not look for false sharing at all, from
 * explain-latent.csv (L, NULL: a run from before it): its replays not
 * made for update protocols alone (the why results/README.md gives),
 * which miss nothing for false sharing, the run's lines included; NULL
 * where it looked. */
static const char *not_looked_for(const struct csv_file *l)
{
	static const char update_alone[] = "update protocols alone";

	if (!l)
		return NULL;
	for (size_t row = 0; row < csv_rows(l); row++)
		if (strcmp(cell(l, row, "searched"), "no") == 0 &&
		    strncmp(cell(l, row, "why"), update_alone, sizeof(update_alone) - 1) == 0)
			return cell(l, row, "why");
	return NULL;
}

int report_explain(struct doc *d, const char *run, struct ml_error *err)
{
	struct csv_file *lines = NULL, *objects = NULL, *fs = NULL, *latent = NULL;
	bool found;
	const char *first;
	int rc = -1;

	if (explain_file(run, "explain-lines.csv", &lines, err) < 0 ||
	    explain_file(run, "explain-objects.csv", &objects, err) < 0 ||
	    explain_file(run, "explain-falseshare.csv", &fs, err) < 0 ||
	    explain_file(run, "explain-latent.csv", &latent, err) < 0)
		goto out;
	rc = 0;
	if (!lines || !csv_rows(lines) || !(first = csv_cell_named(lines, 0, "protocol")))
		goto out;
	doc_heading(d, "The program explained");
	doc_paragraph(d, "mesilab explain replayed the program's trace under each protocol and gave every miss, "
		      "invalidation and cache-to-cache transfer to the code line that made the access and to the data "
		      "object it touched; every invalidation received to the access that lost its copy; every "
		      "modelled cycle (an access's latency and waits, beyond the program's own work between accesses) "
		      "to the access that spent it. The code lines and objects that cost the most misses under %s "
		      "(every protocol in explain-lines.csv and explain-objects.csv):", first);
	top_table(d, lines, first, true);
	if (objects)
		top_table(d, objects, first, false);
	if (!fs)
		goto out;
	doc_paragraph(d, "False sharing: the cache lines that threads shared without sharing their bytes, each "
		      "protocol's misses on them (explain-falseshare.csv).");
	if (falseshare_table(d, fs, "actual"))
		savings(d, fs);
	else if (not_looked_for(latent))
		doc_paragraph(d, "Not looked for (%s): explain finds false sharing by an invalidation protocol's misses; "
			      "explain with one beside them (-p mesi,dragon) shows it and what it costs under each.",
			      not_looked_for(latent));
	else
		doc_paragraph(d, "None in this run.");
	doc_paragraph(d, "Latent false sharing: lines that share nothing falsely in this run but would with 32- or "
		      "128-byte lines (128: an adjacent-line prefetcher's pairs) or with the data placed half a line "
		      "further, each from a replay so made.");
	found = falseshare_table(d, fs, "latent");
	latent_search(d, latent, found);
out:
	csv_free(latent);
	csv_free(lines);
	csv_free(objects);
	csv_free(fs);
	return rc;
}
