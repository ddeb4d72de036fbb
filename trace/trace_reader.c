#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interrupt.h"
#include "line_source.h"
#include "trace_check.h"
#include "trace_chunk.h"
#include "trace_chunked.h"
#include "trace_reader.h"
#include "trace_locations.h"
#include "trace_text.h"
#include "xalloc.h"

#define DEFAULT_BUFFER_RECORDS 16384 /* 256 KiB: stays in L2 between the copy and the check */
#define FILTER_NONE (-1)

struct trace_reader {
	char *name;
	int fd;
	bool owns_fd;
	bool seekable; /* read with pread at our own offset */
	bool was_text;
	unsigned version;
	/* A version 1 program's atomics are its synchronisation: marked as
	 * they are read, so that everything after sees version 2's records. */
	bool rmw_is_sync;
	struct trace_header header;
	size_t rec_size;      /* 16, or 20 with code locations */
	bool ended;           /* the code locations' marker is read: no more records */
	struct trace_locations *locations; /* read at the start of a file that has them, else NULL */
	bool owns_locations;
	uint64_t locations_at; /* their marker's byte offset */
	/* Version 4: the threads' chunks, merged as they are read; the byte
	 * offsets the reader gives are then the header's size plus 16 bytes
	 * a record of the merged order (what a version 2 trace has). */
	struct trace_chunked *chunked;
	bool narrow_asked;    /* whether a cursor tried reading its thread alone */
	uint64_t offset;      /* byte offset of the first record in buf */
	uint64_t data_offset; /* where the records start */
	uint64_t first_index; /* the index in the trace of the record there (a spool's is not 0) */
	unsigned char *buf;   /* raw bytes as read */
	size_t buf_cap, buf_len, buf_pos;
	bool eof;
	int filter;           /* a thread, or FILTER_NONE */
	trace_watch watch;    /* following the order: sees every record read */
	void *watch_ctx;
	bool keys;            /* keeping order keys without a watch */
	/* A chunked trace's order keys: each thread's greatest stamp so far,
	 * its records' included (a cursor starts from its reader's). */
	uint64_t *key_max;
	struct trace_record *out; /* decoded or filtered records */
	uint64_t *out_index;  /* the records' order keys (trace_reader_indices) */
	uint32_t *out_loc;    /* the records' code locations, with them */
	size_t out_cap;
	const struct trace_record *pending; /* the batch trace_reader_next() hands out */
	size_t pending_count, pending_next;
};

/* read() that retries after short reads until LEN or the end, and after
 * signals unless one asked to stop (a read from a pipe that nothing feeds
 * must not outlive a SIGTERM). */
static ssize_t read_fully(int fd, unsigned char *buf, size_t len, bool positioned, uint64_t at)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = positioned ? pread(fd, buf + got, len - got, (off_t)(at + got))
				       : read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static struct trace_reader *reader_new(int fd, const char *name, bool owns_fd, size_t buffer_records)
{
	struct trace_reader *r = xcalloc(1, sizeof(*r));
	struct stat st;

	r->name = xstrdup(name);
	r->fd = fd;
	r->owns_fd = owns_fd;
	r->seekable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	r->filter = FILTER_NONE;
	r->version = TRACE_VERSION;
	r->rec_size = TRACE_RECORD_SIZE;
	/* At least a record of either size (a record cut by the buffer's end
	 * is kept for the next refill). */
	r->buf_cap = buffer_records < 2 ? 2 * TRACE_RECORD_SIZE : buffer_records * TRACE_RECORD_SIZE;
	r->buf = xmalloc(r->buf_cap);
	return r;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->owns_fd)
		close(r->fd);
	trace_chunked_close(r->chunked);
	free(r->name);
	free(r->buf);
	free(r->out);
	free(r->out_index);
	free(r->out_loc);
	free(r->key_max);
	if (r->owns_locations) {
		trace_locations_free(r->locations);
		free(r->locations);
	}
	free(r);
}

