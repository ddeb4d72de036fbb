#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digits.h"
#include "line_source.h"
#include "trace_import.h"
#include "trace_merge.h"
#include "trace_ordered.h"
#include "xalloc.h"

#define MAX_PIECE 128
#define INVENTED_SIZE 4
/* Dinero IV reads a din record as the 4-byte word holding its address. */
#define DIN_WORD 4
/* din's labels: 0 read, 1 write, 2 fetch, 3 misc (a read to Dinero's
 * caches), 4 copy-back (no record; see import_din_line). */
static const int din_ops[] = { TRACE_READ, TRACE_WRITE, TRACE_IFETCH, TRACE_READ, -1 };
/* valgrind's lackey never reports an access wider than this (its
 * MAX_DSIZE): a larger size is a damaged file, not an access. */
#define LACKEY_MAX_SIZE 512
/* How often (in lines) an import looks for a stop request or a failed
 * write: rarely enough to cost nothing, often enough to stop at once. */
#define CHECK_EVERY_LINES 4096

const char *const trace_import_format_names[IMPORT_NFORMATS] = { "din", "lackey", "percore", "interleaved" };

static const char *const invented_by_format[IMPORT_NFORMATS] = {
	[IMPORT_DIN] = "din has no sizes and no gaps: every access is the 4-byte word holding its address "
		       "(as Dinero IV reads it), every gap 0",
	[IMPORT_LACKEY] = "lackey has no gaps (instruction fetches are records of their own): every gap is 0",
	[IMPORT_PERCORE] = "percore has no sizes: every access is 4 bytes (one word)",
	[IMPORT_INTERLEAVED] = "interleaved has no sizes and no gaps: every access is 1 byte (never across two "
			       "lines), every gap 0; the file's order is kept",
};

/* What a format's order is: a single thread's, a course's interleaving
 * (the truth), or independent cores' streams. */
static const enum trace_order_kind order_by_format[IMPORT_NFORMATS] = {
	[IMPORT_DIN] = TRACE_ORDER_REFERENCE,
	[IMPORT_LACKEY] = TRACE_ORDER_REFERENCE,
	[IMPORT_PERCORE] = TRACE_ORDER_STREAMS,
	[IMPORT_INTERLEAVED] = TRACE_ORDER_REFERENCE,
};

int trace_import_format_parse(const char *name, enum trace_import_format *format)
{
	for (int f = 0; f < IMPORT_NFORMATS; f++) {
		if (strcmp(name, trace_import_format_names[f]) == 0) {
			*format = (enum trace_import_format)f;
			return 0;
		}
	}
	return -1;
}

struct import_job {
	enum trace_import_format format;
	char *const *inputs;
	struct trace_import_report *report;
};

/* Where din's and lackey's records go: the sink of a merge. */
struct block_out {
	struct trace_sink *sink;
	struct trace_import_report *rep;
};

static int put_sink(void *ctx, const struct trace_record *r, const struct line_source *s, struct ml_error *err)
{
	struct block_out *o = ctx;

	(void)s, (void)err;
	trace_sink_add(o->sink, r);
	o->rep->records++;
	return 0;
}

/* Emits an access, split into pieces when it is larger than a record holds. */
static void emit(struct trace_sink *sink, struct trace_import_report *rep, unsigned thread,
		 enum trace_op op, uint64_t address, uint64_t size, uint64_t gap)
{
	struct trace_record rec = { .thread = (uint16_t)thread, .op = (uint8_t)op,
				    .gap = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap };

	if (size > MAX_PIECE)
		rep->split++;
	do {
		rec.address = address;
		rec.size = (uint8_t)(size > MAX_PIECE ? MAX_PIECE : size);
		trace_sink_add(sink, &rec);
		rep->records++;
		address += rec.size;
		size -= rec.size;
		rec.gap = 0;
	} while (size);
}

/* din: label 0 a read, 1 a write, 2 an instruction fetch, 3 an access of
 * unknown type (Dinero's "misc", which its caches treat as a read), 4 a
 * copy-back (Dinero writes the line back if dirty and keeps it: no hit or
 * miss changes), which a trace cannot hold: skipped, and counted. */
