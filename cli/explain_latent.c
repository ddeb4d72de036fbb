#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "explain_latent.h"
#include "explain_names.h"
#include "explain_replay.h"
#include "interrupt.h"
#include "trace_reader.h"
#include "xalloc.h"

/* Why the variant of the run's own lines is not replayed: it is the run. */
#define LATENT_ACTUAL "the actual run's lines"

/* A falsely shared address of a variant's replay: its line there, and its
 * entry in the attribution. */
struct fs_address {
	uint64_t line;
	size_t entry;
};

static int by_line(const void *a, const void *b)
{
	const struct fs_address *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int by_misses(const void *a, const void *b)
{
	const struct latent_line *x = a, *y = b;

	if (x->fs[0] != y->fs[0])
		return x->fs[0] < y->fs[0] ? 1 : -1;
	return x->address < y->address ? -1 : x->address > y->address;
}

/* The false-sharing misses per protocol of the lines of ACTUAL (sorted,
 * lines of 2^SHIFT bytes) over any of the bytes LO..HI, into OVER. */
static void actual_over(const struct latent_actual *actual, size_t n, unsigned shift, uint64_t lo, uint64_t hi,
			unsigned nprotocols, uint64_t *over)
{
	size_t a = 0, b = n;

	memset(over, 0, nprotocols * sizeof(*over));
	while (a < b) {
		size_t mid = (a + b) / 2;

		if (actual[mid].line < lo >> shift)
			a = mid + 1;
		else
			b = mid;
	}
	for (; a < n && actual[a].line <= hi >> shift; a++)
		for (unsigned p = 0; p < nprotocols; p++)
			over[p] += actual[a].fs[p];
}

/* The latent line at variant line VLINE: its touches and names. */
static void describe(struct explain *ex, struct latent_line *l, uint64_t vline, unsigned vshift, uint64_t moved_by,
		     const struct attr_touch *sorted, size_t nt)
{
	unsigned shift = explain_shift_of(ex->cfg->l1.line);
	size_t lo = 0, hi = nt, end;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sorted[mid].line < vline)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < nt && sorted[end].line == vline; end++)
		;
	l->ntouches = end - lo;
	l->touches = xmalloc((l->ntouches ? l->ntouches : 1) * sizeof(*l->touches));
	memcpy(l->touches, sorted + lo, l->ntouches * sizeof(*l->touches));
	for (size_t i = 0; i < l->ntouches; i++) {
		const struct attr_touch *t = &l->touches[i];
		struct trace_code c;
		char name[400], thread[16];

		explain_touch_objects(ex, t, (vline << vshift) - moved_by, shift, &l->objects);
		if (explain_code(ex, t->loc, &c)) {
			explain_code_name(&c, name, sizeof(name));
			explain_list_add(&l->locations, name);
		}
		snprintf(thread, sizeof(thread), "%u", t->thread);
		explain_list_add(&l->threads, thread);
	}
}

/* V's latent lines from its replay X. */
static void find_lines(struct explain *ex, struct latent_variant *v, const struct explain_replay *x,
		       const struct latent_actual *actual, size_t nactual)
{
	unsigned vshift = explain_shift_of(v->line_bytes), shift = explain_shift_of(ex->cfg->l1.line);
	size_t n = attribution_addresses(x->a), nfs = 0, cap = 0, ntouch;
	struct fs_address *fs = xmalloc((n ? n : 1) * sizeof(*fs));
	const struct attr_touch *touches;
	struct attr_touch *sorted;

	for (size_t i = 0; i < n; i++) {
		bool any = false;

		for (unsigned p = 0; p < ex->nprotocols; p++)
			any |= attribution_of_address(x->a, p, i)->cause[CAUSE_FALSE_SHARING] > 0;
		if (any)
			fs[nfs++] = (struct fs_address){ attribution_address(x->a, i) >> vshift, i };
	}
	if (nfs > 1)
		qsort(fs, nfs, sizeof(*fs), by_line);
	ntouch = attribution_touches(x->a, &touches);
	sorted = xmalloc((ntouch ? ntouch : 1) * sizeof(*sorted));
	memcpy(sorted, touches, ntouch * sizeof(*sorted));
	qsort(sorted, ntouch, sizeof(*sorted), attr_touch_compare);
	for (size_t k = 0; k < nfs;) {
		uint64_t vline = fs[k].line, lo = (vline << vshift) - v->moved_by;
		uint64_t over[SIM_MAX_PROTOCOLS], added[SIM_MAX_PROTOCOLS] = { 0 };
		bool latent = false;
		struct latent_line *l;

		actual_over(actual, nactual, shift, lo, lo + v->line_bytes - 1, ex->nprotocols, over);
		for (; k < nfs && fs[k].line == vline; k++)
			for (unsigned p = 0; p < ex->nprotocols; p++)
				added[p] += attribution_of_address(x->a, p, fs[k].entry)->cause[CAUSE_FALSE_SHARING];
		/* What the line adds: mostly new false sharing, not the run's
		 * own seen through another line. */
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			uint64_t all = added[p];

			added[p] = all > over[p] ? all - over[p] : 0;
			latent |= added[p] && 2 * added[p] > all;
		}
		if (!latent)
			continue;
		if (v->nlines == cap) {
			cap = cap ? 2 * cap : 8;
			v->lines = xrealloc(v->lines, cap, sizeof(*v->lines));
		}
		l = &v->lines[v->nlines++];
		memset(l, 0, sizeof(*l));
		l->address = lo;
		l->fs = xcalloc(ex->nprotocols, sizeof(*l->fs));
		for (unsigned p = 0; p < ex->nprotocols; p++) {
			l->fs[p] = added[p];
			v->latent[p] += added[p];
		}
		describe(ex, l, vline, vshift, v->moved_by, sorted, ntouch);
	}
	if (v->nlines > 1) /* none found: no array at all */
		qsort(v->lines, v->nlines, sizeof(*v->lines), by_misses);
	free(sorted);
	free(fs);
}