const struct trace_header *trace_reader_header(const struct trace_reader *r)
{
	return &r->header;
}

const char *trace_reader_name(const struct trace_reader *r)
{
	return r->name;
}

bool trace_reader_was_text(const struct trace_reader *r)
{
	return r->was_text;
}

unsigned trace_reader_version(const struct trace_reader *r)
{
	return r->was_text ? 0 : r->version;
}

bool trace_reader_seekable(const struct trace_reader *r)
{
	return r->seekable;
}

uint64_t trace_reader_offset(const struct trace_reader *r)
{
	if (r->chunked)
		return r->data_offset + trace_chunked_read(r->chunked) * TRACE_RECORD_SIZE;
	return r->offset + r->buf_pos;
}

/* Refills the buffer, keeping an incomplete record's bytes at its start.
 * Every command that reads a trace stops here when a signal asked it to:
 * a buffer is read in a fraction of a second. */
static int refill(struct trace_reader *r, struct ml_error *err)
{
	size_t keep = r->buf_len - r->buf_pos;
	ssize_t n;

	if (interrupt_check(err))
		return -1;
	memmove(r->buf, r->buf + r->buf_pos, keep);
	r->offset += r->buf_pos;
	r->buf_pos = 0;
	r->buf_len = keep;
	n = read_fully(r->fd, r->buf + keep, r->buf_cap - keep, r->seekable, r->offset + keep);
	if (n < 0) {
		if (!interrupt_check(err))
			ml_error_set(err, "%s: cannot read: %s", r->name, strerror(errno));
		return -1;
	}
	r->buf_len += (size_t)n;
	if (r->buf_len < r->buf_cap)
		r->eof = true;
	return 0;
}

/* The bits an op byte may have: version 1 had no sync mark. */
static unsigned valid_op_bits(const struct trace_reader *r)
{
	return r->version >= 2 ? TRACE_OP_MASK | TRACE_SYNC : TRACE_OP_MASK;
}

static int report_bad_record(const struct trace_reader *r, const struct trace_record *rec,
			     uint64_t offset, struct ml_error *err)
{
	if (rec->thread >= r->header.threads)
		ml_error_set(err, "%s: byte %llu: thread %u beyond the header's %u threads", r->name,
			     (unsigned long long)offset, rec->thread, r->header.threads);
	else if (rec->op & ~valid_op_bits(r))
		ml_error_set(err, "%s: byte %llu: unknown operation %u", r->name,
			     (unsigned long long)offset, rec->op);
	else
		ml_error_set(err, "%s: byte %llu: access size 0", r->name, (unsigned long long)offset);
	return -1;
}

/* Every record is checked: this is the one place malformed input enters.
 * Reductions (highest thread, union of op bits, smallest size) rather than
 * a test per record keep the check cheap beside the rest of reading. */
static int check_records(const struct trace_reader *r, const struct trace_record *recs, size_t n,
			 struct ml_error *err)
{
	struct trace_summary sum;
	unsigned valid = valid_op_bits(r);

	trace_summarise(recs, n, &sum);
	if (sum.max_thread < r->header.threads && !(sum.op_bits & ~valid) && sum.min_size > 0)
		return 0;
	for (size_t i = 0;; i++)
		if (recs[i].thread >= r->header.threads || (recs[i].op & ~valid) || recs[i].size == 0)
			return report_bad_record(r, &recs[i], trace_reader_offset(r) + i * r->rec_size, err);
}

static void ensure_out(struct trace_reader *r, size_t n)
{
	if (r->out_cap < n || ((r->watch || r->keys) && !r->out_index)) {
		n = n > r->out_cap ? n : r->out_cap;
		free(r->out);
		free(r->out_index);
		free(r->out_loc);
		r->out = xmalloc(n * sizeof(*r->out));
		r->out_index = r->watch || r->keys ? xmalloc(n * sizeof(*r->out_index)) : NULL;
		r->out_loc = r->rec_size == TRACE_LOC_RECORD_SIZE ? xmalloc(n * sizeof(*r->out_loc)) : NULL;
		r->out_cap = n;
	}
}

