#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "explain_latent.h"
#include "explain_names.h"
#include "explain_replay.h"
#include "explain_report.h"
#include "explain_saving.h"
#include "interrupt.h"
#include "progress.h"
#include "replay.h"
#include "table.h"
#include "xalloc.h"

/* Where the padded replay puts the runs of bytes of the falsely shared
 * lines: above any user-space address (below 2^56 even with five-level
 * page tables), and below what the simulator's tags hold (2^62); a region
 * of 2^40 bytes for each set of threads. */
#define PADDED_BASE (UINT64_C(1) << 56)
#define PADDED_REGION_SHIFT 40

static const char *const cause_csv[SIM_NCAUSES] = {
	"misses_cold", "misses_capacity", "misses_conflict", "misses_true_sharing", "misses_false_sharing",
};

/* A row of a table: what it names, and its counts under each protocol. */
struct group {
	char *key;       /* what rows are merged by */
	char *name;      /* location or object */
	char *detail;    /* function, or member */
	char *extra;     /* file:line's parts, or the object's type */
	uint64_t element; /* an array object's element size (trace_data's), 0: none or unknown */
	char module[128];
	uint64_t offset; /* in the module, or the lowest address */
	struct attr_counts *c; /* [protocol] */
};

/* The groups, found by key through an open-addressing index (slot ->
 * group number + 1), at most half full. */
struct groups {
	struct group *g;
	size_t n, cap;
	uint32_t *slot;
	size_t mask;
	unsigned nprotocols;
};

static uint64_t key_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3u;
	return h;
}

static void groups_index(struct groups *gs, size_t slots)
{
	free(gs->slot);
	gs->slot = xcalloc(slots, sizeof(*gs->slot));
	gs->mask = slots - 1;
	for (size_t i = 0; i < gs->n; i++) {
		size_t s = key_hash(gs->g[i].key) & gs->mask;

		while (gs->slot[s])
			s = (s + 1) & gs->mask;
		gs->slot[s] = (uint32_t)i + 1;
	}
}

static struct group *group_of(struct groups *gs, const char *key)
{
	size_t s;

	if (!gs->slot)
		groups_index(gs, 1024);
	for (s = key_hash(key) & gs->mask; gs->slot[s]; s = (s + 1) & gs->mask)
		if (strcmp(gs->g[gs->slot[s] - 1].key, key) == 0)
			return &gs->g[gs->slot[s] - 1];
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 64;
		gs->g = xrealloc(gs->g, gs->cap, sizeof(*gs->g));
	}
	memset(&gs->g[gs->n], 0, sizeof(gs->g[0]));
	gs->g[gs->n].key = xstrdup(key);
	gs->g[gs->n].c = xcalloc(gs->nprotocols, sizeof(struct attr_counts));
	gs->n++;
	if (2 * gs->n > gs->mask + 1)
		groups_index(gs, 2 * (gs->mask + 1));
	else
		gs->slot[s] = (uint32_t)gs->n;
	return &gs->g[gs->n - 1];
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
	free(gs->slot);
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

/* The code lines; the modules whose code has no line numbers (built
 * without -g) into *NO_DEBUG, ';'-separated. */
/* FUNCTION added to the functions *DETAIL of a code line: a line of a
 * function inlined into several is said once with its callers, "bump
 * (inlined into count_up, count_down)"; others as a ';'-separated list. */
static void add_function(char **detail, const char *function)
{
	static const char mark[] = " (inlined into ";
	const char *at = strstr(function, mark), *callers;
	size_t head = at ? (size_t)(at - function) + sizeof(mark) - 1 : 0, len = strlen(*detail);
	char *merged;

	if (!at || strncmp(*detail, function, head) != 0 || len < head + 1 || (*detail)[len - 1] != ')') {
		explain_list_add(detail, function);
		return;
	}
	callers = function + head;
	/* Its caller already said: "count_up)" at the end or "count_up, " within. */
	for (const char *p = *detail + head; p && *p; p = strstr(p, ", ")) {
		size_t n = strlen(callers) - 1;

		p += p[0] == ',' ? 2 : 0;
		if (strncmp(p, callers, n) == 0 && (p[n] == ')' || p[n] == ','))
			return;
	}
	merged = xasprintf("%.*s, %s", (int)(len - 1), *detail, callers);
	free(*detail);
	*detail = merged;
}

static void code_lines(struct explain *ex, struct groups *gs, char **no_debug)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);

	gs->nprotocols = ex->nprotocols;
	for (uint32_t loc = 0; loc <= l->npcs; loc++) {
		struct trace_code c;
		struct group *g;
		char key[320];
		bool used = false;

		for (unsigned p = 0; p < ex->nprotocols; p++)
			used |= attribution_of_loc(ex->a, p, loc)->accesses > 0;
		if (!used)
			continue;
		if (!explain_code(ex, loc, &c))
			snprintf(key, sizeof(key), "(runtime)");
		else
			explain_code_name(&c, key, sizeof(key));
		if (!c.line && c.module[0])
			explain_list_add(no_debug, c.module);
		g = group_of(gs, key);
		if (!g->name) {
			g->name = xstrdup(key);
			g->detail = xstrdup(c.function);
			g->extra = c.line ? xasprintf("%s,%u", c.file, c.line) : xstrdup(",");
			snprintf(g->module, sizeof(g->module), "%s", c.module);
			g->offset = c.offset;
		} else if (c.function[0]) {
			add_function(&g->detail, c.function);
		}
		for (unsigned p = 0; p < ex->nprotocols; p++)
			attr_counts_add(&g->c[p], attribution_of_loc(ex->a, p, loc));
	}
	if (gs->n > 1) /* none: no array at all */
		qsort(gs->g, gs->n, sizeof(*gs->g), by_misses); /* the index is not used after */
}

static void data_objects(struct explain *ex, struct groups *gs)
{
	size_t n = attribution_addresses(ex->a);
	unsigned shift = explain_shift_of(ex->cfg->l1.line);

	gs->nprotocols = ex->nprotocols;
	for (size_t i = 0; i < n; i++) {
		uint64_t address = attribution_address(ex->a, i);
		struct trace_data d;
		struct group *g;
		char key[400];

		explain_object_name(ex, address, shift, &d, key, sizeof(key));
		g = group_of(gs, key);
		if (!g->name) {
			g->name = xstrdup(d.symbol[0] ? d.symbol : key);
			g->detail = xstrdup(d.member);
			g->extra = xstrdup(d.type);
			g->element = d.element;
			snprintf(g->module, sizeof(g->module), "%s", d.module);
			g->offset = address;
		}
		g->offset = address < g->offset ? address : g->offset;
		for (unsigned p = 0; p < ex->nprotocols; p++)
			attr_counts_add(&g->c[p], attribution_of_address(ex->a, p, i));
	}
	if (gs->n > 1) /* none: no array at all */
		qsort(gs->g, gs->n, sizeof(*gs->g), by_misses); /* the index is not used after */
}

