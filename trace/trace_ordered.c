#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digits.h"
#include "interrupt.h"
#include "line_source.h"
#include "sysinfo.h"
#include "trace_ordered.h"
#include "trace_text.h"
#include "trace_writer.h"
#include "xalloc.h"

/* A first-pass part is worth a thread from this many bytes on. */
#define PART_MIN_BYTES (16u << 20)
#define MAX_PARTS 16

/* What the parsers of either pass fill or feed. */
struct ordered {
	struct trace_header h; /* text: what its header lines said */
	struct trace_text_seen seen;
	uint32_t threads; /* first pass: the highest thread + 1; second: the header's */
	bool counting;    /* the first pass */
	struct trace_writer *writer; /* the second pass, through BATCH */
	struct trace_record batch[256];
	size_t batched;
	uint64_t records, skipped;
};

static int put_count(void *ctx, const struct trace_record *r, const struct line_source *s, struct ml_error *err)
{
	struct ordered *o = ctx;

	(void)s, (void)err;
	o->threads = r->thread >= o->threads ? r->thread + 1u : o->threads;
	return 0;
}

static int put_record(void *ctx, const struct trace_record *r, const struct line_source *s, struct ml_error *err)
{
	struct ordered *o = ctx;

	if (r->thread >= o->threads) { /* only a text trace's "# threads:" can say fewer */
		ml_error_set(err, "%s:%llu: thread %u beyond the %u threads of '# threads:'", s->name,
			     (unsigned long long)s->line_no, r->thread, o->threads);
		return -1;
	}
	o->batch[o->batched++] = *r;
	if (o->batched == sizeof(o->batch) / sizeof(o->batch[0])) {
		trace_writer_add_many(o->writer, o->batch, o->batched);
		o->batched = 0;
	}
	o->records++;
	return 0;
}

void trace_ordered_skip(const struct line_parser *lp)
{
	struct ordered *o = lp->ctx;

	o->skipped += !o->counting;
}

/* mesilab's text: header lines, comments and records, any form. */
static int text_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct ordered *o = lp->ctx;
	struct trace_record rec;
	char why[160];

	switch (trace_text_parse(s->line, &rec, &o->h, &o->seen, why, sizeof(why))) {
	case TRACE_TEXT_ERROR:
		return line_source_bad(s, err, why);
	case TRACE_TEXT_RECORD:
		return lp->put(o, &rec, s, err);
	default:
		trace_ordered_skip(lp);
		return 0;
	}
}

/* A line that starts "N ": thread N (a header line starts with '#'). */
static unsigned thread_of(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t thread;

	if (!digits_decimal(&p, &thread) || thread >= TRACE_MAX_THREADS || *p != ' ')
		return 0;
	rec->thread = (uint16_t)thread;
	*end = line_end(p);
	return 1;
}

const struct trace_ordered_format trace_ordered_text = { thread_of, trace_text_canonical, text_line, true };

/* The first pass over the lines that start in [FROM, TO). */
struct scan_part {
	pthread_t thread;
	bool started;
	const struct trace_ordered_format *format;
	int fd;
	const char *name;
	uint64_t from, to;
	struct ordered o;
	struct ml_error err;
	int rc;
};

static void *scan_part(void *arg)
{
	struct scan_part *part = arg;
	const struct line_parser lp = { part->format->thread_of, part->format->general, put_count, &part->o };
	struct line_source s;
	int got = 0;

	part->o.counting = true;
	line_source_part(&s, part->fd, part->name, part->from ? part->from - 1 : 0);
	/* The line under way at FROM - 1 is the previous part's (the byte
	 * there may be its newline: then an empty line is dropped here). */
	if (part->from > 0)
		got = line_source_next(&s, &part->err) < 0 ? -1 : 0;
	while (got == 0 && line_source_tell(&s) < part->to)
		got = line_source_block(&s, &lp, &part->err);
	line_source_close(&s);
	part->rc = got < 0 ? -1 : 0;
	return NULL;
}

/* Header lines that came later win: each part's over the parts before. */
static void merge_part(struct ordered *into, const struct ordered *part)
{
	into->threads = part->threads > into->threads ? part->threads : into->threads;
	if (part->seen.truncated)
		into->h.truncated = part->h.truncated;
	if (part->seen.threads)
		into->h.threads = part->h.threads;
	if (part->seen.line_size)
		into->h.line_size = part->h.line_size;
	if (part->seen.gap_unit)
		into->h.gap_unit = part->h.gap_unit;
	if (part->seen.order)
		into->h.order = part->h.order;
	if (part->seen.generator)
		memcpy(into->h.generator, part->h.generator, sizeof(into->h.generator));
	into->seen.threads |= part->seen.threads;
	into->seen.line_size |= part->seen.line_size;
	into->seen.gap_unit |= part->seen.gap_unit;
	into->seen.generator |= part->seen.generator;
	into->seen.truncated |= part->seen.truncated;
	into->seen.order |= part->seen.order;
}