static void mark_rmw_sync(struct trace_record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (recs[i].op == TRACE_RMW)
			recs[i].op |= TRACE_SYNC;
}

/* Decodes AVAIL records of 20 bytes (a 16-byte record and its code
 * location) into OUT and OUT_LOC, up to the marker that ends them. Returns
 * how many; -1 when a location is beyond the trace's table. */
static ssize_t decode_located(struct trace_reader *r, size_t avail, struct ml_error *err)
{
	const unsigned char *in = r->buf + r->buf_pos;
	uint32_t limit = r->locations ? r->locations->npcs : UINT32_MAX;

	ensure_out(r, avail);
	for (size_t i = 0; i < avail; i++, in += TRACE_LOC_RECORD_SIZE) {
		if (in[14] == 0xff && trace_loc_is_marker(in)) {
			r->ended = true;
			return (ssize_t)i;
		}
		trace_record_decode(in, &r->out[i]);
		r->out_loc[i] = (uint32_t)in[16] | (uint32_t)in[17] << 8 | (uint32_t)in[18] << 16 |
				(uint32_t)in[19] << 24;
		if (r->out_loc[i] > limit) {
			ml_error_set(err, "%s: byte %llu: code location %u beyond the trace's %u", r->name,
				     (unsigned long long)(trace_reader_offset(r) + i * TRACE_LOC_RECORD_SIZE + 16),
				     r->out_loc[i], limit);
			return -1;
		}
	}
	return (ssize_t)avail;
}

/* Version 4: the merge's next records; a cursor of one thread that
 * nothing watches reads that thread's chunks alone. */
static ssize_t chunked_batch(struct trace_reader *r, const struct trace_record **records, struct ml_error *err)
{
	size_t batch = r->buf_cap / TRACE_RECORD_SIZE;

	if (!r->narrow_asked) {
		r->narrow_asked = true;
		if (r->filter != FILTER_NONE && !r->watch)
			trace_chunked_narrow(r->chunked, (unsigned)r->filter);
	}
	ensure_out(r, batch);
	for (;;) {
		uint64_t first;
		size_t nkept = 0;
		ssize_t n = trace_chunked_batch(r->chunked, r->out, r->out_loc, r->out_index, batch, &first, err);

		if (n <= 0)
			return n;
		/* The order keys: a stamp, raised to the greatest of its thread's
		 * so far, as the merge by stamp leaves a clock that went back
		 * where it was (its records come after the greater stamp's). */
		if (r->out_index) {
			if (!r->key_max)
				r->key_max = xcalloc(r->header.threads, sizeof(*r->key_max));
			for (ssize_t i = 0; i < n; i++) {
				uint64_t *most = &r->key_max[r->out[i].thread];

				*most = r->out_index[i] > *most ? r->out_index[i] : *most;
				r->out_index[i] = *most;
			}
		}
		if (r->filter == FILTER_NONE || !trace_chunked_merges(r->chunked)) {
			*records = r->out;
			return n;
		}
		if (r->watch)
			r->watch(r->watch_ctx, r->out, (size_t)n, first);
		for (ssize_t i = 0; i < n; i++) {
			if (r->out[i].thread != r->filter)
				continue;
			r->out[nkept] = r->out[i];
			if (r->out_index)
				r->out_index[nkept] = r->out_index[i];
			if (r->out_loc)
				r->out_loc[nkept] = r->out_loc[i];
			nkept++;
		}
		if (nkept) {
			*records = r->out;
			return (ssize_t)nkept;
		}
	}
}

