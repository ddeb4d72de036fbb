/* percore, the course traces of one file per core (given in core order):
 * "LABEL VALUE", 0 a load and 1 a store of the hex address VALUE, 2
 * VALUE cycles of other work (decimal unless 0x), which go into the gap
 * of the core's next access. Each core's records are one thread's
 * stream; trace_merge_write() puts the threads together. */
#include <config.h>

#include <stdint.h>

#include "digits.h"
#include "importer.h"

/* The size of every access: the format has none. */
#define INVENTED_SIZE 4
/* How often (in lines) an import looks for a stop request or a failed
 * write: rarely enough to cost nothing, often enough to stop at once. */
#define CHECK_EVERY_LINES 4096

static int percore_line(struct line_source *s, struct trace_sink *sink, unsigned thread, uint64_t *work,
			struct trace_import_report *rep, struct ml_error *err)
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
	import_emit(sink, rep, thread, label ? TRACE_WRITE : TRACE_READ, value, INVENTED_SIZE, *work);
	*work = 0;
	return 0;
}

/* Core THREAD's file, line by line. */
static int produce(struct trace_sink *sink, unsigned thread, void *arg, struct ml_error *err)
{
	const struct trace_import_job *job = arg;
	struct line_source s;
	uint64_t work = 0;
	int got;

	if (line_source_open(&s, job->inputs[thread], err) < 0)
		return -1;
	while ((got = line_source_next(&s, err)) > 0) {
		if (percore_line(&s, sink, thread, &work, job->report, err) < 0 ||
		    (s.line_no % CHECK_EVERY_LINES == 0 && trace_sink_stopped(sink, err))) {
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

int import_percore(const struct trace_import_job *job, struct ml_error *err)
{
	job->report->invented = "percore has no sizes: every access is 4 bytes (one word)";
	if (job->ninputs < 1 || job->ninputs > TRACE_MAX_THREADS) {
		ml_error_set(err, "give from 1 to %d input files", TRACE_MAX_THREADS);
		return -1;
	}
	job->h->threads = (uint32_t)job->ninputs;
	return trace_merge_write(job->output, job->h, produce, (void *)job, err);
}
