#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "explain_report.h"
#include "progress.h"
#include "replay.h"
#include "table.h"
#include "trace_writer.h"
#include "xalloc.h"

/* Where the padded replay puts each thread's part of a falsely shared
 * line: far above any user-space address. */
#define PADDED_BASE (UINT64_C(1) << 62)

static const char *const cause_csv[SIM_NCAUSES] = {
	"misses_cold", "misses_capacity", "misses_conflict", "misses_true_sharing", "misses_false_sharing",
};

/* A row of a table: what it names, and its counts under each protocol. */
struct group {
	char *key;       /* what rows are merged by */
	char *name;      /* location or object */
	char *detail;    /* function, or member */
	char *extra;     /* file:line's parts, or the object's type */
	char module[128];
	uint64_t offset; /* in the module, or the lowest address */
	struct attr_counts *c; /* [protocol] */
};

struct groups {
	struct group *g;
	size_t n, cap;
	unsigned nprotocols;
};

static struct group *group_of(struct groups *gs, const char *key)
{
	/* Linear, from the last: the rows come in runs of one key. */
	for (size_t i = gs->n; i-- > 0;)
		if (strcmp(gs->g[i].key, key) == 0)
			return &gs->g[i];
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 64;
		gs->g = xrealloc(gs->g, gs->cap, sizeof(*gs->g));
	}
	memset(&gs->g[gs->n], 0, sizeof(gs->g[0]));
	gs->g[gs->n].key = xstrdup(key);
	gs->g[gs->n].c = xcalloc(gs->nprotocols, sizeof(struct attr_counts));
	return &gs->g[gs->n++];
}

static void groups_free(struct groups *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		free(gs->g[i].key);
		free(gs->g[i].name);
		free(gs->g[i].detail);
		free(gs->g[i].extra);
		free(gs->g[i].c);
	}
	free(gs->g);
}

static int by_misses(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->c[0].misses != y->c[0].misses)
		return x->c[0].misses < y->c[0].misses ? 1 : -1;
	if (x->c[0].accesses != y->c[0].accesses)
		return x->c[0].accesses < y->c[0].accesses ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* A code location in words: "file.c:41", else "function", else "module+0x...". */
static void code_name(const struct trace_code *c, char *buf, size_t len)
{
	if (c->file[0] && c->line)
		snprintf(buf, len, "%s:%u", c->file, c->line);
	else if (c->function[0])
		snprintf(buf, len, "%s", c->function);
	else if (c->module[0])
		snprintf(buf, len, "%s+0x%" PRIx64, c->module, c->offset);
	else
		snprintf(buf, len, "0x%" PRIx64, c->offset);
}

static void code_lines(struct explain *ex, struct groups *gs)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);

	gs->nprotocols = ex->nprotocols;
	for (uint32_t loc = 0; loc <= l->npcs; loc++) {
		struct trace_code c = { 0 };
		struct group *g;
		char key[320];
		bool used = false;

		for (unsigned p = 0; p < ex->nprotocols; p++)
			used |= attribution_of_loc(ex->a, p, loc)->accesses > 0;
		if (!used)
			continue;
		if (loc == 0)
			snprintf(key, sizeof(key), "(runtime)");
		else {
			trace_symbols_code(ex->sym, l->pcs[loc - 1], &c);
			code_name(&c, key, sizeof(key));
		}
		g = group_of(gs, key);
		if (!g->name) {
			g->name = xstrdup(key);
			g->detail = xstrdup(c.function);
			g->extra = c.line ? xasprintf("%s,%u", c.file, c.line) : xstrdup(",");
			snprintf(g->module, sizeof(g->module), "%s", c.module);
			g->offset = c.offset;
		}
		for (unsigned p = 0; p < ex->nprotocols; p++)
			attr_counts_add(&g->c[p], attribution_of_loc(ex->a, p, loc));
	}
	qsort(gs->g, gs->n, sizeof(*gs->g), by_misses);
}