ssize_t trace_reader_batch(struct trace_reader *r, const struct trace_record **records,
			   struct ml_error *err)
{
	if (r->chunked)
		return chunked_batch(r, records, err);
	for (;;) {
		size_t avail = (r->buf_len - r->buf_pos) / r->rec_size;
		struct trace_record *recs;
		uint64_t first;
		size_t nkept = 0;

		if (r->ended)
			return 0;
		if (avail == 0) {
			if (r->eof) {
				if (r->buf_len > r->buf_pos) {
					ml_error_set(err, "%s: byte %llu: truncated record (%zu of %zu bytes)",
						     r->name, (unsigned long long)trace_reader_offset(r),
						     r->buf_len - r->buf_pos, r->rec_size);
					return -1;
				}
				if (r->header.locations && r->rec_size == TRACE_LOC_RECORD_SIZE) {
					ml_error_set(err, "%s: byte %llu: the records end without the code locations "
						     "the header announces", r->name,
						     (unsigned long long)trace_reader_offset(r));
					return -1;
				}
				return 0;
			}
			if (refill(r, err) < 0)
				return -1;
			continue;
		}
		if (r->rec_size == TRACE_LOC_RECORD_SIZE) {
			ssize_t n = decode_located(r, avail, err);

			if (n < 0)
				return -1;
			if (n == 0)
				continue; /* the marker: ended */
			avail = (size_t)n;
			recs = r->out;
		} else {
#if TRACE_NATIVE_LAYOUT
			recs = (struct trace_record *)(r->buf + r->buf_pos);
#else
			ensure_out(r, avail);
			for (size_t i = 0; i < avail; i++)
				trace_record_decode(r->buf + r->buf_pos + i * TRACE_RECORD_SIZE, &r->out[i]);
			recs = r->out;
#endif
		}
		if (check_records(r, recs, avail, err) < 0)
			return -1;
		first = r->first_index + (trace_reader_offset(r) - r->data_offset) / r->rec_size;
		r->buf_pos += avail * r->rec_size;
		/* Marked where they are seen: a filtering cursor that nothing
		 * watches marks only what it keeps. */
		if (r->rmw_is_sync && (r->filter == FILTER_NONE || r->watch))
			mark_rmw_sync(recs, avail);
		if (r->filter == FILTER_NONE) {
			*records = recs;
			return (ssize_t)avail;
		}
		/* The filtered records are copied out of the buffer (in place
		 * when it was decoded into OUT already: a record's place never
		 * comes after its own). */
		ensure_out(r, avail);
		if (r->watch)
			r->watch(r->watch_ctx, recs, avail, first);
		for (size_t i = 0; i < avail; i++) {
			if (recs[i].thread != r->filter)
				continue;
			r->out[nkept] = recs[i];
			if (r->out_index)
				r->out_index[nkept] = first + i;
			if (r->out_loc)
				r->out_loc[nkept] = r->out_loc[i];
			nkept++;
		}
		if (r->rmw_is_sync && !r->watch)
			mark_rmw_sync(r->out, nkept);
		if (nkept) {
			*records = r->out;
			return (ssize_t)nkept;
		}
	}
}

const uint32_t *trace_reader_locs(const struct trace_reader *r)
{
	return r->rec_size == TRACE_LOC_RECORD_SIZE ? r->out_loc : NULL;
}

const struct trace_locations *trace_reader_locations(const struct trace_reader *r)
{
	return r->locations;
}

const uint64_t *trace_reader_indices(const struct trace_reader *r)
{
	return r->out_index;
}

void trace_reader_follow(struct trace_reader *r, trace_watch watch, void *ctx)
{
	r->watch = watch;
	r->watch_ctx = ctx;
}

void trace_reader_order_keys(struct trace_reader *r)
{
	r->keys = true;
}

bool trace_reader_is_chunked(const struct trace_reader *r)
{
	return r->chunked != NULL;
}

int trace_reader_next(struct trace_reader *r, struct trace_record *rec, struct ml_error *err)
{
	if (r->pending_next == r->pending_count) {
		ssize_t n = trace_reader_batch(r, &r->pending, err);

		if (n <= 0)
			return (int)n;
		r->pending_count = (size_t)n;
		r->pending_next = 0;
	}
	*rec = r->pending[r->pending_next++];
	return 1;
}

/* The code locations of a file, read whole at its start: found through
 * the footer, checked against the marker it points at. */