/* The CSV of groups: a row per group and protocol. */
enum { L_PROTOCOL, L_NAME, L_DETAIL, L_EXTRA1, L_EXTRA2, L_MODULE, L_OFFSET, L_ACCESSES, L_MISSES, L_CAUSE0,
       L_INVAL = L_CAUSE0 + SIM_NCAUSES, L_INVAL_RECEIVED, L_C2C, L_CYCLES, L_UPDATES, L_UPDATES_RECEIVED,
       L_UPDATE_CYCLES, NL };

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
		[L_INVAL_RECEIVED] = { "invalidations_received", NULL, TABLE_RIGHT },
		[L_C2C] = { "c2c_transfers", NULL, TABLE_RIGHT },
		[L_CYCLES] = { "cycles", NULL, TABLE_RIGHT },
		[L_UPDATES] = { "updates_sent", NULL, TABLE_RIGHT },
		[L_UPDATES_RECEIVED] = { "updates_received", NULL, TABLE_RIGHT },
		[L_UPDATE_CYCLES] = { "update_cycles", NULL, TABLE_RIGHT },
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
				if (g->element)
					table_setf(t, L_EXTRA2, "%" PRIu64, g->element);
				else
					table_set(t, L_EXTRA2, "", NULL);
			}
			table_set(t, L_MODULE, g->module, NULL);
			table_setf(t, L_OFFSET, "%" PRIu64, g->offset);
			table_setf(t, L_ACCESSES, "%" PRIu64, c->accesses);
			table_setf(t, L_MISSES, "%" PRIu64, c->misses);
			for (int k = 0; k < SIM_NCAUSES; k++)
				table_setf(t, L_CAUSE0 + k, "%" PRIu64, c->cause[k]);
			table_setf(t, L_INVAL, "%" PRIu64, c->invalidations);
			table_setf(t, L_INVAL_RECEIVED, "%" PRIu64, c->invalidations_received);
			table_setf(t, L_C2C, "%" PRIu64, c->c2c);
			table_setf(t, L_CYCLES, "%" PRIu64, c->cycles);
			table_setf(t, L_UPDATES, "%" PRIu64, c->updates);
			table_setf(t, L_UPDATES_RECEIVED, "%" PRIu64, c->updates_received);
			table_setf(t, L_UPDATE_CYCLES, "%" PRIu64, c->update_cycles);
		}
	}
	return t;
}

/* A cell of the terminal's table: TEXT escaped, cut to 60 characters (a
 * C++ function's name can fill a screen; the CSVs have it whole). */
static char *cell(const char *text)
{
	char *cut = strlen(text) > 60 ? xasprintf("%.57s...", text) : xstrdup(text);
	char *safe = escape_terminal_new(cut);

	free(cut);
	return safe;
}

/* PART of WHOLE in percent, "61.0%"; a share too small to show one
 * decimal is "<0.1%", not "0.0%". */
static void percent(char *buf, size_t len, uint64_t part, uint64_t whole)
{
	double share = whole ? 100.0 * (double)part / (double)whole : 0;

	if (part && share < 0.05)
		snprintf(buf, len, "<0.1%%");
	else
		snprintf(buf, len, "%.1f%%", share);
}

/* Whether P's writes update the other copies (Dragon's BusUpd) rather
 * than invalidate them: its sharing costs updates, not misses. */
static bool sends_updates(const struct protocol *p)
{
	for (unsigned st = 0; st < p->nstates; st++)
		if (p->proc[st][PROC_WRITE].defined &&
		    (p->proc[st][PROC_WRITE].bus == BUS_UPD || p->proc[st][PROC_WRITE].then_bus[0] == BUS_UPD ||
		     p->proc[st][PROC_WRITE].then_bus[1] == BUS_UPD))
			return true;
	return false;
}

/* Whether some protocol replayed invalidates copies: the one whose
 * misses find false sharing. */
static bool invalidates(const struct explain *ex)
{
	for (unsigned p = 0; p < ex->nprotocols; p++)
		if (!sends_updates(ex->protocols[p]))
			return true;
	return false;
}

#define TOP_KINDS 5 /* the terminal table's columns per protocol */

/* The terminal's table: the top rows, misses, false and true sharing,
 * the invalidations received (the copies its accesses lost; under an
 * update protocol the updates its writes sent) and the modelled cycles
 * with their share of the program's, per protocol. */
