#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "interrupt.h"
#include "progress.h"
#include "trace_merge.h"
#include "trace_reader.h"
#include "trace_writer.h"
#include "xalloc.h"

#define SPOOL_RECORDS 65536

/* Where one thread's records go: the trace itself (one thread), or a
 * spool file waiting for the merge. */
struct trace_sink {
	struct trace_writer *direct;
	struct atomic_file *spool;
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
	if (s->direct) {
		trace_writer_add(s->direct, rec);
		return;
	}
	if (s->used == SPOOL_RECORDS * TRACE_RECORD_SIZE)
		spool_flush(s);
	trace_record_encode(rec, s->buf + s->used);
	s->used += TRACE_RECORD_SIZE;
}

bool trace_sink_stopped(const struct trace_sink *s, struct ml_error *err)
{
	if (s->direct)
		return trace_writer_failed(s->direct, err) || interrupt_check(err);
	if (s->failed_errno) {
		ml_error_set(err, "temporary spool file: cannot write: %s", strerror(s->failed_errno));
		return true;
	}
	return interrupt_check(err);
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
		if (++written % (1u << 22) == 0) {
			if (trace_writer_failed(w, err) || interrupt_check(err))
				return -1;
			progress_update("merging the threads' records: %" PRIu64 " M", written >> 20);
		}
	}
}

/* The spool of THREAD: beside PATH, or in the temporary directory when
 * the trace goes to standard output. */
/* A thread's spool: beside the trace, or in the temporary directory when
 * the trace goes to standard output or through a device or a FIFO
 * (/dev/null: a spool beside it would be a file in /dev). */
static char *spool_name(const char *path, unsigned thread)
{
	const char *tmpdir = getenv("TMPDIR");
	struct stat st;

	if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
		return xasprintf("%s/mesilab-trace.%ld.thread-%u", tmpdir && *tmpdir ? tmpdir : "/tmp", (long)getpid(),
				 thread);
	return xasprintf("%s.thread-%u", path, thread);
}

static int produce_direct(const char *path, const struct trace_header *h, trace_producer produce,
			  void *arg, struct ml_error *err)
{
	struct trace_sink sink = { .direct = trace_writer_open(path, h, err) };

	if (!sink.direct)
		return -1;
	progress_update("tracing");
	if (produce(&sink, 0, arg, err) < 0) {
		trace_writer_abort(sink.direct);
		return -1;
	}
	return trace_writer_close(sink.direct, err);
}

static int spool_thread(const char *path, struct trace_sink *s, const struct trace_header *h,
			unsigned t, trace_producer produce, void *arg, struct ml_error *err)
{
	char *name = spool_name(path, t);

	s->spool = atomic_file_open(name, err);
	free(name);
	if (!s->spool)
		return -1;
	s->fp = atomic_file_stream(s->spool);
	s->buf = xmalloc(SPOOL_RECORDS * TRACE_RECORD_SIZE);
	progress_update("tracing thread %u of %u", t + 1, h->threads);
	if (produce(s, t, arg, err) < 0)
		return -1;
	spool_flush(s);
	if (fflush(s->fp) != 0 && !s->failed_errno)
		s->failed_errno = errno ? errno : EIO;
	return trace_sink_stopped(s, err) ? -1 : 0;
}

int trace_merge_write(const char *path, const struct trace_header *h, trace_producer produce,
		      void *arg, struct ml_error *err)
{
	unsigned threads = h->threads;
	struct trace_sink *spools;
	struct merge_input *inputs;
	struct trace_writer *w = NULL;
	int rc = -1;

	if (threads == 1)
		return produce_direct(path, h, produce, arg, err);
	spools = xcalloc(threads, sizeof(*spools));
	inputs = xcalloc(threads, sizeof(*inputs));
	for (unsigned t = 0; t < threads; t++) {
		if (spool_thread(path, &spools[t], h, t, produce, arg, err) < 0)
			goto out;
		inputs[t].reader = trace_reader_raw(fileno(spools[t].fp), h, "temporary spool file");
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
		atomic_file_abort(spools[t].spool);
		free(spools[t].buf);
	}
	free(inputs);
	free(spools);
	return rc;
}