/* A data address in words: its symbol and member, or its line. */
static void data_name(const struct trace_data *d, uint64_t address, unsigned line_shift, char *buf, size_t len)
{
	if (d->symbol[0])
		snprintf(buf, len, "%s%s", d->symbol, d->member);
	else
		snprintf(buf, len, "line 0x%" PRIx64 "%s%s", address >> line_shift << line_shift,
			 d->module[0] ? " in " : "", d->module);
}

static unsigned shift_of(unsigned line)
{
	unsigned s = 0;

	while ((1u << s) < line)
		s++;
	return s;
}

static void data_objects(struct explain *ex, struct groups *gs)
{
	size_t n = attribution_addresses(ex->a);
	unsigned shift = shift_of(ex->cfg->l1.line);

	gs->nprotocols = ex->nprotocols;
	for (size_t i = 0; i < n; i++) {
		uint64_t address = attribution_address(ex->a, i);
		struct trace_data d;
		struct group *g;
		char key[400];

		trace_symbols_data(ex->sym, address, &d);
		data_name(&d, address, shift, key, sizeof(key));
		g = group_of(gs, key);
		if (!g->name) {
			g->name = xstrdup(d.symbol[0] ? d.symbol : key);
			g->detail = xstrdup(d.member);
			g->extra = xstrdup(d.type);
			snprintf(g->module, sizeof(g->module), "%s", d.module);
			g->offset = address;
		}
		g->offset = address < g->offset ? address : g->offset;
		for (unsigned p = 0; p < ex->nprotocols; p++)
			attr_counts_add(&g->c[p], attribution_of_address(ex->a, p, i));
	}
	qsort(gs->g, gs->n, sizeof(*gs->g), by_misses);
}

/* The CSV of groups: a row per group and protocol. */
enum { L_PROTOCOL, L_NAME, L_DETAIL, L_EXTRA1, L_EXTRA2, L_MODULE, L_OFFSET, L_ACCESSES, L_MISSES, L_CAUSE0,
       L_INVAL = L_CAUSE0 + SIM_NCAUSES, L_C2C, NL };

static struct table *groups_csv(const struct explain *ex, const struct groups *gs, bool lines)
{
	struct table_column cols[NL] = {
		[L_PROTOCOL] = { "protocol", "protocol", TABLE_LEFT },
		[L_NAME] = { lines ? "location" : "object", NULL, TABLE_LEFT },
		[L_DETAIL] = { lines ? "function" : "member", NULL, TABLE_LEFT },
		[L_EXTRA1] = { lines ? "file" : "type", NULL, TABLE_LEFT },
		[L_EXTRA2] = { lines ? "line" : "element_bytes", NULL, TABLE_RIGHT },
		[L_MODULE] = { "module", NULL, TABLE_LEFT },
		[L_OFFSET] = { lines ? "module_offset" : "address", NULL, TABLE_RIGHT },
		[L_ACCESSES] = { "accesses", NULL, TABLE_RIGHT },
		[L_MISSES] = { "misses", NULL, TABLE_RIGHT },
		[L_INVAL] = { "invalidations_sent", NULL, TABLE_RIGHT },
		[L_C2C] = { "c2c_transfers", NULL, TABLE_RIGHT },
	};
	struct table *t;

	for (int c = 0; c < SIM_NCAUSES; c++)
		cols[L_CAUSE0 + c] = (struct table_column){ cause_csv[c], NULL, TABLE_RIGHT };
	for (int c = 0; c < NL; c++)
		cols[c].title = cols[c].csv_name;
	t = table_new(cols, NL);
	for (unsigned p = 0; p < ex->nprotocols; p++) {
		for (size_t i = 0; i < gs->n; i++) {
			const struct group *g = &gs->g[i];
			const struct attr_counts *c = &g->c[p];
			const char *comma = strchr(g->extra, ',');

			table_add_row(t);
			table_set(t, L_PROTOCOL, ex->protocols[p]->name, NULL);
			table_set(t, L_NAME, g->name, NULL);
			table_set(t, L_DETAIL, g->detail, NULL);
			if (lines) {
				char file[256];

				snprintf(file, sizeof(file), "%.*s", comma ? (int)(comma - g->extra) : 0, g->extra);
				table_set(t, L_EXTRA1, file, NULL);
				table_set(t, L_EXTRA2, comma ? comma + 1 : "", NULL);
			} else {
				table_set(t, L_EXTRA1, g->extra, NULL);
				table_set(t, L_EXTRA2, "", NULL);
			}
			table_set(t, L_MODULE, g->module, NULL);
			table_setf(t, L_OFFSET, "%" PRIu64, g->offset);
			table_setf(t, L_ACCESSES, "%" PRIu64, c->accesses);
			table_setf(t, L_MISSES, "%" PRIu64, c->misses);
			for (int k = 0; k < SIM_NCAUSES; k++)
				table_setf(t, L_CAUSE0 + k, "%" PRIu64, c->cause[k]);
			table_setf(t, L_INVAL, "%" PRIu64, c->invalidations);
			table_setf(t, L_C2C, "%" PRIu64, c->c2c);
		}
	}
	return t;
}