static int read_locations(struct trace_reader *r, struct ml_error *err)
{
	unsigned char footer[TRACE_LOC_FOOTER_SIZE], marker[TRACE_LOC_RECORD_SIZE], *section;
	struct stat st;
	uint64_t at, len;
	int rc;

	if (fstat(r->fd, &st) < 0 || (uint64_t)st.st_size < r->data_offset + TRACE_LOC_RECORD_SIZE + 8 +
									TRACE_LOC_FOOTER_SIZE ||
	    read_fully(r->fd, footer, sizeof(footer), true, (uint64_t)st.st_size - sizeof(footer)) !=
		    (ssize_t)sizeof(footer) ||
	    memcmp(footer + 8, TRACE_LOC_FOOTER, 8) != 0) {
		ml_error_set(err, "%s: byte %llu: the header announces code locations, but the file does not "
			     "end with their footer (a cut file? it ends at byte %llu)", r->name,
			     (unsigned long long)((uint64_t)st.st_size > sizeof(footer) ? st.st_size - sizeof(footer) : 0),
			     (unsigned long long)st.st_size);
		return -1;
	}
	at = 0;
	for (int i = 7; i >= 0; i--)
		at = at << 8 | footer[i];
	/* Version 3's records before it are 20 bytes each; version 4's chunks
	 * are checked when they are indexed. */
	if (at < r->data_offset ||
	    (r->version != TRACE_CHUNKED_VERSION && (at - r->data_offset) % TRACE_LOC_RECORD_SIZE) ||
	    at > (uint64_t)st.st_size - TRACE_LOC_FOOTER_SIZE - TRACE_LOC_RECORD_SIZE - 8 ||
	    read_fully(r->fd, marker, sizeof(marker), true, at) != (ssize_t)sizeof(marker) ||
	    !trace_loc_is_marker(marker)) {
		ml_error_set(err, "%s: byte %llu: the footer points at byte %llu, where no code locations start",
			     r->name, (unsigned long long)(st.st_size - sizeof(footer)), (unsigned long long)at);
		return -1;
	}
	r->locations_at = at;
	len = (uint64_t)st.st_size - TRACE_LOC_FOOTER_SIZE - at - TRACE_LOC_RECORD_SIZE;
	if (len > TRACE_LOC_MAX_SECTION) {
		ml_error_set(err, "%s: byte %llu: code locations of %llu bytes (at most %u)", r->name,
			     (unsigned long long)at, (unsigned long long)len, TRACE_LOC_MAX_SECTION);
		return -1;
	}
	section = xmalloc(len ? len : 1);
	r->locations = xcalloc(1, sizeof(*r->locations));
	r->owns_locations = true;
	if (read_fully(r->fd, section, len, true, at + TRACE_LOC_RECORD_SIZE) != (ssize_t)len) {
		ml_error_set(err, "%s: cannot read the code locations: %s", r->name, strerror(errno ? errno : EIO));
		rc = -1;
	} else {
		rc = trace_locations_decode(section, len, r->locations, r->name, at + TRACE_LOC_RECORD_SIZE, err);
	}
	free(section);
	return rc;
}

/* Version 4: the code locations first (their table bounds the chunks'),
 * then the chunks indexed up to them. A pipe cannot be merged lazily. */
static int open_chunked(struct trace_reader *r, struct ml_error *err)
{
	struct stat st;
	uint64_t end;

	if (!r->seekable) {
		ml_error_set(err, "%s: a chunked trace (version 4) is read by seeking in it, its threads' chunks "
			     "merged as they are read: give a file, not a pipe", r->name);
		return -1;
	}
	if (r->header.locations) {
		if (read_locations(r, err) < 0)
			return -1;
		end = r->locations_at;
	} else if (fstat(r->fd, &st) == 0) {
		end = (uint64_t)st.st_size;
	} else {
		ml_error_set(err, "%s: cannot read: %s", r->name, strerror(errno));
		return -1;
	}
	r->chunked = trace_chunked_open(r->fd, r->name, r->data_offset, end, r->header.threads, r->header.locations,
					r->locations ? r->locations->npcs : 0, r->header.truncated, err);
	return r->chunked ? 0 : -1;
}