static void print_top(const struct explain *ex, const struct groups *gs, const char *what, bool lines)
{
	size_t ncols = 3 + TOP_KINDS * (size_t)ex->nprotocols;
	struct table_column *cols = xcalloc(ncols, sizeof(*cols));
	char **titles = xcalloc(ncols, sizeof(*titles));
	struct table *t;
	size_t shown = gs->n < ex->top ? gs->n : ex->top;

	cols[0] = (struct table_column){ "name", lines ? "location" : "object", TABLE_LEFT };
	cols[1] = (struct table_column){ "detail", lines ? "function" : "type", TABLE_LEFT };
	cols[2] = (struct table_column){ "accesses", "accesses", TABLE_RIGHT };
	for (unsigned p = 0; p < ex->nprotocols; p++) {
		static const char *const kinds[TOP_KINDS] = { "misses", "false sh.", "true sh.", "inval. recv.",
							      "cycles" };

		for (int k = 0; k < TOP_KINDS; k++) {
			size_t col = 3 + TOP_KINDS * p + (size_t)k;
			bool updates = k == 3 && sends_updates(ex->protocols[p]);

			titles[col] = xasprintf("%s %s", updates ? "updates" : kinds[k], ex->protocols[p]->name);
			cols[col] = (struct table_column){ titles[col], titles[col], TABLE_RIGHT };
		}
	}
	t = table_new(cols, ncols);
	for (size_t i = 0; i < shown; i++) {
		const struct group *g = &gs->g[i];
		char *name = cell(lines || !g->detail[0] ? g->name : g->key);
		char *detail = cell(lines ? g->detail : g->extra);
		char share[16];

		table_add_row(t);
		table_set(t, 0, name, NULL);
		table_set(t, 1, detail, NULL);
		table_setf(t, 2, "%" PRIu64, g->c[0].accesses);
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			size_t col = 3 + TOP_KINDS * p;

			table_setf(t, col, "%" PRIu64, g->c[p].misses);
			table_setf(t, col + 1, "%" PRIu64, g->c[p].cause[CAUSE_FALSE_SHARING]);
			table_setf(t, col + 2, "%" PRIu64, g->c[p].cause[CAUSE_TRUE_SHARING]);
			table_setf(t, col + 3, "%" PRIu64,
				   sends_updates(ex->protocols[p]) ? g->c[p].updates : g->c[p].invalidations_received);
			percent(share, sizeof(share), g->c[p].cycles, ex->cycles[p]);
			table_setf(t, col + 4, "%" PRIu64 " (%s)", g->c[p].cycles, share);
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

/* The bytes of a line that accesses touched, as runs of bytes the same
 * threads touched: the padded replay regroups the runs by their threads,
 * so that each thread's data lies together on lines of its own. */
struct run {
	uint16_t first, last;
	uint64_t threads;     /* a bit per thread (modulo 64) */
	uint64_t padded;      /* the address of its first byte in the padded replay */
};

struct fs_line {
	uint64_t line;
	uint64_t *fs; /* [protocol] */
	/* [protocol] the cycles of its accesses, and of its false-sharing misses */
	uint64_t *cycles, *fs_cycles;
	/* [protocol] what it costs an update protocol: the updates its writes
	 * sent to the line's copies in other caches, and their cycles */
	uint64_t *fs_updates, *fs_update_cycles;
	size_t first_touch, ntouches; /* in the sorted touches */
	struct run *runs;
	size_t nruns;
	char *objects, *locations, *threads;
	char *fixes; /* what would keep its threads' bytes apart (find_fixes), NULL: none */
};

static int by_false_sharing(const void *a, const void *b)
{
	const struct fs_line *x = a, *y = b;
	if (x->fs[0] != y->fs[0])
		return x->fs[0] < y->fs[0] ? 1 : -1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The attribution's address entries in address order (qsort's context
 * through a file-scope pointer would not be reentrant: a merge sort of
 * indices keeps it local). */
static void sort_by_address(const struct attribution *a, size_t *idx, size_t *tmp, size_t n)
{
	if (n < 2)
		return;
	sort_by_address(a, idx, tmp, n / 2);
	sort_by_address(a, idx + n / 2, tmp, n - n / 2);
	for (size_t i = 0, j = n / 2, k = 0; k < n; k++)
		tmp[k] = j == n || (i < n / 2 && attribution_address(a, idx[i]) <= attribution_address(a, idx[j]))
				 ? idx[i++] : idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

/* The first of the sorted entries at or above ADDRESS. */
static size_t first_at(const struct explain *ex, uint64_t address)
{
	size_t lo = 0, hi = ex->naddresses;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (attribution_address(ex->a, ex->by_address[mid]) < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The lines with false-sharing misses under any protocol, most first. An
 * update protocol's writes keep the copies valid and miss nothing: its
 * false sharing is found by an invalidation protocol's misses, and costs
 * it the updates of those lines (line_updates). */
static struct fs_line *false_sharing_lines(struct explain *ex, unsigned shift, size_t *nlines)
{
	size_t cap = 16, count = 0;
	struct fs_line *lines = xcalloc(cap, sizeof(*lines));

	for (size_t k = 0; k < ex->naddresses; k++) {
		size_t i = ex->by_address[k];
		uint64_t line = attribution_address(ex->a, i) >> shift;
		bool any = false;

		for (unsigned p = 0; p < ex->nprotocols; p++)
			any |= attribution_of_address(ex->a, p, i)->cause[CAUSE_FALSE_SHARING] > 0;
		if (!any)
			continue;
		/* In address order: a line's entries are together. */
		if (!count || lines[count - 1].line != line) {
			if (count == cap) {
				cap *= 2;
				lines = xrealloc(lines, cap, sizeof(*lines));
			}
			memset(&lines[count], 0, sizeof(lines[0]));
			lines[count].line = line;
			lines[count].fs = xcalloc(ex->nprotocols, sizeof(*lines[count].fs));
			count++;
		}
		for (unsigned p = 0; p < ex->nprotocols; p++)
			lines[count - 1].fs[p] += attribution_of_address(ex->a, p, i)->cause[CAUSE_FALSE_SHARING];
	}
	/* Their cycles, from every entry on them (those without false sharing
	 * too): both in address order. */
	for (size_t k = 0; k < count; k++) {
		lines[k].cycles = xcalloc(ex->nprotocols, sizeof(*lines[k].cycles));
		lines[k].fs_cycles = xcalloc(ex->nprotocols, sizeof(*lines[k].fs_cycles));
		lines[k].fs_updates = xcalloc(ex->nprotocols, sizeof(*lines[k].fs_updates));
		lines[k].fs_update_cycles = xcalloc(ex->nprotocols, sizeof(*lines[k].fs_update_cycles));
	}
	for (size_t k = 0, j = 0; k < ex->naddresses && j < count; k++) {
		size_t i = ex->by_address[k];
		uint64_t line = attribution_address(ex->a, i) >> shift;

		while (j < count && lines[j].line < line)
			j++;
		if (j == count || lines[j].line != line)
			continue;
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			const struct attr_counts *c = attribution_of_address(ex->a, p, i);

			lines[j].cycles[p] += c->cycles;
			lines[j].fs_cycles[p] += c->cause_cycles[CAUSE_FALSE_SHARING];
			lines[j].fs_updates[p] += c->updates;
			lines[j].fs_update_cycles[p] += c->update_cycles;
		}
	}
	if (count > 1)
		qsort(lines, count, sizeof(*lines), by_false_sharing);
	*nlines = count;
	return lines;
}

/* F's runs of bytes, from its touches T: a run ends where the set of
 * threads touching the bytes changes (the simulator has at most 64 cores). */
static void find_runs(struct fs_line *f, const struct attr_touch *t)
{
	uint64_t threads[ATTR_MAX_LINE] = { 0 };
	struct run *r = xmalloc(ATTR_MAX_LINE * sizeof(*r));
	size_t n = 0;

	for (size_t i = 0; i < f->ntouches; i++)
		for (unsigned b = t[i].first; b <= t[i].last; b++)
			if (t[i].bytes[b / 64] >> (b % 64) & 1)
				threads[b] |= UINT64_C(1) << (t[i].thread % 64);
	for (unsigned b = 0; b < ATTR_MAX_LINE; b++) {
		if (!threads[b])
			continue;
		if (n && r[n - 1].last + 1u == b && r[n - 1].threads == threads[b])
			r[n - 1].last = (uint16_t)b;
		else
			r[n++] = (struct run){ (uint16_t)b, (uint16_t)b, threads[b], 0 };
	}
	f->runs = r;
	f->nruns = n;
}

/* Finds each line's touches, whether its threads' bytes are apart, and
 * names its objects, locations and threads. */
static void describe_lines(struct explain *ex, struct fs_line *lines, size_t nlines, struct attr_touch *t,
			   size_t nt, unsigned shift)
{
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
			struct trace_code c;
			char name[400], thread[16];

			explain_touch_objects(ex, &t[i], f->line << shift, shift, &f->objects);
			if (explain_code(ex, t[i].loc, &c)) {
				explain_code_name(&c, name, sizeof(name));
				explain_list_add(&f->locations, name);
			}
			snprintf(thread, sizeof(thread), "%u", t[i].thread);
			explain_list_add(&f->threads, thread);
		}
	}
}

static void fs_line_free(struct fs_line *f)
{
	free(f->fs);
	free(f->cycles);
	free(f->fs_cycles);
	free(f->fs_updates);
	free(f->fs_update_cycles);
	free(f->objects);
	free(f->locations);
	free(f->threads);
	free(f->fixes);
	free(f->runs);
}

/* The run of F's bytes that holds byte OFFSET, NULL: none. */
static const struct run *run_at(const struct fs_line *f, uint64_t offset)
{
	for (size_t k = 0; k < f->nruns; k++)
		if (offset >= f->runs[k].first && offset <= f->runs[k].last)
			return &f->runs[k];
	return NULL;
}

#define TOUCHES_SHOWN 12 /* a finding's touches on the terminal */

/* Which of the N touches T a finding shows (SHOWN[i]): the TOUCHES_SHOWN
 * of the most accesses, the first in their order on a tie (main's
 * single reads of the results must not hide the workers' writes). */
static void choose_shown(const struct attr_touch *t, size_t n, bool *shown)
{
	for (size_t i = 0; i < n; i++) {
		size_t above = 0;

		/* Touches before it in the order that it does not beat, and
		 * after it that beat it: a rank without a sort. */
		for (size_t j = 0; j < n && above < TOUCHES_SHOWN; j++)
			above += j < i ? t[j].count >= t[i].count : t[j].count > t[i].count;
		shown[i] = above < TOUCHES_SHOWN;
	}
}

static void print_line_finding(struct explain *ex, const struct fs_line *f, const struct attr_touch *t, unsigned shift)
{
	char *objects = escape_terminal_new(f->objects ? f->objects : "");
	bool *chosen = xcalloc(f->ntouches ? f->ntouches : 1, sizeof(*chosen));
	size_t shown = 0;

	choose_shown(t + f->first_touch, f->ntouches, chosen);

	printf("\nline 0x%" PRIx64 " (%s) is shared falsely:\n", f->line << shift, objects);
	free(objects);
	for (size_t i = f->first_touch; i < f->first_touch + f->ntouches && shown < TOUCHES_SHOWN; i++) {
		char where[1024], bytes[2048];
		char *w;

		if (!chosen[i - f->first_touch])
			continue;
		shown++;
		explain_where(ex, t[i].loc, where, sizeof(where));
		w = escape_terminal_new(where);
		explain_touched_bytes(ex, &t[i], f->line << shift, shift, bytes, sizeof(bytes));
		printf("  thread %u %s %s at %s, %" PRIu64 " time%s\n", t[i].thread, t[i].write ? "writes" : "reads",
		       bytes, w, t[i].count, t[i].count == 1 ? "" : "s");
		free(w);
	}
	free(chosen);
	if (f->ntouches > shown)
		printf("  ... and %zu more, of fewer accesses\n", f->ntouches - shown);
	/* What it costs: the false-sharing misses' cycles (and an update
	 * protocol's useless updates'), and the line's. */
	for (unsigned p = 0; p < ex->nprotocols; p++) {
		char fs_share[16], line_share[16], updates[96] = "";
		uint64_t cost = f->fs_cycles[p] + f->fs_update_cycles[p];

		if (sends_updates(ex->protocols[p]))
			snprintf(updates, sizeof(updates), ", %" PRIu64 " %s of its copies in other caches",
				 f->fs_updates[p], explain_plural(f->fs_updates[p], "update", "updates"));
		percent(fs_share, sizeof(fs_share), cost, ex->cycles[p]);
		percent(line_share, sizeof(line_share), f->cycles[p], ex->cycles[p]);
		printf("  under %s: %" PRIu64 " false-sharing %s%s, %" PRIu64 " cycles, %s of the program's modelled "
		       "memory cycles (every access to the line: %" PRIu64 " cycles, %s)\n", ex->protocols[p]->name,
		       f->fs[p], explain_plural(f->fs[p], "miss", "misses"), updates, cost, fs_share, f->cycles[p],
		       line_share);
	}
	/* True sharing on the same line: what moving the runs apart keeps. */
	for (size_t k = 0; k < f->nruns; k++) {
		uint64_t ts = 0, base = f->line << shift;
		unsigned first = f->runs[k].first, last = f->runs[k].last;
		char object[400], bytes[32], *o;

		for (size_t j = first_at(ex, base + first); j < ex->naddresses &&
		     attribution_address(ex->a, ex->by_address[j]) <= base + last; j++)
			ts += attribution_of_address(ex->a, 0, ex->by_address[j])->cause[CAUSE_TRUE_SHARING];
		if (!ts)
			continue;
		explain_range_name(ex, base, first, last, shift, object, sizeof(object));
		o = escape_terminal_new(object);
		if (first == last)
			snprintf(bytes, sizeof(bytes), "byte %u (", first);
		else
			snprintf(bytes, sizeof(bytes), "bytes %u-%u (", first, last);
		printf("  %s%s) %s also shared truly: %" PRIu64 " true-sharing %s under %s, which moving keeps\n", bytes, o,
		       first == last ? "is" : "are", ts, explain_plural(ts, "miss", "misses"), ex->protocols[0]->name);
		free(o);
	}
}

/* How many of F's runs of bytes lie in SYMBOL. */
static size_t runs_of(struct explain *ex, const struct fs_line *f, const char *symbol, unsigned shift)
{
	size_t n = 0;

	for (size_t k = 0; k < f->nruns; k++) {
		struct trace_data d;

		explain_data(ex, (f->line << shift) + f->runs[k].first, &d);
		n += strcmp(d.symbol, symbol) == 0;
	}
	return n;
}

/* The accesses of F's touches T by the threads of MASK (a bit per thread,
 * modulo 64) to bytes of run R. */
static uint64_t run_accesses(const struct fs_line *f, const struct attr_touch *t, const struct run *r, uint64_t mask)
{
	uint64_t n = 0;

	for (size_t i = f->first_touch; i < f->first_touch + f->ntouches; i++) {
		bool in = false;

		if (!(mask >> (t[i].thread % 64) & 1))
			continue;
		for (unsigned b = r->first; b <= r->last && !in; b++)
			in = t[i].bytes[b / 64] >> (b % 64) & 1;
		n += in ? t[i].count : 0;
	}
	return n;
}

/* The array whose elements F's runs of bytes in SYMBOL differ in where
 * their threads differ (st.hits of st.hits[0] and st.hits[1]; grid of
 * grid[0][1] and grid[1][1]), into *A, and PATH, the symbol and the member
 * up to it ("st.hits", "pair[0].hits"). Of the pairs of runs of other
 * threads, the index that tells apart the pair of the most accesses by
 * the threads they do not share decides, the deepest on a tie: main's
 * single read of grid[3][1] after the joins splits row 3 in two, and
 * must not make the fix grid[3]'s elements where the workers' rows
 * differ. False when no index tells them apart (the threads use members
 * of one element) or without debug information. */
static bool differing_array(struct explain *ex, const struct fs_line *f, const struct attr_touch *t,
			    const char *symbol, unsigned shift, struct trace_array *a, char *path, size_t len)
{
	struct trace_data *d = xmalloc((f->nruns ? f->nruns : 1) * sizeof(*d));
	uint64_t best = 0;
	bool found = false;

	for (size_t k = 0; k < f->nruns; k++)
		explain_data(ex, (f->line << shift) + f->runs[k].first, &d[k]);
	for (size_t i = 0; i < f->nruns; i++)
		for (size_t j = i + 1; j < f->nruns; j++) {
			uint64_t apart = f->runs[i].threads ^ f->runs[j].threads, weight;
			size_t p = 0;

			if (!apart || strcmp(d[i].symbol, symbol) != 0 || strcmp(d[j].symbol, symbol) != 0)
				continue;
			weight = run_accesses(f, t, &f->runs[i], apart) + run_accesses(f, t, &f->runs[j], apart);
			while (d[i].member[p] && d[i].member[p] == d[j].member[p])
				p++;
			/* The first byte they differ at lies in an index: that array's. */
			for (unsigned l = d[i].narrays; l-- > 0;) {
				const struct trace_array *x = &d[i].arrays[l];

				if (x->open < p && p <= x->close) {
					if (!found || weight > best || (weight == best && x->open > a->open)) {
						*a = *x;
						snprintf(path, len, "%s%.*s", symbol, (int)x->open, d[i].member);
						best = weight;
						found = true;
					}
					break;
				}
			}
		}
	free(d);
	return found;
}

/* The fix of padding the elements of array A at PATH to LINE bytes, in
 * words: a struct's elements as before; a scalar's, with the struct that
 * pads it; a member's, with the other way, each thread an aggregate of
 * its own. */
static char *array_fix(const struct trace_array *a, const char *path, unsigned line)
{
	char *pad, *fix;

	if (!strncmp(a->element_type, "struct ", 7) || !strncmp(a->element_type, "class ", 6) ||
	    !strncmp(a->element_type, "union ", 6))
		pad = xasprintf("padding %s (%" PRIu64 " bytes, the elements of %s) to %u bytes", a->element_type,
				a->element, path, line);
	else if (a->element_type[0])
		pad = xasprintf("padding the elements of %s (%s, %" PRIu64 " bytes each) to %u bytes (an array of "
				"struct { %s v; } aligned to %u bytes)", path, a->element_type, a->element, line,
				a->element_type, line);
	else
		pad = xasprintf("padding the %s of %s (%" PRIu64 " bytes each) to %u bytes (each in a struct aligned "
				"to %u bytes)", a->rows ? "rows" : "elements", path, a->element, line, line);
	/* An anonymous aggregate has no name to declare another of. */
	if (!a->holder[0] || strstr(a->holder, "(anonymous)"))
		return pad;
	fix = xasprintf("%s, or giving each thread a %s of its own, on lines of its own", pad, a->holder);
	free(pad);
	return fix;
}

/* Whether line K of the N LINES has a hundredth of their false sharing
 * or less (a library's block, two misses at the end): no fix to make. */
static bool slight_line(const struct fs_line *lines, size_t n, size_t k)
{
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += lines[i].fs[0];
	return n > 1 && lines[k].fs[0] * 100 <= total;
}

/* Between the fixes of a line: a fix's words hold ';' ("struct { long
 * int v; }"), and the other lists' ';' would split them. */
#define FIX_SEPARATOR " | "

/* Appends WHAT to the list *LIST of FIX_SEPARATOR unless it is there. */
static void fix_add(char **list, const char *what)
{
	size_t len = strlen(what), sep = strlen(FIX_SEPARATOR);
	char *old = *list;

	for (const char *p = old; p && *p;) {
		const char *end = strstr(p, FIX_SEPARATOR);
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && strncmp(p, what, n) == 0)
			return;
		p += n + (end ? sep : 0);
	}
	*list = old ? xasprintf("%s" FIX_SEPARATOR "%s", old, what) : xstrdup(what);
	free(old);
}

/* The fix of line F in words, from the objects' types, into F->fixes
 * (FIX_SEPARATOR between them): the elements of the array the threads' indices differ
 * in are padded (a struct array's, a member's, a 2-D array's rows), other
 * objects are put on lines of their own. Each is what the padded replay
 * models: every thread's bytes on lines of their own. */
static void line_fixes(struct explain *ex, struct fs_line *f, const struct attr_touch *t, unsigned shift)
{
	unsigned line = 1u << shift;

	for (size_t i = f->first_touch; i < f->first_touch + f->ntouches; i++) {
		struct trace_data d;
		struct trace_array a;
		char *what, name[400], path[400];

		explain_object_name(ex, (f->line << shift) + t[i].first, shift, &d, name, sizeof(name));
		if (!d.symbol[0] && strncmp(name, "heap ", 5) != 0 && strncmp(name, "stack ", 6) != 0)
			continue;
		if (!d.symbol[0] && name[0] == 's')
			what = xasprintf("giving each thread whole lines of its own in the %s (its local variables "
					 "there aligned, or their elements padded, to %u bytes)", name, line);
		else if (!d.symbol[0])
			what = xasprintf("giving each thread whole lines of its own in each %s", name);
		else if (differing_array(ex, f, t, d.symbol, shift, &a, path, sizeof(path)) && a.element < line)
			what = array_fix(&a, path, line);
		else if (d.element && d.element < line && d.type[0])
			what = xasprintf("padding %s (%" PRIu64 " bytes, the elements of %s) to %u bytes", d.type,
					 d.element, d.symbol, line);
		else if (runs_of(ex, f, d.symbol, shift) > 1)
			what = xasprintf("giving each thread a part of %s of its own, whole lines (threads use "
					 "bytes of it that share lines)", d.symbol);
		else
			what = xasprintf("putting %s on a line of its own", d.symbol);
		fix_add(&f->fixes, what);
		free(what);
	}
}

/* The fixes of the N LINES (line_fixes), but for the slight ones. */
static void find_fixes(struct explain *ex, struct fs_line *lines, size_t n, const struct attr_touch *t,
		       unsigned shift)
{
	for (size_t k = 0; k < n; k++)
		if (!slight_line(lines, n, k))
			line_fixes(ex, &lines[k], t, shift);
}

/* The N LINES' fixes, each said once after LABEL ("fix", or "tried"
 * where it saves nothing). */
static void print_fix(const struct fs_line *lines, size_t n, const char *label)
{
	char *said = NULL;
	size_t slight = 0;

	for (size_t k = 0; k < n; k++) {
		const char *p = lines[k].fixes;

		slight += slight_line(lines, n, k);
		while (p && *p) {
			const char *end = strstr(p, FIX_SEPARATOR);
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char *what = xasprintf("%.*s", (int)len, p);

			if (!said || !strstr(said, what)) {
				char *safe = escape_terminal_new(what);

				printf("  %s: %s\n", label, safe);
				free(safe);
				fix_add(&said, what);
			}
			free(what);
			p += len + (end ? strlen(FIX_SEPARATOR) : 0);
		}
	}
	if (slight)
		printf("  (and %zu line%s of a hundredth of the false sharing or less, regrouped too)\n", slight,
		       slight == 1 ? "" : "s");
	free(said);
}

static int by_actual_line(const void *a, const void *b)
{
	const struct latent_actual *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static int by_line(const void *a, const void *b)
{
	const struct fs_line *const *x = a, *const *y = b;

	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/* Where the padded replay puts ADDRESS: a falsely shared line's byte at
 * its run's place (place_runs), anything else where it was. BY_LINE: the
 * lines sorted by address. */
static uint64_t padded_address(const struct fs_line *const *by_line, size_t n, uint64_t address, unsigned shift)
{
	uint64_t line = address >> shift, offset = address & ((UINT64_C(1) << shift) - 1);
	size_t lo = 0, hi = n;
	const struct run *r;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (by_line[mid]->line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || by_line[lo]->line != line || by_line[lo]->nruns < 2)
		return address;
	r = run_at(by_line[lo], offset);
	return r ? r->padded + (offset - r->first) : address;
}

/* Gives each run of the lines BY_LINE (in address order) its place in
 * the padded replay: the runs of one set of threads packed one after the
 * other, in the lines' order, each at its offset modulo 8 (its alignment),
 * in the region of that set: each thread's data together. */
static void place_runs(const struct fs_line *const *by_line, size_t n)
{
	uint64_t *sets = NULL, *cursor = NULL;
	size_t nsets = 0;

	for (size_t k = 0; k < n; k++) {
		for (size_t r = 0; r < by_line[k]->nruns; r++) {
			struct run *run = &by_line[k]->runs[r];
			size_t i = 0;

			while (i < nsets && sets[i] != run->threads)
				i++;
			if (i == nsets) {
				sets = xrealloc(sets, nsets + 1, sizeof(*sets));
				cursor = xrealloc(cursor, nsets + 1, sizeof(*cursor));
				sets[nsets] = run->threads;
				cursor[nsets++] = 0;
			}
			cursor[i] += (run->first % 8 - cursor[i] % 8 + 8) % 8;
			run->padded = PADDED_BASE + ((uint64_t)i << PADDED_REGION_SHIFT) + cursor[i];
			cursor[i] += run->last - run->first + 1u;
		}
	}
	free(sets);
	free(cursor);
}

/* What padded_address needs: the lines sorted by address. */
struct padding {
	const struct fs_line *const *by_line;
	size_t n;
	unsigned shift;
};

static uint64_t move_padded(void *ctx, uint64_t address)
{
	const struct padding *p = ctx;

	return padded_address(p->by_line, p->n, address, p->shift);
}

/* The trace replayed with the falsely shared lines' runs regrouped
 * (place_runs); its totals into AFTER. 0, or -1 with ERR. */
static int padded_replay(struct explain *ex, const struct fs_line *lines, size_t nlines, unsigned shift,
			 struct core_stats *after, uint64_t *cycles_after, struct ml_error *err)
{
	const struct fs_line **sorted = xmalloc((nlines ? nlines : 1) * sizeof(*sorted));
	struct padding padding = { sorted, nlines, shift };
	struct trace_reader *padded = NULL;
	struct sim *s = NULL;
	char *path;
	int rc = -1;

	for (size_t k = 0; k < nlines; k++)
		sorted[k] = &lines[k];
	qsort(sorted, nlines, sizeof(*sorted), by_line);
	place_runs(sorted, nlines);
	path = explain_moved_trace(ex->path, move_padded, &padding, err);
	if (path && (padded = trace_reader_open(path, err))) {
		struct attribution *totals;

		s = sim_new(ex->cfg, ex->protocols, ex->nprotocols);
		/* Its memory cycles counted as the actual run's, record by record. */
		totals = attribution_new_totals(s);
		if (sim_replay_named(s, padded, ex->trace, move_padded, &padding, err) != UINT64_MAX) {
			attribution_finish(totals);
			for (unsigned p = 0; p < ex->nprotocols; p++) {
				struct attr_counts c;

				sim_total_stats(s, p, &after[p]);
				attribution_total(totals, p, &c);
				cycles_after[p] = c.cycles;
			}
			rc = 0;
		}
		progress_done();
		attribution_free(totals);
	}
	sim_free(s);
	trace_reader_close(padded);
	if (path)
		unlink(path);
	free(path);
	free(sorted);
	return rc;
}

enum { F_LINE, F_KIND, F_LINE_BYTES, F_MOVED, F_PROTOCOL, F_FS, F_THREADS, F_OBJECTS, F_LOCATIONS, F_PADDED,
       F_MISSES_BEFORE, F_MISSES_AFTER, F_FS_BEFORE, F_FS_AFTER, F_CYCLES_FS, F_CYCLES, F_CYCLES_BEFORE,
       F_CYCLES_AFTER, F_UPDATES_FS, F_UPDATES_BEFORE, F_UPDATES_AFTER, F_VERDICT, F_FIX, F_WHY, NF };

/* The actual run's totals, and the padded replay's when it was made,
 * with their modelled memory cycles. */
struct padded {
	struct core_stats before[SIM_MAX_PROTOCOLS], after[SIM_MAX_PROTOCOLS];
	uint64_t cycles_after[SIM_MAX_PROTOCOLS];
	bool replayed;
};

/* PAD's totals under each protocol, for the rule of a fix, into S. */
static void saving_of(const struct explain *ex, const struct padded *pad, struct explain_saving *s)
{
	for (unsigned p = 0; p < ex->nprotocols; p++)
		s[p] = (struct explain_saving){ ex->protocols[p]->name, pad->before[p].misses, pad->after[p].misses,
						ex->cycles[p], pad->cycles_after[p] };
}

/* Whether the padded replay PAD is a fix (explain_saves). */
static bool saves(const struct explain *ex, const struct padded *pad)
{
	struct explain_saving s[SIM_MAX_PROTOCOLS];

	saving_of(ex, pad, s);
	return explain_saves(s, ex->nprotocols);
}

/* A row's columns that name the line and its false sharing. */
static void falseshare_row(struct table *t, const char *kind, unsigned line_bytes, uint64_t moved_by,
			   const char *protocol, uint64_t fs)
{
	table_add_row(t);
	table_set(t, F_KIND, kind, NULL);
	table_setf(t, F_LINE_BYTES, "%u", line_bytes);
	table_setf(t, F_MOVED, "%" PRIu64, moved_by);
	table_set(t, F_PROTOCOL, protocol, NULL);
	table_setf(t, F_FS, "%" PRIu64, fs);
}

/* The falsely shared lines, actual then latent (a variant's totals in
 * its run_ columns, no padded replay). */
static struct table *falseshare_csv(const struct explain *ex, const struct fs_line *lines, size_t nlines,
				    unsigned shift, const struct padded *pad, const struct explain_latent *latent)
{
	static const struct table_column cols[NF] = {
		[F_LINE] = { "line_address", "line_address", TABLE_RIGHT },
		[F_KIND] = { "kind", "kind", TABLE_LEFT },
		[F_LINE_BYTES] = { "line_bytes", "line_bytes", TABLE_RIGHT },
		[F_MOVED] = { "moved_bytes", "moved_bytes", TABLE_RIGHT },
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
		[F_CYCLES_FS] = { "cycles_false_sharing", "cycles_false_sharing", TABLE_RIGHT },
		[F_CYCLES] = { "cycles", "cycles", TABLE_RIGHT },
		[F_CYCLES_BEFORE] = { "run_cycles", "run_cycles", TABLE_RIGHT },
		[F_CYCLES_AFTER] = { "run_cycles_padded", "run_cycles_padded", TABLE_RIGHT },
		[F_UPDATES_FS] = { "updates_false_sharing", "updates_false_sharing", TABLE_RIGHT },
		[F_UPDATES_BEFORE] = { "run_updates", "run_updates", TABLE_RIGHT },
		[F_UPDATES_AFTER] = { "run_updates_padded", "run_updates_padded", TABLE_RIGHT },
		[F_VERDICT] = { "fix_verdict", "fix_verdict", TABLE_LEFT },
		[F_FIX] = { "fix", "fix", TABLE_LEFT },
		[F_WHY] = { "fix_why", "fix_why", TABLE_LEFT },
	};
	struct table *t = table_new(cols, NF);
	/* The terminal's verdict on the padded replay, and why a tried move
	 * is no fix: the same on every actual row. */
	bool fix = pad->replayed && saves(ex, pad);
	char *why = NULL;

	if (pad->replayed && !fix) {
		struct explain_saving s[SIM_MAX_PROTOCOLS];

		saving_of(ex, pad, s);
		why = explain_no_saving(s, ex->nprotocols);
	}

	for (size_t k = 0; k < nlines; k++) {
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			falseshare_row(t, "actual", 1u << shift, 0, ex->protocols[p]->name, lines[k].fs[p]);
			table_setf(t, F_LINE, "%" PRIu64, lines[k].line << shift);
			table_set(t, F_THREADS, lines[k].threads ? lines[k].threads : "", NULL);
			table_set(t, F_OBJECTS, lines[k].objects ? lines[k].objects : "", NULL);
			table_set(t, F_LOCATIONS, lines[k].locations ? lines[k].locations : "", NULL);
			table_setf(t, F_PADDED, "%zu", lines[k].nruns);
			table_setf(t, F_MISSES_BEFORE, "%" PRIu64, pad->before[p].misses);
			table_setf(t, F_FS_BEFORE, "%" PRIu64, pad->before[p].cause[CAUSE_FALSE_SHARING]);
			table_setf(t, F_CYCLES_FS, "%" PRIu64, lines[k].fs_cycles[p] + lines[k].fs_update_cycles[p]);
			table_setf(t, F_UPDATES_FS, "%" PRIu64, lines[k].fs_updates[p]);
			table_setf(t, F_UPDATES_BEFORE, "%" PRIu64, pad->before[p].updates_sent);
			table_setf(t, F_CYCLES, "%" PRIu64, lines[k].cycles[p]);
			table_setf(t, F_CYCLES_BEFORE, "%" PRIu64, ex->cycles[p]);
			if (pad->replayed) {
				table_setf(t, F_MISSES_AFTER, "%" PRIu64, pad->after[p].misses);
				table_setf(t, F_FS_AFTER, "%" PRIu64, pad->after[p].cause[CAUSE_FALSE_SHARING]);
				table_setf(t, F_CYCLES_AFTER, "%" PRIu64, pad->cycles_after[p]);
				table_setf(t, F_UPDATES_AFTER, "%" PRIu64, pad->after[p].updates_sent);
			} else {
				table_set(t, F_MISSES_AFTER, "", NULL);
				table_set(t, F_FS_AFTER, "", NULL);
				table_set(t, F_CYCLES_AFTER, "", NULL);
				table_set(t, F_UPDATES_AFTER, "", NULL);
			}
			table_set(t, F_VERDICT, pad->replayed ? (fix ? "fix" : "tried") : "", NULL);
			table_set(t, F_FIX, lines[k].fixes ? lines[k].fixes : "", NULL);
			table_set(t, F_WHY, why ? why : "", NULL);
		}
	}
	free(why);
	for (int i = 0; latent && i < EXPLAIN_VARIANTS; i++) {
		const struct latent_variant *v = &latent->v[i];

		for (size_t k = 0; k < v->nlines; k++) {
			const struct latent_line *l = &v->lines[k];

			for (unsigned p = 0; p < ex->nprotocols; p++) {
				falseshare_row(t, "latent", v->line_bytes, v->moved_by, ex->protocols[p]->name, l->fs[p]);
				table_setf(t, F_LINE, "%" PRIu64, l->address);
				table_set(t, F_THREADS, l->threads ? l->threads : "", NULL);
				table_set(t, F_OBJECTS, l->objects ? l->objects : "", NULL);
				table_set(t, F_LOCATIONS, l->locations ? l->locations : "", NULL);
				table_set(t, F_PADDED, "", NULL);
				table_setf(t, F_MISSES_BEFORE, "%" PRIu64, v->total[p].misses);
				table_setf(t, F_FS_BEFORE, "%" PRIu64, v->total[p].cause[CAUSE_FALSE_SHARING]);
				table_set(t, F_MISSES_AFTER, "", NULL);
				table_set(t, F_FS_AFTER, "", NULL);
				for (int c = F_CYCLES_FS; c <= F_WHY; c++)
					table_set(t, c, "", NULL);
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
			/* "in worker" after a file:line; a name without one is the function's own. */
			in_function = k == 0 && g->detail[0] && strcmp(g->extra, ",") != 0;
			printf("  %s %s%s%s: %" PRIu64 " true-sharing %s under %s\n", k == 0 ? "at" : "on", name,
			       in_function ? " in " : "", in_function ? g->detail : "", g->c[0].cause[CAUSE_TRUE_SHARING],
			       explain_plural(g->c[0].cause[CAUSE_TRUE_SHARING], "miss", "misses"), ex->protocols[0]->name);
			free(name);
			said++;
		}
	}
}

/* What the replays found, for the terminal and the files. */
struct findings {
	unsigned shift;
	struct groups lines, objects;
	struct attr_touch *sorted; /* the touches by line, then thread */
	struct fs_line *fs;        /* the falsely shared lines, most misses first */
	size_t nfs;
	struct padded pad;
	struct explain_latent latent;
	bool latent_found;
	char *no_debug; /* the modules without debug information, ';'-separated */
};

/* The terminal's account of F. */
static void print_findings(struct explain *ex, struct findings *f)
{
	char *name = escape_terminal_new(trace_reader_name(ex->trace)), *order = escape_terminal_new(ex->order);

	printf("%s: %" PRIu64 " %s of %u %s, %u-byte lines\norder: %s", name, ex->accesses,
	       explain_plural(ex->accesses, "access", "accesses"), trace_reader_header(ex->trace)->threads,
	       explain_plural(trace_reader_header(ex->trace)->threads, "thread", "threads"), 1u << f->shift, order);
	/* Every protocol replays the first one's interleaving: a protocol's
	 * figures depend on which comes first in -p. */
	if (ex->cfg->order != SIM_ORDER_FILE)
		printf("; one interleaving for every protocol, by %s's clocks (the first of -p)", ex->protocols[0]->name);
	printf("\n");
	free(name);
	free(order);
	/* A run whose threads took turns rarely (one after the other, or on
	 * one PU) shows little of their sharing in an order that keeps it:
	 * explain replays it side by side unless told otherwise. */
	if (ex->timed_for_apart)
		printf("(the traced run's threads took turns only %" PRIu64 " %s in %" PRIu64 " records: they ran mostly one "
		       "after the other, an interleaving that shows little of what they share, so explain replays them side "
		       "by side, in the timed order; --order synced keeps the run's interleaving)\n",
		       ex->turns.turns, explain_plural(ex->turns.turns, "time", "times"), ex->turns.records);
	else if (ex->cfg->order != SIM_ORDER_TIMED && trace_reader_header(ex->trace)->threads > 1 &&
		 explain_turns_apart(&ex->turns))
		printf("(the traced run's threads took turns only %" PRIu64 " %s in %" PRIu64 " records: they ran mostly one "
		       "after the other, and this order, which keeps the run's interleaving, shows little of what they "
		       "share; trace a run in which they work at once for longer, or see --order timed, which replays them "
		       "side by side, ignoring their synchronisation but for each thread's start and end)\n",
		       ex->turns.turns, explain_plural(ex->turns.turns, "time", "times"), ex->turns.records);
	printf("modelled memory cycles (each access's latency and waits, beyond the program's own work between "
	       "accesses; %s):", ex->machine ? "the latencies of the machine below" : "the simulator's default latencies");
	for (unsigned p = 0; p < ex->nprotocols; p++)
		printf("%s %" PRIu64 " under %s", p ? "," : "", ex->cycles[p], ex->protocols[p]->name);
	printf("\n");
	if (ex->machine)
		sim_machine_print(ex->machine, ex->cfg, stdout);
	if (!trace_symbols_available()) {
		printf("(built without libdw: code and data are named by module and offset)\n");
	} else if (f->no_debug) {
		char *modules = escape_terminal_new(f->no_debug);

		printf("(no debug information (-g) in %s: code named by function and instruction, data by symbol, "
		       "without lines and struct members)\n", modules);
		free(modules);
	}
	if (attribution_truncated(ex->a))
		printf("(more distinct addresses than explain keeps: the objects table leaves the rest out)\n");
	print_top(ex, &f->lines, "code lines", true);
	print_top(ex, &f->objects, "data objects", false);
	if (f->nfs == 0 && !invalidates(ex))
		printf("\nno false sharing found: explain finds it by an invalidation protocol's misses, and %s's writes "
		       "update the other copies instead, missing nothing; name one beside it (-p mesi,%s) to see its "
		       "false sharing and what it costs under each\n", ex->protocols[0]->name, ex->protocols[0]->name);
	else if (f->nfs == 0)
		printf("\nno false sharing under %s%s\n", ex->nprotocols == 1 ? "this protocol" : "these protocols",
		       ex->cfg->order == SIM_ORDER_SYNCED ? " in this order (where the traced run kept its threads apart, "
							    "--order timed replays them side by side, ignoring their "
							    "synchronisation but for their starts and ends)" : "");
	for (size_t k = 0; k < f->nfs && k < ex->top; k++)
		print_line_finding(ex, &f->fs[k], f->sorted, f->shift);
	if (f->nfs > ex->top)
		printf("\n... and %zu more falsely shared %s (explain-falseshare.csv)\n", f->nfs - ex->top,
		       explain_plural(f->nfs - ex->top, "line", "lines"));
	if (f->pad.replayed) {
		const struct padded *pad = &f->pad;

		printf("\nthe trace replayed with the bytes of the %zu falsely shared line%s regrouped by the threads "
		       "that use them (each thread's data together, on lines of its own):\n", f->nfs, f->nfs == 1 ? "" : "s");
		/* A move that does not save cycles under every protocol is no
		 * fix: said as tried. */
		print_fix(f->fs, f->nfs, saves(ex, pad) ? "fix" : "tried");
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			int64_t saved = (int64_t)pad->cycles_after[p] - (int64_t)ex->cycles[p];
			char share[16], updates[64] = "";

			percent(share, sizeof(share), (uint64_t)(saved < 0 ? -saved : saved), ex->cycles[p]);
			if (sends_updates(ex->protocols[p]))
				snprintf(updates, sizeof(updates), ", updates %" PRIu64 " -> %" PRIu64,
					 pad->before[p].updates_sent, pad->after[p].updates_sent);
			printf("  under %s: misses %" PRIu64 " -> %" PRIu64 " (%+" PRId64 "), false sharing %" PRIu64
			       " -> %" PRIu64 "%s, modelled memory cycles %" PRIu64 " -> %" PRIu64 " (%+" PRId64 ", %s%s)\n",
			       ex->protocols[p]->name, pad->before[p].misses, pad->after[p].misses,
			       (int64_t)pad->after[p].misses - (int64_t)pad->before[p].misses,
			       pad->before[p].cause[CAUSE_FALSE_SHARING], pad->after[p].cause[CAUSE_FALSE_SHARING], updates,
			       ex->cycles[p], pad->cycles_after[p], saved, saved < 0 ? "-" : "+", share);
		}
		if (!saves(ex, pad)) {
			struct explain_saving s[SIM_MAX_PROTOCOLS];
			char *why;

			saving_of(ex, pad, s);
			why = explain_no_saving(s, ex->nprotocols);
			printf("  %s\n", why);
			free(why);
		}
	}
	if (f->latent_found)
		explain_latent_print(ex, &f->latent);
	print_true_sharing(ex, &f->lines, &f->objects);
}

/* F's four files into RUN. 0, or -1 with ERR. */
static int save_findings(struct explain *ex, struct findings *f, struct rundir *run, struct ml_error *err)
{
	struct table *t = groups_csv(ex, &f->lines, true);
	int rc = rundir_save_table(run, "explain-lines.csv", t, err);

	table_free(t);
	if (rc == 0) {
		t = groups_csv(ex, &f->objects, false);
		rc = rundir_save_table(run, "explain-objects.csv", t, err);
		table_free(t);
	}
	if (rc == 0) {
		t = falseshare_csv(ex, f->fs, f->nfs, f->shift, &f->pad, f->latent_found ? &f->latent : NULL);
		rc = rundir_save_table(run, "explain-falseshare.csv", t, err);
		table_free(t);
	}
	if (rc == 0) {
		t = explain_latent_csv(&f->latent);
		rc = rundir_save_table(run, "explain-latent.csv", t, err);
		table_free(t);
	}
	return rc;
}

int explain_report(struct explain *ex, struct rundir *run, struct ml_error *err)
{
	struct findings f = { .shift = explain_shift_of(ex->cfg->l1.line) };
	const struct attr_touch *touches;
	size_t ntouch = attribution_touches(ex->a, &touches);
	int rc = 0;

	for (unsigned p = 0; p < ex->nprotocols; p++) {
		struct attr_counts total;

		attribution_total(ex->a, p, &total);
		ex->cycles[p] = total.cycles;
	}
	ex->naddresses = attribution_addresses(ex->a);
	ex->by_address = xmalloc((ex->naddresses ? ex->naddresses : 1) * sizeof(*ex->by_address));
	{
		size_t *tmp = xmalloc((ex->naddresses ? ex->naddresses : 1) * sizeof(*tmp));

		for (size_t i = 0; i < ex->naddresses; i++)
			ex->by_address[i] = i;
		sort_by_address(ex->a, ex->by_address, tmp, ex->naddresses);
		free(tmp);
	}
	code_lines(ex, &f.lines, &f.no_debug);
	data_objects(ex, &f.objects);
	f.sorted = xmalloc((ntouch ? ntouch : 1) * sizeof(*f.sorted));
	memcpy(f.sorted, touches, ntouch * sizeof(*f.sorted));
	qsort(f.sorted, ntouch, sizeof(*f.sorted), attr_touch_compare);
	f.fs = false_sharing_lines(ex, f.shift, &f.nfs);
	describe_lines(ex, f.fs, f.nfs, f.sorted, ntouch, f.shift);
	find_fixes(ex, f.fs, f.nfs, f.sorted, f.shift);
	for (unsigned p = 0; p < ex->nprotocols; p++)
		sim_total_stats(ex->s, p, &f.pad.before[p]);
	if (f.nfs) {
		if (padded_replay(ex, f.fs, f.nfs, f.shift, f.pad.after, f.pad.cycles_after, err) < 0)
			rc = -1;
		else
			f.pad.replayed = true;
	}
	explain_latent_plan(ex, &f.latent);
	/* An update protocol alone has no false-sharing misses to find. */
	if (!ex->latent)
		explain_latent_skip(&f.latent, "explain --no-latent");
	else if (!invalidates(ex))
		explain_latent_skip(&f.latent, "update protocols alone, whose writes miss nothing for false sharing");
	if (rc == 0 && ex->latent && invalidates(ex)) {
		struct latent_actual *actual = xmalloc((f.nfs ? f.nfs : 1) * sizeof(*actual));

		for (size_t k = 0; k < f.nfs; k++)
			actual[k] = (struct latent_actual){ f.fs[k].line, f.fs[k].fs };
		qsort(actual, f.nfs, sizeof(*actual), by_actual_line);
		if (explain_latent_find(ex, actual, f.nfs, &f.latent, err) < 0)
			rc = -1;
		else
			f.latent_found = true;
		free(actual);
	}
	/* Nothing is said of a replay a signal cut short. */
	if (interrupt_check(err))
		rc = -1;
	else
		print_findings(ex, &f);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ml_error_set(err, "standard output: cannot write: %s", strerror(errno ? errno : EIO));
		rc = -1;
	}
	if (rc == 0)
		rc = save_findings(ex, &f, run, err);
	for (size_t k = 0; k < f.nfs; k++)
		fs_line_free(&f.fs[k]);
	free(f.fs);
	free(f.sorted);
	free(ex->by_address);
	free(f.no_debug);
	explain_latent_free(&f.latent);
	groups_free(&f.lines);
	groups_free(&f.objects);
	return rc < 0 ? -1 : 0;
}
