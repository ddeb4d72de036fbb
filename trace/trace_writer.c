#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "trace_writer.h"
#include "xalloc.h"

#define WRITE_BUFFER_RECORDS 65536 /* 1 MiB */

struct trace_writer {
	struct atomic_file *file; /* NULL for standard output */
	FILE *fp;
	char *name;
	unsigned char *buf;
	size_t used;
	uint64_t records;
	int failed_errno;
};

static void flush_buffer(struct trace_writer *w)
{
	if (w->used && !w->failed_errno && fwrite(w->buf, 1, w->used, w->fp) != w->used)
		w->failed_errno = errno ? errno : EIO;
	w->used = 0;
}

struct trace_writer *trace_writer_open(const char *path, const struct trace_header *h,
				       struct ml_error *err)
{
	struct trace_writer *w = xcalloc(1, sizeof(*w));
	struct trace_header clean = *h;
	unsigned char *header;
	uint32_t size;

	clean.locations = false; /* its records are 16 bytes: the locations of a trace it copies are left out */

	for (char *p = clean.generator; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strcmp(path, "-") == 0) {
		w->fp = stdout;
	} else {
		w->file = atomic_file_open(path, err);
		if (!w->file) {
			free(w);
			return NULL;
		}
		w->fp = atomic_file_stream(w->file);
	}
	w->name = xstrdup(w->file ? path : "standard output");
	w->buf = xmalloc(WRITE_BUFFER_RECORDS * TRACE_RECORD_SIZE);
	header = xmalloc(trace_header_size((uint32_t)strlen(clean.generator)));
	size = trace_header_encode(&clean, header);
	if (fwrite(header, 1, size, w->fp) != size)
		w->failed_errno = errno ? errno : EIO;
	free(header);
	return w;
}

void trace_writer_add(struct trace_writer *w, const struct trace_record *r)
{
	if (w->used == WRITE_BUFFER_RECORDS * TRACE_RECORD_SIZE)
		flush_buffer(w);
#if TRACE_NATIVE_LAYOUT
	memcpy(w->buf + w->used, r, TRACE_RECORD_SIZE);
#else
	trace_record_encode(r, w->buf + w->used);
#endif
	w->used += TRACE_RECORD_SIZE;
	w->records++;
}

void trace_writer_add_many(struct trace_writer *w, const struct trace_record *r, size_t n)
{
#if TRACE_NATIVE_LAYOUT
	while (n > 0) {
		size_t room = (WRITE_BUFFER_RECORDS * TRACE_RECORD_SIZE - w->used) / TRACE_RECORD_SIZE;
		size_t take = n < room ? n : room;

		if (take == 0) {
			flush_buffer(w);
			continue;
		}
		memcpy(w->buf + w->used, r, take * TRACE_RECORD_SIZE);
		w->used += take * TRACE_RECORD_SIZE;
		w->records += take;
		r += take;
		n -= take;
	}
#else
	for (size_t i = 0; i < n; i++)
		trace_writer_add(w, &r[i]);
#endif
}

uint64_t trace_writer_records(const struct trace_writer *w)
{
	return w->records;
}

bool trace_writer_failed(const struct trace_writer *w, struct ml_error *err)
{
	if (!w->failed_errno)
		return false;
	ml_error_set(err, "%s: cannot write: %s", w->name, strerror(w->failed_errno));
	return true;
}

static void writer_free(struct trace_writer *w)
{
	free(w->buf);
	free(w->name);
	free(w);
}

int trace_writer_close(struct trace_writer *w, struct ml_error *err)
{
	int rc = 0;

	flush_buffer(w);
	if (!w->file && fflush(w->fp) != 0 && !w->failed_errno)
		w->failed_errno = errno ? errno : EIO;
	if (trace_writer_failed(w, err)) {
		if (w->file)
			atomic_file_abort(w->file);
		rc = -1;
	} else if (w->file) {
		rc = atomic_file_commit(w->file, err);
	}
	writer_free(w);
	return rc;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (w->file)
		atomic_file_abort(w->file);
	writer_free(w);
}