/* The terminal's table: the top rows, misses, false and true sharing per protocol. */
static void print_top(const struct explain *ex, const struct groups *gs, const char *what, bool lines)
{
	size_t ncols = 3 + 3 * (size_t)ex->nprotocols;
	struct table_column *cols = xcalloc(ncols, sizeof(*cols));
	char **titles = xcalloc(ncols, sizeof(*titles));
	struct table *t;
	size_t shown = gs->n < ex->top ? gs->n : ex->top;

	cols[0] = (struct table_column){ "name", lines ? "location" : "object", TABLE_LEFT };
	cols[1] = (struct table_column){ "detail", lines ? "function" : "type", TABLE_LEFT };
	cols[2] = (struct table_column){ "accesses", "accesses", TABLE_RIGHT };
	for (unsigned p = 0; p < ex->nprotocols; p++) {
		static const char *const kinds[3] = { "misses", "false sh.", "true sh." };

		for (int k = 0; k < 3; k++) {
			titles[3 + 3 * p + k] = xasprintf("%s %s", kinds[k], ex->protocols[p]->name);
			cols[3 + 3 * p + k] = (struct table_column){ titles[3 + 3 * p + k], titles[3 + 3 * p + k],
								     TABLE_RIGHT };
		}
	}
	t = table_new(cols, ncols);
	for (size_t i = 0; i < shown; i++) {
		const struct group *g = &gs->g[i];
		char *name = escape_terminal_new(lines || !g->detail[0] ? g->name : g->key);
		char *detail = escape_terminal_new(lines ? g->detail : g->extra);

		table_add_row(t);
		table_set(t, 0, name, NULL);
		table_set(t, 1, detail, NULL);
		table_setf(t, 2, "%" PRIu64, g->c[0].accesses);
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			table_setf(t, 3 + 3 * p, "%" PRIu64, g->c[p].misses);
			table_setf(t, 4 + 3 * p, "%" PRIu64, g->c[p].cause[CAUSE_FALSE_SHARING]);
			table_setf(t, 5 + 3 * p, "%" PRIu64, g->c[p].cause[CAUSE_TRUE_SHARING]);
		}
		free(name);
		free(detail);
	}
	printf("\n%s by misses under %s (top %zu of %zu):\n", what, ex->protocols[0]->name, shown, gs->n);
	table_print_human(t, stdout);
	table_free(t);
	for (size_t i = 0; i < ncols; i++)
		free(titles[i]);
	free(titles);
	free(cols);
}

/* --- false sharing --- */

/* The bytes of a line that accesses touched, as disjoint runs (touches
 * that overlap are one run): the padded replay gives each run a line of
 * its own. */
struct run {
	uint16_t first, last;
};

struct fs_line {
	uint64_t line;
	uint64_t *fs; /* [protocol] */
	size_t first_touch, ntouches; /* in the sorted touches */
	struct run *runs;
	size_t nruns;
	char *objects, *locations, *threads;
};

static int by_line_then_thread(const void *a, const void *b)
{
	const struct attr_touch *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->write != y->write)
		return x->write ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int by_false_sharing(const void *a, const void *b)
{
	const struct fs_line *x = a, *y = b;

	if (x->fs[0] != y->fs[0])
		return x->fs[0] < y->fs[0] ? 1 : -1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Appends WORD to the ';'-separated list *LIST unless it is there. */
static void list_add(char **list, const char *word)
{
	char *old = *list;
	size_t len = strlen(word);

	for (const char *p = old; p && *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && strncmp(p, word, n) == 0)
			return;
		p += n + (end != NULL);
	}
	*list = old && *old ? xasprintf("%s;%s", old, word) : xstrdup(word);
	free(old);
}

