/* The helpers of importer.h. */
#include <config.h>

#include <string.h>

#include "importer.h"

void import_emit(struct trace_sink *sink, struct trace_import_report *report, unsigned thread, enum trace_op op,
		 uint64_t address, uint64_t size, uint64_t gap)
{
	struct trace_record rec = { .thread = (uint16_t)thread, .op = (uint8_t)op,
				    .gap = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap };

	if (size > IMPORT_MAX_PIECE)
		report->split++;
	do {
		rec.address = address;
		rec.size = (uint8_t)(size > IMPORT_MAX_PIECE ? IMPORT_MAX_PIECE : size);
		trace_sink_add(sink, &rec);
		report->records++;
		address += rec.size;
		size -= rec.size;
		rec.gap = 0;
	} while (size);
}

/* The usual lines' records, which the line source parsed. */
static int put_sink(void *ctx, const struct trace_record *r, const struct line_source *s, struct ml_error *err)
{
	struct import_sink *o = ctx;

	(void)s, (void)err;
	trace_sink_add(o->sink, r);
	o->report->records++;
	return 0;
}

/* A format without a usual line of its own: every line is its general
 * parser's. */
static unsigned no_usual_line(const char *p, const char **end, struct trace_record *rec)
{
	(void)p, (void)end, (void)rec;
	return 0;
}

struct single_thread {
	const struct trace_import_job *job;
	struct line_parser lp;
};

static int produce_single(struct trace_sink *sink, unsigned thread, void *arg, struct ml_error *err)
{
	struct single_thread *st = arg;
	struct import_sink o = { sink, st->job->report };
	struct line_parser lp = st->lp;
	struct line_source s;
	int got;

	if (line_source_open(&s, st->job->inputs[thread], err) < 0)
		return -1;
	lp.ctx = &o;
	while ((got = line_source_block(&s, &lp, err)) == 0 && !trace_sink_stopped(sink, err))
		;
	got = got > 0 ? 0 : -1;
	/* A wrong path, or a tracer that wrote nothing: no trace, though the
	 * format would take it as one of no accesses. */
	if (got == 0 && s.base + s.len == 0) {
		ml_error_set(err, "%s: empty %s, not a trace (0 bytes)", s.name,
			     strcmp(st->job->inputs[thread], "-") == 0 ? "input" : "file");
		got = -1;
	}
	if (got == 0 && trace_sink_stopped(sink, err))
		got = -1;
	line_source_close(&s);
	return got;
}

int import_single_thread(const struct trace_import_job *job,
			 unsigned (*usual)(const char *p, const char **end, struct trace_record *rec),
			 int (*general)(struct line_source *s, const struct line_parser *lp, struct ml_error *err),
			 struct ml_error *err)
{
	struct single_thread st = { job, { usual ? usual : no_usual_line, general, put_sink, NULL } };

	if (job->ninputs != 1) {
		ml_error_set(err, "%s traces are single-threaded: give one input, not %d", job->name, job->ninputs);
		return -1;
	}
	job->h->threads = 1;
	return trace_merge_write(job->output, job->h, produce_single, &st, err);
}
