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
#include "interrupt.h"
#include "trace_import.h"
#include "trace_merge.h"
#include "trace_writer.h"
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

/* One source line at a time, with its number for messages: read in large
 * blocks and cut at newlines in place (getline and stdio cost more than
 * the parsing of a din line). */
#define SOURCE_BLOCK (1u << 20)
#define SOURCE_LINE_MAX (16u << 20) /* a longer line is no trace's */

struct source {
	int fd;
	const char *name;
	uint64_t line_no;
	char *buf; /* CAP bytes and a spare one for the last line's NUL */
	size_t cap, pos, len;
	size_t nul; /* where the buffer's first NUL byte is, or SIZE_MAX */
	bool eof;
	char *line;
};

static int open_source(struct source *s, const char *path, struct ml_error *err)
{
	memset(s, 0, sizeof(*s));
	s->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	s->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		ml_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	s->cap = SOURCE_BLOCK;
	s->buf = xmalloc(s->cap + 1);
	s->nul = SIZE_MAX;
	return 0;
}

static void close_source(struct source *s)
{
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	free(s->buf);
}

/* Back to the first line; -1 when the input cannot seek (a pipe). */
static int rewind_source(struct source *s)
{
	if (lseek(s->fd, 0, SEEK_SET) < 0)
		return -1;
	s->pos = s->len = 0;
	s->nul = SIZE_MAX;
	s->eof = false;
	s->line_no = 0;
	return 0;
}