/* The lines with false-sharing misses under any protocol, most first. */
static struct fs_line *false_sharing_lines(struct explain *ex, unsigned shift, size_t *nlines)
{
	size_t n = attribution_addresses(ex->a), cap = 16, count = 0;
	struct fs_line *lines = xcalloc(cap, sizeof(*lines));

	for (size_t i = 0; i < n; i++) {
		uint64_t line = attribution_address(ex->a, i) >> shift;
		struct fs_line *l = NULL;
		bool any = false;

		for (unsigned p = 0; p < ex->nprotocols; p++)
			any |= attribution_of_address(ex->a, p, i)->cause[CAUSE_FALSE_SHARING] > 0;
		if (!any)
			continue;
		for (size_t k = 0; k < count && !l; k++)
			if (lines[k].line == line)
				l = &lines[k];
		if (!l) {
			if (count == cap) {
				cap *= 2;
				lines = xrealloc(lines, cap, sizeof(*lines));
			}
			l = &lines[count++];
			memset(l, 0, sizeof(*l));
			l->line = line;
			l->fs = xcalloc(ex->nprotocols, sizeof(*l->fs));
		}
		for (unsigned p = 0; p < ex->nprotocols; p++)
			l->fs[p] += attribution_of_address(ex->a, p, i)->cause[CAUSE_FALSE_SHARING];
	}
	qsort(lines, count, sizeof(*lines), by_false_sharing);
	*nlines = count;
	return lines;
}

static int by_first(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first ? 1 : (x->last > y->last) - (x->last < y->last);
}

/* F's runs of touched bytes, from its touches T. */
static void find_runs(struct fs_line *f, const struct attr_touch *t)
{
	struct run *r = xmalloc((f->ntouches ? f->ntouches : 1) * sizeof(*r));
	size_t n = 0;

	for (size_t i = 0; i < f->ntouches; i++)
		r[i] = (struct run){ t[i].first, t[i].last };
	qsort(r, f->ntouches, sizeof(*r), by_first);
	for (size_t i = 0; i < f->ntouches; i++) {
		if (n && r[i].first <= r[n - 1].last)
			r[n - 1].last = r[i].last > r[n - 1].last ? r[i].last : r[n - 1].last;
		else
			r[n++] = r[i];
	}
	f->runs = r;
	f->nruns = n;
}

/* Finds each line's touches, whether its threads' bytes are apart, and
 * names its objects, locations and threads. */
static void describe_lines(struct explain *ex, struct fs_line *lines, size_t nlines, struct attr_touch *t,
			   size_t nt, unsigned shift)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);

	for (size_t k = 0; k < nlines; k++) {
		struct fs_line *f = &lines[k];
		size_t lo = 0, hi = nt;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (t[mid].line < f->line)
				lo = mid + 1;
			else
				hi = mid;
		}
		f->first_touch = lo;
		while (lo < nt && t[lo].line == f->line)
			lo++;
		f->ntouches = lo - f->first_touch;
		find_runs(f, t + f->first_touch);
		for (size_t i = f->first_touch; i < lo; i++) {
			struct trace_data d;
			struct trace_code c = { 0 };
			char name[400], thread[16];

			trace_symbols_data(ex->sym, (f->line << shift) + t[i].first, &d);
			data_name(&d, f->line << shift, shift, name, sizeof(name));
			list_add(&f->objects, name);
			if (t[i].loc && t[i].loc <= l->npcs) {
				trace_symbols_code(ex->sym, l->pcs[t[i].loc - 1], &c);
				code_name(&c, name, sizeof(name));
				list_add(&f->locations, name);
			}
			snprintf(thread, sizeof(thread), "%u", t[i].thread);
			list_add(&f->threads, thread);
		}
	}
}

