#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "trace_merge.h"
#include "trace_reader.h"
#include "trace_writer.h"
#include "xalloc.h"

#define SPOOL_RECORDS 65536

/* Where one thread's records wait until the merge. */
struct trace_sink {
	FILE *fp;
	unsigned char *buf;
	size_t used;
	int failed_errno;
};

static void spool_flush(struct trace_sink *s)
{
	if (s->used && !s->failed_errno && fwrite(s->buf, 1, s->used, s->fp) != s->used)
		s->failed_errno = errno ? errno : EIO;
	s->used = 0;
}

void trace_sink_add(struct trace_sink *s, const struct trace_record *rec)
{
	if (s->used == SPOOL_RECORDS * TRACE_RECORD_SIZE)
		spool_flush(s);
	trace_record_encode(rec, s->buf + s->used);
	s->used += TRACE_RECORD_SIZE;
}

/* One thread's spooled records, read back in order. */
struct merge_input {
	struct trace_reader *reader;
	struct trace_record next;
	uint64_t issue; /* when NEXT issues on the ideal machine */
	int has_next;
};

static int advance(struct merge_input *in, struct ml_error *err)
{
	uint64_t done = in->issue + (in->has_next ? 1 : 0);
	int rc = trace_reader_next(in->reader, &in->next, err);

	if (rc < 0)
		return -1;
	in->has_next = rc;
	if (rc)
		in->issue = done + in->next.gap;
	return 0;
}

static int merge(struct trace_writer *w, struct merge_input *in, unsigned threads,
		 struct ml_error *err)
{
	uint64_t written = 0;

	for (unsigned t = 0; t < threads; t++)
		if (advance(&in[t], err) < 0)
			return -1;
	for (;;) {
		int best = -1;

		for (unsigned t = 0; t < threads; t++)
			if (in[t].has_next && (best < 0 || in[t].issue < in[best].issue))
				best = (int)t;
		if (best < 0)
			return 0;
		trace_writer_add(w, &in[best].next);
		if (advance(&in[best], err) < 0)
			return -1;
		if (++written % (1u << 22) == 0)
			progress_update("merging the threads' records: %" PRIu64 " M", written >> 20);
	}
}

int trace_merge_write(const char *path, const struct trace_header *h, trace_producer produce,
		      void *arg, struct ml_error *err)
{
	unsigned threads = h->threads;
	struct trace_sink *spools = xcalloc(threads, sizeof(*spools));
	struct merge_input *inputs = xcalloc(threads, sizeof(*inputs));
	struct trace_writer *w = NULL;
	int rc = -1;

	for (unsigned t = 0; t < threads; t++) {
		struct trace_sink *s = &spools[t];

		s->fp = tmpfile();
		if (!s->fp) {
			ml_error_set(err, "cannot create a temporary file: %s", strerror(errno));
			goto out;
		}
		s->buf = xmalloc(SPOOL_RECORDS * TRACE_RECORD_SIZE);
		progress_update("tracing thread %u of %u", t + 1, threads);
		if (produce(s, t, arg, err) < 0)
			goto out;
		spool_flush(s);
		if (fflush(s->fp) != 0 && !s->failed_errno)
			s->failed_errno = errno ? errno : EIO;
		if (s->failed_errno) {
			ml_error_set(err, "temporary trace file: cannot write: %s", strerror(s->failed_errno));
			goto out;
		}
		inputs[t].reader = trace_reader_raw(fileno(s->fp), h, "temporary trace file");
	}
	w = trace_writer_open(path, h, err);
	if (!w)
		goto out;
	if (merge(w, inputs, threads, err) < 0) {
		trace_writer_abort(w);
		goto out;
	}
	rc = trace_writer_close(w, err);
out:
	progress_done();
	for (unsigned t = 0; t < threads; t++) {
		trace_reader_close(inputs[t].reader);
		if (spools[t].fp)
			fclose(spools[t].fp);
		free(spools[t].buf);
	}
	free(inputs);
	free(spools);
	return rc;
}