/* The first pass over the SIZE bytes of FD into O; 0, or -1 with ERR.
 * Parts that fail are read again as one, from the start, so that the
 * error named is the first bad line, by its number. */
static int first_pass(const struct trace_ordered_format *format, int fd, const char *name, uint64_t size,
		      struct ordered *o, struct ml_error *err)
{
	unsigned nparts = (unsigned)(size / PART_MIN_BYTES), pus = sysinfo_usable_pus();
	struct scan_part *parts;
	int rc = 0;

	nparts = nparts > pus ? pus : nparts;
	nparts = nparts > MAX_PARTS ? MAX_PARTS : nparts < 1 ? 1 : nparts;
	parts = xcalloc(nparts, sizeof(*parts));
	for (unsigned k = 0; k < nparts; k++) {
		parts[k] = (struct scan_part){ .format = format, .fd = fd, .name = name,
					       .from = size * k / nparts,
					       .to = k + 1 < nparts ? size * (k + 1) / nparts : UINT64_MAX };
		parts[k].started = k > 0 && pthread_create(&parts[k].thread, NULL, scan_part, &parts[k]) == 0;
	}
	for (unsigned k = 0; k < nparts; k++) {
		if (parts[k].started)
			pthread_join(parts[k].thread, NULL);
		else
			scan_part(&parts[k]);
		rc |= parts[k].rc;
	}
	if (rc < 0 && nparts > 1 && !interrupt_requested()) {
		parts[0] = (struct scan_part){ .format = format, .fd = fd, .name = name, .to = UINT64_MAX };
		scan_part(&parts[0]);
		nparts = 1;
		rc = parts[0].rc;
	}
	if (rc < 0) {
		for (unsigned k = 0; k < nparts; k++)
			if (parts[k].rc < 0) {
				*err = parts[k].err;
				break;
			}
	} else {
		for (unsigned k = 0; k < nparts; k++)
			merge_part(o, &parts[k].o);
	}
	free(parts);
	return rc;
}

/* The header the records go under, from the first pass. */
static int settle_header(const struct trace_ordered_format *format, const struct ordered *o, const char *name,
			 struct trace_header *h, struct ml_error *err)
{
	if (!format->own_header) {
		if (o->threads == 0) {
			ml_error_set(err, "%s: no accesses", name);
			return -1;
		}
		h->threads = o->threads;
		return 0;
	}
	*h = o->h;
	if (!o->seen.threads)
		h->threads = o->threads ? o->threads : 1;
	return 0;
}

int trace_ordered_convert(const struct trace_ordered_format *format, const char *input, const char *output,
			  struct trace_header *h, uint64_t *records, uint64_t *skipped, struct ml_error *err)
{
	struct ordered o = { .h.order = TRACE_ORDER_REFERENCE }; /* text's, unless it says otherwise */
	const struct line_parser lp = { format->usual, format->general, put_record, &o };
	struct line_source s;
	struct stat st;
	int rc, got;

	if (line_source_open(&s, input, err) < 0)
		return -1;
	rc = line_source_rewindable(&s, err);
	if (rc == 0 && fstat(s.fd, &st) < 0) {
		ml_error_set(err, "%s: cannot read: %s", s.name, strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		rc = first_pass(format, s.fd, s.name, (uint64_t)st.st_size, &o, err);
	if (rc == 0)
		rc = settle_header(format, &o, s.name, h, err);
	if (rc == 0) {
		o.threads = h->threads;
		o.writer = trace_writer_open(output, h, err);
		rc = o.writer ? 0 : -1;
	}
	while (rc == 0 && (got = line_source_block(&s, &lp, err)) <= 0)
		if (got < 0 || trace_writer_failed(o.writer, err))
			rc = -1;
	if (o.writer && rc == 0) {
		trace_writer_add_many(o.writer, o.batch, o.batched);
		rc = trace_writer_close(o.writer, err);
	}
	else if (o.writer)
		trace_writer_abort(o.writer);
	line_source_close(&s);
	*records = o.records;
	*skipped = o.skipped;
	return rc;
}
