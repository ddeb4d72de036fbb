/* din, Dinero IV's format: "LABEL ADDRESS", LABEL 0 a read, 1 a write, 2
 * an instruction fetch, 3 an access of unknown type (Dinero's "misc",
 * which its caches treat as a read), 4 a copy-back (Dinero writes the
 * line back if dirty and keeps it: no hit or miss changes), which a trace
 * cannot hold: skipped, and counted. The address is hex; the access is
 * the 4-byte word that holds it, as Dinero IV reads a record. */
#include <config.h>

#include <stdint.h>

#include "digits.h"
#include "importer.h"

#define DIN_WORD 4
static const int din_ops[] = { TRACE_READ, TRACE_WRITE, TRACE_IFETCH, TRACE_READ, -1 };

static int din_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct import_sink *o = lp->ctx;
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
		o->report->skipped++;
		o->report->copybacks++;
	} else {
		import_emit(o->sink, o->report, 0, (enum trace_op)din_ops[label], address & ~(uint64_t)(DIN_WORD - 1),
			    DIN_WORD, 0);
	}
	return 0;
}

/* The usual line, parsed where it lies (where an import spends its time:
 * tens of millions of lines): a one-digit label from 0 to 3, blanks, a
 * hex address. */
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

int import_din(const struct trace_import_job *job, struct ml_error *err)
{
	job->report->invented = "din has no sizes and no gaps: every access is the 4-byte word holding its address "
				"(as Dinero IV reads it), every gap 0";
	return import_single_thread(job, usual_din, din_line, err);
}