static int import_din_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct block_out *o = lp->ctx;
	struct trace_sink *sink = o->sink;
	struct trace_import_report *rep = o->rep;
	const char *p = line_skip_blanks(s->line);
	uint64_t label, address;

	if (!*p || *p == '#')
		return 0;
	if (!digits_decimal(&p, &label) || label > 4)
		return line_source_bad(s, err, "expected a din label 0 to 4 (0 read, 1 write, 2 fetch, 3 misc, 4 copy-back)");
	p = line_skip_blanks(p);
	if (!digits_hex_0x(&p, &address))
		return line_source_bad(s, err, "expected a hex address after the label");
	if (*p && *p != ' ' && *p != '\t')
		return line_source_bad(s, err, "invalid hex address");
	if (din_ops[label] < 0) {
		rep->skipped++;
		rep->copybacks++;
	} else {
		emit(sink, rep, 0, (enum trace_op)din_ops[label], address & ~(uint64_t)(DIN_WORD - 1), DIN_WORD, 0);
	}
	return 0;
}

static int import_lackey_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct block_out *o = lp->ctx;
	struct trace_sink *sink = o->sink;
	struct trace_import_report *rep = o->rep;
	const char *p = s->line;
	char kind;
	uint64_t address, size;

	if (strncmp(p, "==", 2) == 0 || strncmp(p, "--", 2) == 0 || !*line_skip_blanks(p)) {
		rep->skipped++; /* valgrind's own messages */
		return 0;
	}
	p = line_skip_blanks(p);
	kind = *p++;
	if (!strchr("ILSM", kind) || (*p != ' ' && *p != '\t'))
		return line_source_bad(s, err, "expected a lackey record: I, L, S or M, then ADDRESS,SIZE");
	p = line_skip_blanks(p);
	if (!digits_hex_0x(&p, &address) || *p++ != ',')
		return line_source_bad(s, err, "expected ADDRESS,SIZE with a hex address");
	if (!digits_decimal(&p, &size) || size == 0 || *line_skip_blanks(p))
		return line_source_bad(s, err, "expected a decimal size after the comma");
	if (size > LACKEY_MAX_SIZE) {
		ml_error_set(err, "%s:%llu: an access of %llu bytes (lackey records at most %d)", s->name,
			     (unsigned long long)s->line_no, (unsigned long long)size, LACKEY_MAX_SIZE);
		return -1;
	}
	switch (kind) {
	case 'I': emit(sink, rep, 0, TRACE_IFETCH, address, size, 0); break;
	case 'L': emit(sink, rep, 0, TRACE_READ, address, size, 0); break;
	case 'S': emit(sink, rep, 0, TRACE_WRITE, address, size, 0); break;
	default:
		emit(sink, rep, 0, TRACE_READ, address, size, 0);
		emit(sink, rep, 0, TRACE_WRITE, address, size, 0);
	}
	return 0;
}

/* A format's usual line, parsed in place from the block read last (where
 * an import spends its time: tens of millions of lines); any other line
 * goes through the format's general parser (see line_source.h). */

/* din: a one-digit label from 0 to 3, blanks, a hex address. */
static unsigned usual_din(const char *p, const char **end, struct trace_record *rec)
{
	unsigned label = (unsigned)(unsigned char)p[0] - '0';
	uint64_t address;

	if (label >= 4 || (p[1] != ' ' && p[1] != '\t'))
		return 0;
	p += 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!digits_hex_ahead(&p, &address) || *p != '\n')
		return 0;
	*rec = (struct trace_record){ .address = address & ~(uint64_t)(DIN_WORD - 1), .op = (uint8_t)din_ops[label],
				      .size = DIN_WORD };
	*end = p;
	return 1;
}

/* lackey: "I  ADDR,SIZE" or " L|S|M ADDR,SIZE", a size from 1 to 128 (a
 * larger one is split, or refused, by the general parser). */