static int read_binary_header(struct trace_reader *r, struct ml_error *err)
{
	uint32_t header_size, generator_len;

	if (r->buf_len < TRACE_FIXED_HEADER) {
		ml_error_set(err, "%s: byte %zu: truncated header (%d bytes expected)", r->name, r->buf_len,
			     TRACE_FIXED_HEADER);
		return -1;
	}
	if (trace_header_decode_fixed(r->buf, &r->header, &header_size, &generator_len, &r->version, r->name,
				      err) < 0)
		return -1;
	if (r->buf_len < header_size) {
		ml_error_set(err, "%s: byte %zu: truncated header (%u bytes expected)", r->name, r->buf_len,
			     header_size);
		return -1;
	}
	for (uint32_t i = 0; i < generator_len; i++) {
		unsigned char c = r->buf[TRACE_FIXED_HEADER + i];

		if (c < 0x20 || c == 0x7f) {
			ml_error_set(err, "%s: byte %u: control character in the generator text", r->name,
				     TRACE_FIXED_HEADER + i);
			return -1;
		}
	}
	/* The header's room after the generator is zeros (room for a longer
	 * one): anything else is damage the fields cannot show. */
	for (uint32_t i = TRACE_FIXED_HEADER + generator_len; i < header_size; i++)
		if (r->buf[i]) {
			ml_error_set(err, "%s: byte %u: the header's room after its generator is not zeros (a damaged header)",
				     r->name, i);
			return -1;
		}
	memcpy(r->header.generator, r->buf + TRACE_FIXED_HEADER, generator_len);
	r->header.generator[generator_len] = '\0';
	if (r->version == 1) {
		r->header.order = trace_header_v1_order(&r->header);
		r->rmw_is_sync = r->header.order == TRACE_ORDER_PROGRAM;
	}
	r->buf_pos = header_size;
	r->data_offset = header_size;
	if (r->version == TRACE_CHUNKED_VERSION) {
		r->rec_size = r->header.locations ? TRACE_LOC_RECORD_SIZE : TRACE_RECORD_SIZE;
		return open_chunked(r, err);
	}
	if (r->header.locations) {
		r->rec_size = TRACE_LOC_RECORD_SIZE;
		if (r->seekable)
			return read_locations(r, err);
	}
	return 0;
}

/* A temporary file that disappears with its descriptor. */
static int anonymous_file(struct ml_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mesilab-trace-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);

	if (fd < 0)
		ml_error_set(err, "%s: cannot create a temporary file: %s", path, strerror(errno));
	else
		unlink(path);
	free(path);
	return fd;
}

