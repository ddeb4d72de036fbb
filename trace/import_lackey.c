/* lackey: what valgrind --tool=lackey --trace-mem=yes writes, "I  ADDR,SIZE"
 * (an instruction fetch), " L ADDR,SIZE" (a load), " S ..." (a store),
 * " M ..." (a modify: a load then a store), hex address, decimal size;
 * valgrind's own messages ("==PID== ...", "--PID-- ...") are skipped. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "digits.h"
#include "importer.h"

/* valgrind's lackey never reports an access wider than this (its
 * MAX_DSIZE): a larger size is a damaged file, not an access. */
#define LACKEY_MAX_SIZE 512

static int lackey_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct import_sink *o = lp->ctx;
	const char *p = s->line;
	char kind;
	uint64_t address, size;

	if (strncmp(p, "==", 2) == 0 || strncmp(p, "--", 2) == 0 || !*line_skip_blanks(p)) {
		o->report->skipped++;
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
	case 'I': import_emit(o->sink, o->report, 0, TRACE_IFETCH, address, size, 0); break;
	case 'L': import_emit(o->sink, o->report, 0, TRACE_READ, address, size, 0); break;
	case 'S': import_emit(o->sink, o->report, 0, TRACE_WRITE, address, size, 0); break;
	default:
		import_emit(o->sink, o->report, 0, TRACE_READ, address, size, 0);
		import_emit(o->sink, o->report, 0, TRACE_WRITE, address, size, 0);
	}
	return 0;
}

/* The usual line, parsed where it lies: "I  ADDR,SIZE" or " L|S|M
 * ADDR,SIZE", a size from 1 to what a record holds (a larger one is
 * split, or refused, by lackey_line). */
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
	    size > IMPORT_MAX_PIECE)
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

int import_lackey(const struct trace_import_job *job, struct ml_error *err)
{
	job->report->invented = "lackey has no gaps (instruction fetches are records of their own): every gap is 0";
	return import_single_thread(job, usual_lackey, lackey_line, err);
}