static unsigned usual_lackey(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t address, size;
	char kind;

	while (*p == ' ')
		p++;
	kind = *p;
	if ((kind != 'I' && kind != 'L' && kind != 'S' && kind != 'M') || p[1] != ' ')
		return 0;
	p += 2;
	while (*p == ' ')
		p++;
	if (!digits_hex_ahead(&p, &address) || *p++ != ',' || !digits_decimal(&p, &size) || *p != '\n' || size == 0 ||
	    size > MAX_PIECE)
		return 0;
	rec[0] = (struct trace_record){ .address = address, .size = (uint8_t)size,
					.op = kind == 'I' ? TRACE_IFETCH : kind == 'S' ? TRACE_WRITE : TRACE_READ };
	*end = p;
	if (kind != 'M')
		return 1;
	rec[1] = rec[0];
	rec[1].op = TRACE_WRITE;
	return 2;
}

/* Course traces: the work of label 2 lines goes into the next access's gap. */
static int import_percore_line(struct line_source *s, struct trace_sink *sink, unsigned thread,
			       uint64_t *work, struct trace_import_report *rep, struct ml_error *err)
{
	const char *p = line_skip_blanks(s->line);
	uint64_t label, value;
	int hex;

	if (!*p || *p == '#')
		return 0;
	if (!digits_decimal(&p, &label) || label > 2)
		return line_source_bad(s, err, "expected a label 0 (load), 1 (store) or 2 (other work)");
	p = line_skip_blanks(p);
	hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	/* Without 0x, addresses are hex (as course traces write them), cycles decimal. */
	if (!(hex || label < 2 ? digits_hex_0x(&p, &value) : digits_decimal(&p, &value)) || *line_skip_blanks(p))
		return line_source_bad(s, err, label < 2 ? "expected a hex address" : "expected a number of cycles");
	if (label == 2) {
		*work = value > UINT64_MAX - *work ? UINT64_MAX : *work + value;
		return 0;
	}
	emit(sink, rep, thread, label ? TRACE_WRITE : TRACE_READ, value, INVENTED_SIZE, *work);
	*work = 0;
	return 0;
}

static int produce(struct trace_sink *sink, unsigned thread, void *arg, struct ml_error *err)
{
	struct import_job *job = arg;
	struct line_source s;
	uint64_t work = 0;
	int rc, got = 0;

	if (line_source_open(&s, job->inputs[thread], err) < 0)
		return -1;
	if (job->format == IMPORT_DIN || job->format == IMPORT_LACKEY) {
		bool din = job->format == IMPORT_DIN;
		struct block_out o = { .sink = sink, .rep = job->report };
		const struct line_parser lp = { din ? usual_din : usual_lackey, din ? import_din_line : import_lackey_line,
						put_sink, &o };

		while ((got = line_source_block(&s, &lp, err)) == 0 && !trace_sink_stopped(sink, err))
			;
		got = got > 0 ? 0 : -1;
	}
	while (job->format == IMPORT_PERCORE && (got = line_source_next(&s, err)) > 0) {
		rc = import_percore_line(&s, sink, thread, &work, job->report, err);
		if (rc < 0 || (s.line_no % CHECK_EVERY_LINES == 0 && trace_sink_stopped(sink, err))) {
			got = -1;
			break;
		}
	}
	if (got == 0 && trace_sink_stopped(sink, err))
		got = -1;
	job->report->dropped_work += work;
	line_source_close(&s);
	return got < 0 ? -1 : 0;
}

int trace_import(enum trace_import_format format, char *const *inputs, int ninputs,
		 const char *output, struct trace_header *h, struct trace_import_report *report,
		 struct ml_error *err)
{
	struct import_job job = { format, inputs, report };

	memset(report, 0, sizeof(*report));
	report->invented = invented_by_format[format];
	h->order = order_by_format[format];
	if (format == IMPORT_INTERLEAVED && ninputs == 1)
		return trace_ordered_convert(ORDERED_INTERLEAVED, inputs[0], output, h, &report->records,
					     &report->skipped, err);
	if (format != IMPORT_PERCORE && ninputs != 1) {
		ml_error_set(err, "%s traces are %s: give one input, not %d", trace_import_format_names[format],
			     format == IMPORT_INTERLEAVED ? "one file for every core" : "single-threaded", ninputs);
		return -1;
	}
	if (ninputs < 1 || ninputs > TRACE_MAX_THREADS) {
		ml_error_set(err, "give from 1 to %d input files", TRACE_MAX_THREADS);
		return -1;
	}
	h->threads = (uint32_t)ninputs;
	return trace_merge_write(output, h, produce, &job, err);
}