static void print_line_finding(struct explain *ex, const struct fs_line *f, const struct attr_touch *t, unsigned shift)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);
	char *objects = escape_terminal_new(f->objects ? f->objects : "");

	printf("\nline 0x%" PRIx64 " (%s) is shared falsely:\n", f->line << shift, objects);
	free(objects);
	for (size_t i = f->first_touch; i < f->first_touch + f->ntouches && i < f->first_touch + 12; i++) {
		struct trace_data d;
		struct trace_code c = { 0 };
		char object[400], where[320];
		char *o, *w;

		trace_symbols_data(ex->sym, (f->line << shift) + t[i].first, &d);
		data_name(&d, f->line << shift, shift, object, sizeof(object));
		if (t[i].loc && t[i].loc <= l->npcs) {
			trace_symbols_code(ex->sym, l->pcs[t[i].loc - 1], &c);
			code_name(&c, where, sizeof(where));
			if (c.function[0] && c.line)
				snprintf(where + strlen(where), sizeof(where) - strlen(where), " in %s", c.function);
		} else {
			snprintf(where, sizeof(where), "(the runtime)");
		}
		o = escape_terminal_new(object);
		w = escape_terminal_new(where);
		printf("  thread %u %s bytes %u-%u (%s) at %s, %" PRIu64 " time%s\n", t[i].thread,
		       t[i].write ? "writes" : "reads", t[i].first, t[i].last, o, w, t[i].count,
		       t[i].count == 1 ? "" : "s");
		free(o);
		free(w);
	}
	if (f->ntouches > 12)
		printf("  ... and %zu more\n", f->ntouches - 12);
	printf("  false-sharing misses:");
	for (unsigned p = 0; p < ex->nprotocols; p++)
		printf("%s %" PRIu64 " under %s", p ? "," : "", f->fs[p], ex->protocols[p]->name);
	printf("\n");
	/* True sharing on the same line: what moving the runs apart keeps. */
	for (size_t k = 0; k < f->nruns; k++) {
		uint64_t ts = 0;
		struct trace_data d;
		char object[400], *o;

		for (size_t i = 0; i < attribution_addresses(ex->a); i++) {
			uint64_t a = attribution_address(ex->a, i);

			if (a >> shift == f->line && (a & ((UINT64_C(1) << shift) - 1)) >= f->runs[k].first &&
			    (a & ((UINT64_C(1) << shift) - 1)) <= f->runs[k].last)
				ts += attribution_of_address(ex->a, 0, i)->cause[CAUSE_TRUE_SHARING];
		}
		if (!ts)
			continue;
		trace_symbols_data(ex->sym, (f->line << shift) + f->runs[k].first, &d);
		data_name(&d, f->line << shift, shift, object, sizeof(object));
		o = escape_terminal_new(object);
		printf("  bytes %u-%u (%s) are also shared truly: %" PRIu64 " true-sharing misses under %s, which "
		       "moving keeps\n", f->runs[k].first, f->runs[k].last, o, ts, ex->protocols[0]->name);
		free(o);
	}
}

/* How many of F's runs of bytes lie in SYMBOL. */
static size_t runs_of(struct explain *ex, const struct fs_line *f, const char *symbol, unsigned shift)
{
	size_t n = 0;

	for (size_t k = 0; k < f->nruns; k++) {
		struct trace_data d;

		trace_symbols_data(ex->sym, (f->line << shift) + f->runs[k].first, &d);
		n += strcmp(d.symbol, symbol) == 0;
	}
	return n;
}

/* The fix in words, from the objects' types: an array of small structs
 * is padded, other objects are put on lines of their own. */