/* Replays the variant V (a moved copy of the trace when V moves the
 * data). 0, or -1 with ERR. */
static int replay_variant(struct explain *ex, struct latent_variant *v, const struct latent_actual *actual,
			  size_t nactual, struct ml_error *err)
{
	struct sim_config cfg = *ex->cfg;
	struct explain_replay x;
	struct trace_reader *r = NULL;
	char *moved = NULL;
	int rc = -1;

	cfg.l1.line = cfg.l1i.line = cfg.l2.line = cfg.llc.line = v->line_bytes;
	if (sim_config_check(&cfg, err) < 0) {
		snprintf(v->why, sizeof(v->why), "%.150s", err->msg);
		return 0;
	}
	if (v->moved_by && !(moved = explain_moved_trace(ex->path, explain_move_by, &v->moved_by, err)))
		return -1;
	if ((r = trace_reader_open(moved ? moved : ex->path, err)) &&
	    explain_replay_run(&(struct explain_source){ ex->trace, ex->records_at, r, v->moved_by }, &cfg,
			       ex->protocols, ex->nprotocols, &x, err) == 0) {
		for (unsigned p = 0; p < ex->nprotocols; p++)
			sim_total_stats(x.s, p, &v->total[p]);
		find_lines(ex, v, &x, actual, nactual);
		explain_replay_free(&x);
		v->replayed = true;
		rc = 0;
	}
	trace_reader_close(r);
	if (moved)
		unlink(moved);
	free(moved);
	return rc;
}

void explain_latent_plan(const struct explain *ex, struct explain_latent *out)
{
	unsigned line = ex->cfg->l1.line;
	/* The line sizes Predator predicts for, and the data half a line further. */
	const struct { unsigned line; uint64_t moved_by; } variants[EXPLAIN_VARIANTS] = {
		{ 32, 0 }, { 128, 0 }, { line, line / 2 },
	};

	memset(out, 0, sizeof(*out));
	out->nprotocols = ex->nprotocols;
	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		struct latent_variant *v = &out->v[i];

		v->line_bytes = variants[i].line;
		v->moved_by = variants[i].moved_by;
		if (v->line_bytes == line && !v->moved_by)
			snprintf(v->why, sizeof(v->why), "%s", LATENT_ACTUAL);
		else if (v->line_bytes > ATTR_MAX_LINE)
			snprintf(v->why, sizeof(v->why), "lines of more than %d bytes are not followed", ATTR_MAX_LINE);
	}
}

void explain_latent_skip(struct explain_latent *out, const char *why)
{
	for (int i = 0; i < EXPLAIN_VARIANTS; i++)
		if (!out->v[i].replayed && !out->v[i].why[0])
			snprintf(out->v[i].why, sizeof(out->v[i].why), "%s", why);
}

int explain_latent_find(struct explain *ex, const struct latent_actual *actual, size_t nactual,
			struct explain_latent *out, struct ml_error *err)
{
	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		struct latent_variant *v = &out->v[i];

		if (!v->why[0] && (replay_variant(ex, v, actual, nactual, err) < 0 || interrupt_check(err)))
			return -1;
	}
	return 0;
}

struct table *explain_latent_csv(const struct explain_latent *l)
{
	enum { L_LINE_BYTES, L_MOVED, L_SEARCHED, L_LINES, L_WHY, NL };
	static const struct table_column cols[NL] = {
		[L_LINE_BYTES] = { "line_bytes", "line_bytes", TABLE_RIGHT },
		[L_MOVED] = { "moved_bytes", "moved_bytes", TABLE_RIGHT },
		[L_SEARCHED] = { "searched", "searched", TABLE_LEFT },
		[L_LINES] = { "latent_lines", "latent_lines", TABLE_RIGHT },
		[L_WHY] = { "why", "why", TABLE_LEFT },
	};
	struct table *t = table_new(cols, NL);

	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		const struct latent_variant *v = &l->v[i];