static int write_all(int fd, const void *data, size_t len, struct ml_error *err)
{
	const unsigned char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (n < 0) {
			ml_error_set(err, "temporary file: cannot write: %s", strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Text is converted whole into an unlinked file of records before the
 * first one is handed out: the header's thread count may come from the
 * highest thread, known only at the end. */
struct text_conversion {
	struct trace_reader *r;
	struct trace_text_seen seen;
	unsigned char *records;
	size_t used;
	int fd;
	uint64_t max_thread, nrecords;
};

static int put_text_record(void *ctx, const struct trace_record *rec, const struct line_source *s,
			   struct ml_error *err)
{
	struct text_conversion *c = ctx;

	if (c->seen.threads && rec->thread >= c->r->header.threads) {
		ml_error_set(err, "%s:%llu: thread %u beyond the %u threads of '# threads:'", s->name,
			     (unsigned long long)s->line_no, rec->thread, c->r->header.threads);
		return -1;
	}
	c->max_thread = rec->thread > c->max_thread ? rec->thread : c->max_thread;
	c->nrecords++;
#if TRACE_NATIVE_LAYOUT
	memcpy(c->records + c->used, rec, TRACE_RECORD_SIZE);
#else
	trace_record_encode(rec, c->records + c->used);
#endif
	c->used += TRACE_RECORD_SIZE;
	if (c->used < DEFAULT_BUFFER_RECORDS * TRACE_RECORD_SIZE)
		return 0;
	c->used = 0;
	return write_all(c->fd, c->records, DEFAULT_BUFFER_RECORDS * TRACE_RECORD_SIZE, err);
}

static int text_line(struct line_source *s, const struct line_parser *lp, struct ml_error *err)
{
	struct text_conversion *c = lp->ctx;
	struct trace_record rec;
	char why[160];

	switch (trace_text_parse(s->line, &rec, &c->r->header, &c->seen, why, sizeof(why))) {
	case TRACE_TEXT_ERROR:
		return line_source_bad(s, err, why);
	case TRACE_TEXT_RECORD:
		return lp->put(c, &rec, s, err);
	default:
		return 0;
	}
}

static int convert_text(struct trace_reader *r, struct ml_error *err)
{
	struct text_conversion c = { .r = r, .records = xmalloc(DEFAULT_BUFFER_RECORDS * TRACE_RECORD_SIZE),
				     .fd = anonymous_file(err) };
	const struct line_parser lp = { trace_text_canonical, text_line, put_text_record, &c };
	struct line_source s;
	int got = -1;

	if (c.fd >= 0) {
		/* The bytes read to tell text from binary are the first lines. */
		if (r->seekable)
			lseek(r->fd, (off_t)r->buf_len, SEEK_SET);
		line_source_adopt(&s, r->fd, r->name, r->buf, r->buf_len);
		r->header.threads = 0;
		r->header.order = TRACE_ORDER_REFERENCE; /* unless it says otherwise */
		while ((got = line_source_block(&s, &lp, err)) == 0)
			;
		line_source_close(&s);
	}
	if (got > 0 && write_all(c.fd, c.records, c.used, err) == 0) {
		if (!c.seen.threads)
			r->header.threads = c.nrecords ? (uint32_t)c.max_thread + 1 : 1;
		if (r->owns_fd)
			close(r->fd);
		r->fd = c.fd;
		r->owns_fd = true;
		r->seekable = true;
		r->was_text = true;
		r->offset = r->data_offset = 0;
		r->buf_len = r->buf_pos = 0;
		r->eof = false;
		c.fd = -1;
	} else {
		got = -1;
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.records);
	return got > 0 ? 0 : -1;
}

static struct trace_reader *open_reader(struct trace_reader *r, struct ml_error *err)
{
	if (refill(r, err) < 0)
		goto fail;
	/* What a traced program killed before its first write leaves, or a
	 * wrong path: no trace, though the text format would take it as one
	 * of no records. */
	if (r->buf_len == 0) {
		ml_error_set(err, "%s: empty %s, not a trace (0 bytes)", r->name, r->seekable ? "file" : "input");
		goto fail;
	}
	if (r->buf_len >= TRACE_MAGIC_LEN && memcmp(r->buf, TRACE_MAGIC, TRACE_MAGIC_LEN) == 0) {
		if (read_binary_header(r, err) < 0)
			goto fail;
	} else if (trace_looks_binary(r->buf, r->buf_len)) {
		/* Looks binary, but is not ours (or is a damaged header). */
		if (read_binary_header(r, err) < 0)
			goto fail;
	} else if (convert_text(r, err) < 0) {
		goto fail;
	}
	return r;
fail:
	trace_reader_close(r);
	return NULL;
}

struct trace_reader *trace_reader_open(const char *path, struct ml_error *err)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return open_reader(reader_new(STDIN_FILENO, "<stdin>", false, DEFAULT_BUFFER_RECORDS), err);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		ml_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	return open_reader(reader_new(fd, path, true, DEFAULT_BUFFER_RECORDS), err);
}

struct trace_reader *trace_reader_open_fd(int fd, const char *name, struct ml_error *err)
{
	return open_reader(reader_new(fd, name, false, DEFAULT_BUFFER_RECORDS), err);
}

struct trace_reader *trace_reader_raw(int fd, const struct trace_header *h, const char *name)
{
	struct trace_reader *r = reader_new(fd, name, false, DEFAULT_BUFFER_RECORDS);

	r->header = *h;
	return r;
}

static struct trace_reader *cursor_new(const struct trace_reader *r, uint64_t offset, int filter,
				       size_t buffer_records)
{
	struct trace_reader *c = reader_new(r->fd, r->name, false, buffer_records);

	c->header = r->header;
	c->was_text = r->was_text;
	c->version = r->version;
	c->rmw_is_sync = r->rmw_is_sync;
	c->rec_size = r->rec_size;
	c->locations = r->locations; /* R's, which outlives its cursors */
	c->data_offset = r->data_offset;
	c->first_index = r->first_index;
	c->offset = offset;
	c->filter = filter;
	if (r->chunked)
		c->chunked = trace_chunked_cursor(r->chunked, (offset - r->data_offset) / TRACE_RECORD_SIZE);
	if (r->key_max) {
		c->key_max = xmalloc(r->header.threads * sizeof(*c->key_max));
		memcpy(c->key_max, r->key_max, r->header.threads * sizeof(*c->key_max));
	}
	return c;
}

struct trace_reader *trace_reader_cursor(const struct trace_reader *r, uint64_t offset,
					 unsigned thread, size_t buffer_records)
{
	return cursor_new(r, offset, (int)thread, buffer_records);
}

struct trace_reader *trace_reader_cursor_all(const struct trace_reader *r, uint64_t offset,
					     size_t buffer_records)
{
	return cursor_new(r, offset, FILTER_NONE, buffer_records);
}

struct trace_reader *trace_reader_cursor_syncs(const struct trace_reader *r, uint64_t offset)
{
	/* Few records at a time: they are few. */
	struct trace_reader *c = r->chunked ? cursor_new(r, offset, FILTER_NONE, 256) : NULL;

	if (c && !trace_chunked_syncs_only(c->chunked)) {
		trace_reader_close(c);
		c = NULL;
	}
	return c;
}

/* Appends records to FD through a buffer, in the file's byte order. */
struct spool_buffer {
	int fd;
	unsigned char *bytes;
	size_t used;
};

static int spool_add(struct spool_buffer *b, const struct trace_record *recs, size_t n,
		     struct ml_error *err)
{
	for (size_t i = 0; i < n; i++) {
		trace_record_encode(&recs[i], b->bytes + b->used);
		b->used += TRACE_RECORD_SIZE;
		if (b->used == DEFAULT_BUFFER_RECORDS * TRACE_RECORD_SIZE) {
			if (write_all(b->fd, b->bytes, b->used, err) < 0)
				return -1;
			b->used = 0;
		}
	}
	return 0;
}

struct trace_reader *trace_reader_spool(struct trace_reader *r, struct ml_error *err)
{
	struct spool_buffer b = { anonymous_file(err), NULL, 0 };
	struct trace_reader *spool = NULL;
	const struct trace_record *recs;
	uint64_t first = r->first_index + (trace_reader_offset(r) - r->data_offset) / r->rec_size;
	ssize_t n;

	if (b.fd < 0)
		return NULL;
	b.bytes = xmalloc(DEFAULT_BUFFER_RECORDS * TRACE_RECORD_SIZE);
	while ((n = trace_reader_batch(r, &recs, err)) > 0)
		if (spool_add(&b, recs, (size_t)n, err) < 0)
			goto out;
	if (n < 0 || write_all(b.fd, b.bytes, b.used, err) < 0)
		goto out;
	spool = reader_new(b.fd, r->name, true, DEFAULT_BUFFER_RECORDS);
	spool->header = r->header;
	spool->was_text = r->was_text;
	spool->first_index = first;
	b.fd = -1;
out:
	if (b.fd >= 0)
		close(b.fd);
	free(b.bytes);
	return spool;
}