static void print_fix(struct explain *ex, const struct fs_line *lines, size_t nlines, const struct attr_touch *t,
		      unsigned shift)
{
	char *said = NULL;
	unsigned line = 1u << shift;

	for (size_t k = 0; k < nlines; k++) {
		for (size_t i = lines[k].first_touch; i < lines[k].first_touch + lines[k].ntouches; i++) {
			struct trace_data d;
			char *what;

			trace_symbols_data(ex->sym, (lines[k].line << shift) + t[i].first, &d);
			if (!d.symbol[0])
				continue;
			if (d.element && d.element < line && d.type[0])
				what = xasprintf("padding %s (%" PRIu64 " bytes, the elements of %s) to %u bytes", d.type,
						 d.element, d.symbol, line);
			else if (runs_of(ex, &lines[k], d.symbol, shift) > 1)
				what = xasprintf("spreading %s so that each thread's part has a line of its own (with -g, "
						 "the struct to pad is named)", d.symbol);
			else
				what = xasprintf("putting %s on a line of its own", d.symbol);
			if (!said || !strstr(said, what)) {
				char *safe = escape_terminal_new(what);

				printf("  fix: %s\n", safe);
				free(safe);
				list_add(&said, what);
			}
			free(what);
		}
	}
	free(said);
}