		table_add_row(t);
		table_setf(t, L_LINE_BYTES, "%u", v->line_bytes);
		table_setf(t, L_MOVED, "%" PRIu64, v->moved_by);
		/* The run's own lines are no variant: the actual rows are its findings. */
		table_set(t, L_SEARCHED, v->replayed ? "yes" : strcmp(v->why, LATENT_ACTUAL) == 0 ? "actual" : "no", NULL);
		if (v->replayed)
			table_setf(t, L_LINES, "%zu", v->nlines);
		else
			table_set(t, L_LINES, "", NULL);
		table_set(t, L_WHY, v->replayed ? "" : v->why, NULL);
	}
	return t;
}

void explain_latent_words(const struct latent_variant *v, char *buf, size_t len)
{
	if (v->moved_by)
		snprintf(buf, len, "%u-byte lines, the data %" PRIu64 " bytes further", v->line_bytes, v->moved_by);
	else
		snprintf(buf, len, "%u-byte lines", v->line_bytes);
}

static void print_misses(const struct explain *ex, const uint64_t *m)
{
	for (unsigned p = 0; p < ex->nprotocols; p++)
		printf("%s %" PRIu64 " under %s", p ? "," : "", m[p], ex->protocols[p]->name);
}

/* What removes V's latent false sharing, in words. */
static const char *latent_fix(const struct explain *ex, const struct latent_variant *v)
{
	if (v->moved_by)
		return "another placement puts these threads' data on one line: give each thread's data lines of its "
		       "own (pad and align it to the line)";
	if (v->line_bytes > ex->cfg->l1.line)
		return "keep each thread's data on 128-byte lines of its own (pad and align it to 128 bytes, as for "
		       "an adjacent-line prefetcher)";
	return "give each thread's data lines of its own";
}

static void print_line(struct explain *ex, const struct latent_variant *v, const struct latent_line *l,
		       const char *words)
{
	char *objects = escape_terminal_new(l->objects ? l->objects : "");
	char *fix = escape_terminal_new(latent_fix(ex, v));

	printf("\nlatent: line 0x%" PRIx64 " (%s) would be shared falsely with %s:\n", l->address, objects, words);
	for (size_t i = 0; i < l->ntouches && i < 12; i++) {
		const struct attr_touch *t = &l->touches[i];
		char where[1024], bytes[2048], *w;

		explain_where(ex, t->loc, where, sizeof(where));
		explain_touched_bytes(ex, t, l->address, explain_shift_of(ex->cfg->l1.line), bytes, sizeof(bytes));
		w = escape_terminal_new(where);
		printf("  thread %u %s %s at %s, %" PRIu64 " time%s\n", t->thread, t->write ? "writes" : "reads", bytes,
		       w, t->count, t->count == 1 ? "" : "s");
		free(w);
	}
	if (l->ntouches > 12)
		printf("  ... and %zu more\n", l->ntouches - 12);
	printf("  latent false-sharing misses:");
	print_misses(ex, l->fs);
	printf("\n  fix: %s\n", fix);
	free(objects);
	free(fix);
}

void explain_latent_print(struct explain *ex, const struct explain_latent *l)
{
	printf("\nlatent false sharing (what the same run would show with other lines, or its data placed "
	       "otherwise):\n");
	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		const struct latent_variant *v = &l->v[i];
		uint64_t fs[SIM_MAX_PROTOCOLS];
		char words[96];

		if (!v->replayed && strcmp(v->why, LATENT_ACTUAL) == 0)
			continue;
		explain_latent_words(v, words, sizeof(words));
		if (!v->replayed) {
			char *why = escape_terminal_new(v->why);

			printf("  with %s: not replayed (%s)\n", words, why);
			free(why);
			continue;
		}
		for (unsigned p = 0; p < ex->nprotocols; p++)
			fs[p] = v->total[p].cause[CAUSE_FALSE_SHARING];
		printf("  with %s: false-sharing misses", words);
		print_misses(ex, fs);
		if (!v->nlines) {
			printf("; none latent\n");
			continue;
		}
		printf("; latent (added on lines that share little or nothing falsely now):");
		print_misses(ex, v->latent);
		printf(", on %zu %s\n", v->nlines, explain_plural(v->nlines, "line", "lines"));
	}
	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		const struct latent_variant *v = &l->v[i];
		char words[96];

		explain_latent_words(v, words, sizeof(words));
		for (size_t k = 0; k < v->nlines && k < ex->top; k++)
			print_line(ex, v, &v->lines[k], words);
		if (v->nlines > ex->top)
			printf("\n... and %zu more %s latent with %s (explain-falseshare.csv)\n", v->nlines - ex->top,
			       explain_plural(v->nlines - ex->top, "line", "lines"), words);
	}
}

void explain_latent_free(struct explain_latent *l)
{
	for (int i = 0; i < EXPLAIN_VARIANTS; i++) {
		for (size_t k = 0; k < l->v[i].nlines; k++) {
			struct latent_line *line = &l->v[i].lines[k];

			free(line->fs);
			free(line->touches);
			free(line->objects);
			free(line->locations);
			free(line->threads);
		}
		free(l->v[i].lines);
	}
}
