/* interleaved, the course traces of every core's accesses in one file, in
 * the order they happened (which the trace keeps: a reference):
 * "[P]PROCESSOR r|w ADDRESS", processor decimal (P prefix allowed),
 * address hex (0x optional); the thread count is the highest
 * processor's. trace_ordered_convert() reads it twice, first for the
 * thread count, then for the records. */
#include <config.h>

#include <ctype.h>
#include <stdint.h>

#include "digits.h"
#include "importer.h"
#include "trace_ordered.h"

static int interleaved_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	const char *p = line_skip_blanks(s->line);
	uint64_t cpu, address;
	char op;

	if (!*p || *p == '#') {
		trace_ordered_skip(lp);
		return 0;
	}
	p += *p == 'P' || *p == 'p';
	if (!digits_decimal(&p, &cpu) || cpu >= TRACE_MAX_THREADS)
		return line_source_bad(s, err, "expected a processor number (0 to 65534, P prefix allowed)");
	p = line_skip_blanks(p);
	op = (char)tolower((unsigned char)*p);
	if ((op != 'r' && op != 'w') || (p[1] != ' ' && p[1] != '\t'))
		return line_source_bad(s, err, "expected r or w after the processor");
	p = line_skip_blanks(p + 1);
	if (!digits_hex_0x(&p, &address) || *line_skip_blanks(p))
		return line_source_bad(s, err, "expected a hex address after r or w");
	return lp->put(lp->ctx, &(struct trace_record){ .address = address, .thread = (uint16_t)cpu, .size = 1,
						  .op = op == 'r' ? TRACE_READ : TRACE_WRITE },
		       s, err);
}

static const unsigned char interleaved_ops[256] = { ['r'] = TRACE_READ + 1, ['w'] = TRACE_WRITE + 1 };

/* interleaved's usual line: "N r|w HEX" (one blank each, lower case, no
 * 0x or P). */
static unsigned usual_interleaved(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t cpu, address;
	unsigned op;

	if (!digits_decimal(&p, &cpu) || cpu >= TRACE_MAX_THREADS || *p != ' ')
		return 0;
	op = interleaved_ops[(unsigned char)p[1]]; /* a table: r and w come in no order a branch could learn */
	if (!op || p[2] != ' ')
		return 0;
	p += 3;
	if ((p[0] == '0' && p[1] == 'x') || !digits_hex_ahead(&p, &address))
		return 0;
	*rec = (struct trace_record){ .address = address, .thread = (uint16_t)cpu, .op = (uint8_t)(op - 1),
				      .size = 1 };
	*end = p;
	return 1;
}

/* A line that starts "[P]N": thread N. */
static unsigned processor_of(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t cpu;

	p += *p == 'P' || *p == 'p';
	if (!digits_decimal(&p, &cpu) || cpu >= TRACE_MAX_THREADS)
		return 0;
	rec->thread = (uint16_t)cpu;
	*end = line_end(p);
	return 1;
}

static const struct trace_ordered_format interleaved = { processor_of, usual_interleaved, interleaved_line, false };

int import_interleaved(const struct trace_import_job *job, struct ml_error *err)
{
	job->report->invented = "interleaved has no sizes and no gaps: every access is 1 byte (never across two "
				"lines), every gap 0; the file's order is kept";
	if (job->ninputs != 1) {
		ml_error_set(err, "%s traces are one file for every core: give one input, not %d", job->name,
			     job->ninputs);
		return -1;
	}
	return trace_ordered_convert(&interleaved, job->inputs[0], job->output, job->h, &job->report->records,
				     &job->report->skipped, err);
}