static int by_line(const void *a, const void *b)
{
	const struct fs_line *const *x = a, *const *y = b;

	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/* Where the padded replay puts ADDRESS: the run of a falsely shared line
 * it is in gets a line of its own, at the same offset. BY_LINE: the
 * lines sorted by address. */
static uint64_t padded_address(const struct fs_line *const *by_line, size_t n, uint64_t address, unsigned shift)
{
	uint64_t line = address >> shift, offset = address & ((UINT64_C(1) << shift) - 1);
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (by_line[mid]->line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || by_line[lo]->line != line)
		return address;
	for (size_t k = 0; k < by_line[lo]->nruns; k++)
		if (offset >= by_line[lo]->runs[k].first && offset <= by_line[lo]->runs[k].last)
			return PADDED_BASE + ((((uint64_t)lo << 8) + k) << shift) + offset;
	return address;
}

/* The trace replayed with each thread's part of every padded line on a
 * line of its own; its totals into AFTER. 0, or -1 with ERR. */
static int padded_replay(struct explain *ex, const struct fs_line *lines, size_t nlines, unsigned shift,
			 struct core_stats *after, struct ml_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mesilab-explain-XXXXXX", dir && *dir ? dir : "/tmp");
	struct trace_reader *in = NULL, *padded = NULL;
	struct trace_writer *w = NULL;
	const struct trace_record *recs;
	const struct fs_line **sorted = xmalloc((nlines ? nlines : 1) * sizeof(*sorted));
	struct sim *s = NULL;
	int fd = mkstemp(path), rc = -1;
	ssize_t n;

	if (fd < 0) {
		ml_error_set(err, "%s: cannot create a temporary file: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	close(fd);
	for (size_t k = 0; k < nlines; k++)
		sorted[k] = &lines[k];
	qsort(sorted, nlines, sizeof(*sorted), by_line);
	if (!(in = trace_reader_open(ex->path, err)) || !(w = trace_writer_open(path, trace_reader_header(in), err)))
		goto out;
	while ((n = trace_reader_batch(in, &recs, err)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			struct trace_record r = recs[i];

			r.address = padded_address(sorted, nlines, r.address, shift);
			trace_writer_add(w, &r);
		}
	}
	if (n < 0)
		goto out;
	if (trace_writer_close(w, err) < 0) {
		w = NULL;
		goto out;
	}
	w = NULL;
	if (!(padded = trace_reader_open(path, err)))
		goto out;
	s = sim_new(ex->cfg, ex->protocols, ex->nprotocols);
	if (sim_replay(s, padded, err) == UINT64_MAX)
		goto out;
	progress_done();
	for (unsigned p = 0; p < ex->nprotocols; p++)
		sim_total_stats(s, p, &after[p]);
	rc = 0;
out:
	if (w) {
		struct ml_error ignored;

		trace_writer_close(w, &ignored);
	}
	sim_free(s);
	trace_reader_close(in);
	trace_reader_close(padded);
	unlink(path);
	free(path);
	free(sorted);
	return rc;
}

enum { F_LINE, F_PROTOCOL, F_FS, F_THREADS, F_OBJECTS, F_LOCATIONS, F_PADDED, F_MISSES_BEFORE, F_MISSES_AFTER,
       F_FS_BEFORE, F_FS_AFTER, NF };

static struct table *falseshare_csv(const struct explain *ex, const struct fs_line *lines, size_t nlines,
				    unsigned shift, const struct core_stats *before, const struct core_stats *after,
				    bool replayed)
{
	static const struct table_column cols[NF] = {
		[F_LINE] = { "line_address", "line_address", TABLE_RIGHT },
		[F_PROTOCOL] = { "protocol", "protocol", TABLE_LEFT },
		[F_FS] = { "misses_false_sharing", "misses_false_sharing", TABLE_RIGHT },
		[F_THREADS] = { "threads", "threads", TABLE_LEFT },
		[F_OBJECTS] = { "objects", "objects", TABLE_LEFT },
		[F_LOCATIONS] = { "locations", "locations", TABLE_LEFT },
		[F_PADDED] = { "byte_runs", "byte_runs", TABLE_RIGHT },
		[F_MISSES_BEFORE] = { "run_misses", "run_misses", TABLE_RIGHT },
		[F_MISSES_AFTER] = { "run_misses_padded", "run_misses_padded", TABLE_RIGHT },
		[F_FS_BEFORE] = { "run_misses_false_sharing", "run_misses_false_sharing", TABLE_RIGHT },
		[F_FS_AFTER] = { "run_misses_false_sharing_padded", "run_misses_false_sharing_padded", TABLE_RIGHT },
	};
	struct table *t = table_new(cols, NF);

	for (size_t k = 0; k < nlines; k++) {
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			table_add_row(t);
			table_setf(t, F_LINE, "%" PRIu64, lines[k].line << shift);
			table_set(t, F_PROTOCOL, ex->protocols[p]->name, NULL);
			table_setf(t, F_FS, "%" PRIu64, lines[k].fs[p]);
			table_set(t, F_THREADS, lines[k].threads ? lines[k].threads : "", NULL);
			table_set(t, F_OBJECTS, lines[k].objects ? lines[k].objects : "", NULL);
			table_set(t, F_LOCATIONS, lines[k].locations ? lines[k].locations : "", NULL);
			table_setf(t, F_PADDED, "%zu", lines[k].nruns);
			table_setf(t, F_MISSES_BEFORE, "%" PRIu64, before[p].misses);
			table_setf(t, F_FS_BEFORE, "%" PRIu64, before[p].cause[CAUSE_FALSE_SHARING]);
			if (replayed) {
				table_setf(t, F_MISSES_AFTER, "%" PRIu64, after[p].misses);
				table_setf(t, F_FS_AFTER, "%" PRIu64, after[p].cause[CAUSE_FALSE_SHARING]);
			} else {
				table_set(t, F_MISSES_AFTER, "", NULL);
				table_set(t, F_FS_AFTER, "", NULL);
			}
		}
	}
	return t;
}

/* True sharing in words: the top code lines and objects it is at. */
static void print_true_sharing(const struct explain *ex, const struct groups *lines, const struct groups *objects)
{
	const struct groups *both[2] = { lines, objects };
	bool any = false;

	for (int k = 0; k < 2; k++) {
		unsigned said = 0;

		for (size_t i = 0; i < both[k]->n && said < 3; i++) {
			const struct group *g = &both[k]->g[i];
			bool in_function;
			char *name;

			if (!g->c[0].cause[CAUSE_TRUE_SHARING])
				continue;
			if (!any)
				printf("\ntrue sharing (the same bytes used by several threads, one writing: a lock, a shared "
				       "counter; moving data cannot remove it):\n");
			any = true;
			name = escape_terminal_new(k == 0 ? g->name : g->key);
			in_function = k == 0 && g->detail[0] && strcmp(g->detail, g->name) != 0;
			printf("  %s %s%s%s: %" PRIu64 " true-sharing misses under %s\n", k == 0 ? "at" : "on", name,
			       in_function ? " in " : "", in_function ? g->detail : "",
			       g->c[0].cause[CAUSE_TRUE_SHARING], ex->protocols[0]->name);
			free(name);
			said++;
		}
	}
}

int explain_report(struct explain *ex, struct rundir *run, struct ml_error *err)
{
	unsigned shift = shift_of(ex->cfg->l1.line);
	struct groups lines = { 0 }, objects = { 0 };
	struct core_stats before[SIM_MAX_PROTOCOLS], after[SIM_MAX_PROTOCOLS];
	const struct attr_touch *touches;
	struct attr_touch *sorted;
	size_t ntouch = attribution_touches(ex->a, &touches), nfs;
	struct fs_line *fs;
	struct table *t;
	bool replayed = false;
	int rc = 0;

	code_lines(ex, &lines);
	data_objects(ex, &objects);
	sorted = xmalloc((ntouch ? ntouch : 1) * sizeof(*sorted));
	memcpy(sorted, touches, ntouch * sizeof(*sorted));
	qsort(sorted, ntouch, sizeof(*sorted), by_line_then_thread);
	fs = false_sharing_lines(ex, shift, &nfs);
	describe_lines(ex, fs, nfs, sorted, ntouch, shift);
	for (unsigned p = 0; p < ex->nprotocols; p++)
		sim_total_stats(ex->s, p, &before[p]);
	if (nfs) {
		if (padded_replay(ex, fs, nfs, shift, after, err) < 0)
			rc = -1;
		else
			replayed = true;
	}

	{
		char *name = escape_terminal_new(trace_reader_name(ex->trace)), *order = escape_terminal_new(ex->order);

		printf("%s: %" PRIu64 " accesses of %u threads, %u-byte lines\norder: %s\n", name, ex->accesses,
		       trace_reader_header(ex->trace)->threads, 1u << shift, order);
		free(name);
		free(order);
	}
	if (!trace_symbols_available())
		printf("(built without libdw: code and data are named by module and offset)\n");
	if (attribution_truncated(ex->a))
		printf("(more distinct addresses than explain keeps: the objects table leaves the rest out)\n");
	print_top(ex, &lines, "code lines", true);
	print_top(ex, &objects, "data objects", false);
	if (nfs == 0)
		printf("\nno false sharing under %s%s\n", ex->nprotocols == 1 ? "this protocol" : "these protocols",
		       ex->cfg->order == SIM_ORDER_SYNCED ? " in this order (where the traced run kept its threads apart, "
							    "--order timed replays them side by side)" : "");
	for (size_t k = 0; k < nfs && k < ex->top; k++)
		print_line_finding(ex, &fs[k], sorted, shift);
	if (nfs > ex->top)
		printf("\n... and %zu more falsely shared lines (explain-falseshare.csv)\n", nfs - ex->top);
	if (replayed) {
		printf("\nthe trace replayed with each run of bytes of the %zu falsely shared line%s on a line of its "
		       "own:\n", nfs, nfs == 1 ? "" : "s");
		print_fix(ex, fs, nfs, sorted, shift);
		for (unsigned p = 0; p < ex->nprotocols; p++)
			printf("  under %s: misses %" PRIu64 " -> %" PRIu64 " (%+" PRId64 "), false sharing %" PRIu64
			       " -> %" PRIu64 "\n", ex->protocols[p]->name, before[p].misses, after[p].misses,
			       (int64_t)after[p].misses - (int64_t)before[p].misses, before[p].cause[CAUSE_FALSE_SHARING],
			       after[p].cause[CAUSE_FALSE_SHARING]);
	}
	print_true_sharing(ex, &lines, &objects);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ml_error_set(err, "standard output: cannot write: %s", strerror(errno ? errno : EIO));
		rc = -1;
	}

	if (rc == 0) {
		t = groups_csv(ex, &lines, true);
		rc = rundir_save_table(run, "explain-lines.csv", t, err);
		table_free(t);
	}
	if (rc == 0) {
		t = groups_csv(ex, &objects, false);
		rc = rundir_save_table(run, "explain-objects.csv", t, err);
		table_free(t);
	}
	if (rc == 0) {
		t = falseshare_csv(ex, fs, nfs, shift, before, after, replayed);
		rc = rundir_save_table(run, "explain-falseshare.csv", t, err);
		table_free(t);
	}
	for (size_t k = 0; k < nfs; k++) {
		free(fs[k].fs);
		free(fs[k].objects);
		free(fs[k].locations);
		free(fs[k].threads);
		free(fs[k].runs);
	}
	free(fs);
	free(sorted);
	groups_free(&lines);
	groups_free(&objects);
	return rc < 0 ? -1 : 0;
}