/* 1 with a line in S->line, 0 at the end, -1 on a read error. */
static int next_line(struct source *s, struct ml_error *err)
{
	for (;;) {
		char *start = s->buf + s->pos, *nl = memchr(start, '\n', s->len - s->pos);
		ssize_t got;

		if (nl || (s->eof && s->pos < s->len)) {
			size_t n = nl ? (size_t)(nl - start) : s->len - s->pos;

			s->pos += n + (nl != NULL);
			while (n > 0 && start[n - 1] == '\r')
				n--;
			start[n] = '\0';
			s->line = start;
			s->line_no++;
			/* NUL bytes are looked for once a block (see below), not a line */
			if (s->nul < s->pos) {
				ml_error_set(err, "%s:%llu: a NUL byte: not a text trace", s->name,
					     (unsigned long long)s->line_no);
				return -1;
			}
			return 1;
		}
		if (s->eof)
			return 0;
		if (s->pos > 0) {
			memmove(s->buf, s->buf + s->pos, s->len - s->pos);
			s->len -= s->pos;
			s->nul -= s->nul != SIZE_MAX ? s->pos : 0;
			s->pos = 0;
		}
		if (s->len == s->cap) {
			if (s->cap >= SOURCE_LINE_MAX) {
				ml_error_set(err, "%s:%llu: a line over %u bytes: not a text trace", s->name,
					     (unsigned long long)s->line_no + 1, SOURCE_LINE_MAX);
				return -1;
			}
			s->cap *= 2;
			s->buf = xrealloc(s->buf, s->cap + 1, 1);
		}
		got = read(s->fd, s->buf + s->len, s->cap - s->len);
		if (got < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (got < 0) {
			if (!interrupt_check(err))
				ml_error_set(err, "%s: cannot read: %s", s->name, strerror(errno));
			return -1;
		}
		s->eof = got == 0;
		if (s->nul == SIZE_MAX && got > 0) {
			char *z = memchr(s->buf + s->len, '\0', (size_t)got);

			s->nul = z ? (size_t)(z - s->buf) : SIZE_MAX;
		}
		s->len += (size_t)got;
	}
}

static int bad_line(const struct source *s, struct ml_error *err, const char *what)
{
	ml_error_set(err, "%s:%llu: %s", s->name, (unsigned long long)s->line_no, what);
	return -1;
}

/* Hex digits with or without 0x, up to the end or a delimiter. */
static int parse_hex(const char **p, uint64_t *out)
{
	if ((*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X'))
		*p += 2;
	return digits_hex(p, out) ? 0 : -1;
}

static int parse_decimal(const char **p, uint64_t *out)
{
	return digits_decimal(p, out) ? 0 : -1;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Where an importer's records go: the sink of a merge (din, lackey,
 * percore), a writer in file order (interleaved), or nowhere but the
 * count of threads (interleaved's first pass, COUNTING). */
struct block_out {
	void (*put)(struct block_out *o, const struct trace_record *r);
	struct trace_sink *sink;
	struct trace_writer *writer;
	uint32_t threads;
	bool counting;
	struct trace_import_report *rep;
};

static void put_sink(struct block_out *o, const struct trace_record *r)
{
	trace_sink_add(o->sink, r);
	o->rep->records++;
}

static void put_writer(struct block_out *o, const struct trace_record *r)
{
	trace_writer_add(o->writer, r);
	o->rep->records++;
}

static void put_count(struct block_out *o, const struct trace_record *r)
{
	o->threads = r->thread >= o->threads ? r->thread + 1u : o->threads;
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
static int import_din_line(struct source *s, struct block_out *o, struct ml_error *err)
{
	struct trace_sink *sink = o->sink;
	struct trace_import_report *rep = o->rep;
	const char *p = skip_spaces(s->line);
	uint64_t label, address;

	if (!*p || *p == '#')
		return 0;
	if (parse_decimal(&p, &label) < 0 || label > 4)
		return bad_line(s, err, "expected a din label 0 to 4 (0 read, 1 write, 2 fetch, 3 misc, 4 copy-back)");
	p = skip_spaces(p);
	if (parse_hex(&p, &address) < 0)
		return bad_line(s, err, "expected a hex address after the label");
	if (*p && *p != ' ' && *p != '\t')
		return bad_line(s, err, "invalid hex address");
	if (din_ops[label] < 0) {
		rep->skipped++;
		rep->copybacks++;
	} else {
		emit(sink, rep, 0, (enum trace_op)din_ops[label], address & ~(uint64_t)(DIN_WORD - 1), DIN_WORD, 0);
	}
	return 0;
}

static int import_lackey_line(struct source *s, struct block_out *o, struct ml_error *err)
{
	struct trace_sink *sink = o->sink;
	struct trace_import_report *rep = o->rep;
	const char *p = s->line;
	char kind;
	uint64_t address, size;

	if (strncmp(p, "==", 2) == 0 || strncmp(p, "--", 2) == 0 || !*skip_spaces(p)) {
		rep->skipped++; /* valgrind's own messages */
		return 0;
	}
	p = skip_spaces(p);
	kind = *p++;
	if (!strchr("ILSM", kind) || (*p != ' ' && *p != '\t'))
		return bad_line(s, err, "expected a lackey record: I, L, S or M, then ADDRESS,SIZE");
	p = skip_spaces(p);
	if (parse_hex(&p, &address) < 0 || *p++ != ',')
		return bad_line(s, err, "expected ADDRESS,SIZE with a hex address");
	if (parse_decimal(&p, &size) < 0 || size == 0 || *skip_spaces(p))
		return bad_line(s, err, "expected a decimal size after the comma");
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
 * an import spends its time: tens of millions of lines): its records
 * (at most two) into REC, *END at the line's newline; 0 for any other
 * line, which then goes through the format's general parser. */
typedef unsigned (*usual_line)(const char *p, const char **end, struct trace_record *rec);
typedef int (*general_line)(struct source *s, struct block_out *o, struct ml_error *err);

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
	if (!digits_hex(&p, &address) || *p != '\n')
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
	if (!digits_hex(&p, &address) || *p++ != ',' || !digits_decimal(&p, &size) || *p != '\n' || size == 0 ||
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

/* The whole lines of the block through USUAL, or GENERAL where it says
 * no. 1 at the end, 0 for more, or -1 with ERR. */
static int import_block(struct source *s, usual_line usual, general_line general, struct block_out *o,
			struct ml_error *err)
{
	char *p = s->buf + s->pos, *last = s->pos < s->len ? memrchr(p, '\n', s->len - s->pos) : NULL;

	/* No whole line left, or a NUL among them: a line at a time. */
	if (!last || s->nul <= (size_t)(last - s->buf)) {
		int got = next_line(s, err);

		return got <= 0 ? (got < 0 ? -1 : 1) : general(s, o, err);
	}
	while (p <= last) {
		struct trace_record rec[2];
		const char *end;
		unsigned n = usual(p, &end, rec);
		char *nl;

		s->line_no++;
		if (n > 0) {
			for (unsigned i = 0; i < n; i++)
				o->put(o, &rec[i]);
			p = (char *)end + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(last - p) + 1);
		s->pos = (size_t)(nl + 1 - s->buf);
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		s->line = p;
		if (general(s, o, err) < 0)
			return -1;
		p = nl + 1;
	}
	s->pos = (size_t)(last + 1 - s->buf);
	return 0;
}

/* Course traces: the work of label 2 lines goes into the next access's gap. */
static int import_percore_line(struct source *s, struct trace_sink *sink, unsigned thread,
			       uint64_t *work, struct trace_import_report *rep, struct ml_error *err)
{
	const char *p = skip_spaces(s->line);
	uint64_t label, value;
	int hex;

	if (!*p || *p == '#')
		return 0;
	if (parse_decimal(&p, &label) < 0 || label > 2)
		return bad_line(s, err, "expected a label 0 (load), 1 (store) or 2 (other work)");
	p = skip_spaces(p);
	hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	/* Without 0x, addresses are hex (as course traces write them), cycles decimal. */
	if ((hex || label < 2 ? parse_hex(&p, &value) : parse_decimal(&p, &value)) < 0 || *skip_spaces(p))
		return bad_line(s, err, label < 2 ? "expected a hex address" : "expected a number of cycles");
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
	struct source s;
	uint64_t work = 0;
	int rc, got = 0;

	if (open_source(&s, job->inputs[thread], err) < 0)
		return -1;
	if (job->format == IMPORT_DIN || job->format == IMPORT_LACKEY) {
		bool din = job->format == IMPORT_DIN;
		struct block_out o = { .put = put_sink, .sink = sink, .rep = job->report };

		while ((got = import_block(&s, din ? usual_din : usual_lackey, din ? import_din_line : import_lackey_line,
					   &o, err)) == 0 &&
		       !trace_sink_stopped(sink, err))
			;
		got = got > 0 ? 0 : -1;
	}
	while (job->format == IMPORT_PERCORE && (got = next_line(&s, err)) > 0) {
		rc = import_percore_line(&s, sink, thread, &work, job->report, err);
		if (rc < 0 || (s.line_no % CHECK_EVERY_LINES == 0 && trace_sink_stopped(sink, err))) {
			got = -1;
			break;
		}
	}
	if (got == 0 && trace_sink_stopped(sink, err))
		got = -1;
	job->report->dropped_work += work;
	close_source(&s);
	return got < 0 ? -1 : 0;
}

/* interleaved: "PROCESSOR r|w ADDRESS", all cores in one file, in the
 * order the accesses happened. Into REC; 0, or -1 with ERR. */
static int parse_interleaved(const struct source *s, const char *p, struct trace_record *rec, struct ml_error *err)
{
	uint64_t cpu, address;
	char op;

	if (*p == 'P' || *p == 'p')
		p++;
	if (parse_decimal(&p, &cpu) < 0 || cpu >= TRACE_MAX_THREADS)
		return bad_line(s, err, "expected a processor number (0 to 65534, P prefix allowed)");
	p = skip_spaces(p);
	op = (char)tolower((unsigned char)*p);
	if ((op != 'r' && op != 'w') || (p[1] != ' ' && p[1] != '\t'))
		return bad_line(s, err, "expected r or w after the processor");
	p = skip_spaces(p + 1);
	if (parse_hex(&p, &address) < 0 || *skip_spaces(p))
		return bad_line(s, err, "expected a hex address after r or w");
	*rec = (struct trace_record){ .address = address, .thread = (uint16_t)cpu,
				      .op = op == 'r' ? TRACE_READ : TRACE_WRITE, .size = 1 };
	return 0;
}

static int import_interleaved_line(struct source *s, struct block_out *o, struct ml_error *err)
{
	const char *p = skip_spaces(s->line);
	struct trace_record rec;

	if (!*p || *p == '#') {
		o->rep->skipped += !o->counting;
		return 0;
	}
	if (parse_interleaved(s, p, &rec, err) < 0)
		return -1;
	o->put(o, &rec);
	return 0;
}

/* interleaved's usual line: "N r|w HEX" (one blank each, lower case, no
 * 0x or P). */
static unsigned usual_interleaved(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t cpu, address;
	char op;

	if (!digits_decimal(&p, &cpu) || cpu >= TRACE_MAX_THREADS || *p != ' ')
		return 0;
	op = p[1];
	if ((op != 'r' && op != 'w') || p[2] != ' ')
		return 0;
	p += 3;
	if (p[0] == '0' && p[1] == 'x')
		return 0;
	if (!digits_hex(&p, &address) || *p != '\n')
		return 0;
	*rec = (struct trace_record){ .address = address, .thread = (uint16_t)cpu,
				      .op = op == 'r' ? TRACE_READ : TRACE_WRITE, .size = 1 };
	*end = p;
	return 1;
}

/* An input that cannot be read twice (a pipe) becomes a temporary file
 * (unlinked) holding all of it; 0, or -1 with ERR. */
static int make_seekable(struct source *s, struct ml_error *err)
{
	FILE *copy;
	int fd;
	ssize_t got;

	if (rewind_source(s) == 0)
		return 0;
	copy = tmpfile();
	fd = copy ? dup(fileno(copy)) : -1;
	if (copy)
		fclose(copy);
	if (fd < 0) {
		ml_error_set(err, "cannot make a temporary copy of %s: %s", s->name, strerror(errno));
		return -1;
	}
	while ((got = read(s->fd, s->buf, s->cap)) != 0) {
		if (got < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (got < 0 || write(fd, s->buf, (size_t)got) != got) {
			if (!interrupt_check(err))
				ml_error_set(err, "cannot copy %s: %s", s->name, strerror(errno));
			close(fd);
			return -1;
		}
	}
	s->fd = fd; /* standard input stays open, the copy is closed with S */
	return rewind_source(s);
}

/* The blocks of S through the interleaved parsers into O: 0, or -1 with
 * ERR. */
static int interleaved_pass(struct source *s, struct block_out *o, struct ml_error *err)
{
	int got;

	while ((got = import_block(s, usual_interleaved, import_interleaved_line, o, err)) == 0)
		if ((o->writer && trace_writer_failed(o->writer, err)) || interrupt_check(err))
			return -1;
	return got < 0 ? -1 : 0;
}

/* Two passes, as the header's thread count comes first: the highest
 * processor, then the records. */
static int import_interleaved(const char *input, const char *output, struct trace_header *h,
			      struct trace_import_report *rep, struct ml_error *err)
{
	struct source s;
	struct block_out o = { .put = put_count, .counting = true, .rep = rep };
	int rc;

	if (open_source(&s, input, err) < 0)
		return -1;
	rc = make_seekable(&s, err);
	if (rc == 0)
		rc = interleaved_pass(&s, &o, err);
	if (rc == 0 && o.threads == 0) {
		ml_error_set(err, "%s: no accesses", s.name);
		rc = -1;
	}
	if (rc == 0) {
		h->threads = o.threads;
		rewind_source(&s);
		o = (struct block_out){ .put = put_writer, .writer = trace_writer_open(output, h, err), .rep = rep };
		rc = o.writer ? interleaved_pass(&s, &o, err) : -1;
	}
	if (o.writer && rc == 0)
		rc = trace_writer_close(o.writer, err);
	else if (o.writer)
		trace_writer_abort(o.writer);
	close_source(&s);
	return rc;
}

int trace_import(enum trace_import_format format, char *const *inputs, int ninputs,
		 const char *output, struct trace_header *h, struct trace_import_report *report,
		 struct ml_error *err)
{
	struct import_job job = { format, inputs, report };

	memset(report, 0, sizeof(*report));
	report->invented = invented_by_format[format];
	if (format == IMPORT_INTERLEAVED && ninputs == 1)
		return import_interleaved(inputs[0], output, h, report, err);
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
