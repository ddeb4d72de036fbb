#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "trace_chunk.h"
#include "trace_chunked.h"
#include "xalloc.h"

#define NO_THREAD (-1)
/* The end record's map of locations: at most a location per thread's
 * record could need, bounded as the version 3 section is. */
#define MAX_MAP_BYTES (256u << 20)

struct chunk_ref {
	uint64_t offset; /* of its header */
	uint64_t first;  /* its thread's records before it */
	uint32_t payload, records;
	uint64_t stamp;
};

/* What the file says, shared by a reader and its cursors. */
struct index {
	int fd;
	char *name;
	unsigned threads;
	bool located;   /* the trace has code locations, NPCS of them */
	uint32_t npcs;
	uint64_t limit; /* of the merged order; 0: none */
	struct chunk_ref **chunks; /* per thread, in its order */
	size_t *nchunks;
	uint64_t *total;  /* per thread */
	uint32_t **remap; /* per thread: its location i's, remap[t][i - 1] */
	uint32_t *nremap;
};

/* A thread's place: its decoded chunk and the next record in it. */
struct stream {
	size_t next_chunk;
	uint64_t consumed; /* its records handed out */
	uint64_t *stamps;
	struct trace_record *recs;
	uint32_t *locs;
	size_t len, pos, cap;
};

struct trace_chunked {
	struct index *ix;
	bool owns_index;
	struct stream *s;
	unsigned *heap; /* threads with records left, by their next record */
	size_t nheap;
	bool started;
	int only;       /* a thread read alone, or NO_THREAD */
	uint64_t read;  /* of the merged order */
	uint64_t skip;  /* a cursor's start, reached by merging from the first record */
	unsigned char *payload;
	size_t payload_cap;
	struct trace_chunk_state state;
};

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int read_at(int fd, void *buf, size_t len, uint64_t at)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (unsigned char *)buf + got, len - got, (off_t)(at + got));

		if (n < 0 && errno == EINTR && !interrupt_requested())
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void index_free(struct index *ix)
{
	for (unsigned t = 0; t < ix->threads; t++) {
		free(ix->chunks[t]);
		free(ix->remap[t]);
	}
	free(ix->chunks);
	free(ix->nchunks);
	free(ix->total);
	free(ix->remap);
	free(ix->nremap);
	free(ix->name);
	free(ix);
}

static void add_chunk(struct index *ix, const struct trace_chunk_header *h, uint64_t offset, size_t *cap)
{
	unsigned t = h->thread;

	if (ix->nchunks[t] == cap[t]) {
		cap[t] = cap[t] ? 2 * cap[t] : 16;
		ix->chunks[t] = xrealloc(ix->chunks[t], cap[t], sizeof(**ix->chunks));
	}
	ix->chunks[t][ix->nchunks[t]++] = (struct chunk_ref){ offset, ix->total[t], h->payload, h->records, h->stamp };
	ix->total[t] += h->records;
}

/* The end record's map: each thread's locations in the trace's table. */
static int read_map(struct index *ix, uint64_t at, uint32_t bytes, uint32_t threads, struct ml_error *err)
{
	unsigned char *map;
	size_t pos = 0;
	int rc = -1;

	if (threads != ix->threads) {
		ml_error_set(err, "%s: byte %llu: the end record maps %u threads, the header says %u", ix->name,
			     (unsigned long long)(at - TRACE_CHUNK_HEADER_SIZE + 8), threads, ix->threads);
		return -1;
	}
	if (bytes > MAX_MAP_BYTES) {
		ml_error_set(err, "%s: byte %llu: a map of locations of %u bytes (at most %u)", ix->name,
			     (unsigned long long)(at - TRACE_CHUNK_HEADER_SIZE + 4), bytes, MAX_MAP_BYTES);
		return -1;
	}
	map = xmalloc(bytes ? bytes : 1);
	if (read_at(ix->fd, map, bytes, at) < 0) {
		ml_error_set(err, "%s: byte %llu: the map of locations is cut short", ix->name, (unsigned long long)at);
		goto out;
	}
	for (unsigned t = 0; t < threads; t++) {
		uint32_t n;

		if (bytes - pos < 4 || (n = (uint32_t)get_le(map + pos, 4)) > (bytes - pos - 4) / 4) {
			ml_error_set(err, "%s: byte %llu: the map of locations ends inside thread %u's", ix->name,
				     (unsigned long long)(at + pos), t);
			goto out;
		}
		pos += 4;
		ix->nremap[t] = n;
		ix->remap[t] = xmalloc((n ? n : 1) * sizeof(**ix->remap));
		for (uint32_t i = 0; i < n; i++, pos += 4) {
			ix->remap[t][i] = (uint32_t)get_le(map + pos, 4);
			if (ix->remap[t][i] > ix->npcs) {
				ml_error_set(err, "%s: byte %llu: code location %u beyond the trace's %u", ix->name,
					     (unsigned long long)(at + pos), ix->remap[t][i], ix->npcs);
				goto out;
			}
		}
	}
	if (pos != bytes) {
		ml_error_set(err, "%s: byte %llu: the map of locations goes on after its threads", ix->name,
			     (unsigned long long)(at + pos));
		goto out;
	}
	rc = 0;
out:
	free(map);
	return rc;
}

/* Checks a chunk's header at AT against what the file can hold. */
static int check_chunk(const struct index *ix, const struct trace_chunk_header *h, uint64_t at, uint64_t end,
		       struct ml_error *err)
{
	const char *name = ix->name;

	if (h->thread >= ix->threads)
		ml_error_set(err, "%s: byte %llu: a chunk of thread %u beyond the header's %u threads", name,
			     (unsigned long long)(at + 12), h->thread, ix->threads);
	else if (h->records == 0 || h->records > TRACE_CHUNK_MAX_RECORDS)
		ml_error_set(err, "%s: byte %llu: a chunk of %u records (1 to %u)", name, (unsigned long long)(at + 8),
			     h->records, TRACE_CHUNK_MAX_RECORDS);
	else if (h->payload < 2 * (uint64_t)h->records ||
		 h->payload > (uint64_t)h->records * TRACE_CHUNK_MAX_RECORD_BYTES)
		ml_error_set(err, "%s: byte %llu: a chunk's payload of %u bytes cannot hold its %u records", name,
			     (unsigned long long)(at + 4), h->payload, h->records);
	else if (h->payload > end - at - TRACE_CHUNK_HEADER_SIZE)
		ml_error_set(err, "%s: byte %llu: a chunk's payload of %u bytes runs past the records' end (byte %llu)",
			     name, (unsigned long long)(at + 4), h->payload, (unsigned long long)end);
	else
		return 0;
	return -1;
}

static int build_index(struct index *ix, uint64_t at, uint64_t end, struct ml_error *err)
{
	size_t *cap = xcalloc(ix->threads, sizeof(*cap));
	unsigned char raw[TRACE_CHUNK_HEADER_SIZE];
	struct trace_chunk_header h;
	int rc = -1;

	for (uint64_t n = 0;; n++) {
		if ((n & 1023) == 0 && interrupt_check(err))
			goto out;
		if (end - at < TRACE_CHUNK_HEADER_SIZE || read_at(ix->fd, raw, sizeof(raw), at) < 0) {
			ml_error_set(err, "%s: byte %llu: the records end without their end record (a cut file?)",
				     ix->name, (unsigned long long)at);
			goto out;
		}
		if (trace_chunk_is_end(raw))
			break;
		if (!trace_chunk_header_decode(raw, &h)) {
			ml_error_set(err, "%s: byte %llu: neither a chunk of records nor their end", ix->name,
				     (unsigned long long)at);
			goto out;
		}
		if (check_chunk(ix, &h, at, end, err) < 0)
			goto out;
		add_chunk(ix, &h, at, cap);
		at += TRACE_CHUNK_HEADER_SIZE + h.payload;
	}
	ix->limit = get_le(raw + 16, 8);
	if (get_le(raw + 12, 4) != 0 || get_le(raw + 4, 4) != end - at - TRACE_CHUNK_HEADER_SIZE) {
		ml_error_set(err, "%s: byte %llu: the end record's map of %llu bytes does not end where the %s "
			     "start (byte %llu)", ix->name, (unsigned long long)at, (unsigned long long)get_le(raw + 4, 4),
			     ix->npcs ? "code locations" : "file's end would", (unsigned long long)end);
		goto out;
	}
	rc = read_map(ix, at + TRACE_CHUNK_HEADER_SIZE, (uint32_t)get_le(raw + 4, 4), (uint32_t)get_le(raw + 8, 4),
		      err);
out:
	free(cap);
	return rc;
}

static struct trace_chunked *reader_new(struct index *ix, bool owns)
{
	struct trace_chunked *c = xcalloc(1, sizeof(*c));

	c->ix = ix;
	c->owns_index = owns;
	c->s = xcalloc(ix->threads, sizeof(*c->s));
	c->heap = xcalloc(ix->threads, sizeof(*c->heap));
	c->only = NO_THREAD;
	return c;
}

struct trace_chunked *trace_chunked_open(int fd, const char *name, uint64_t start, uint64_t end,
					 unsigned threads, bool located, uint32_t npcs, struct ml_error *err)
{
	struct index *ix = xcalloc(1, sizeof(*ix));

	ix->located = located;
	ix->fd = fd;
	ix->name = xstrdup(name);
	ix->threads = threads;
	ix->npcs = npcs;
	ix->chunks = xcalloc(threads, sizeof(*ix->chunks));
	ix->nchunks = xcalloc(threads, sizeof(*ix->nchunks));
	ix->total = xcalloc(threads, sizeof(*ix->total));
	ix->remap = xcalloc(threads, sizeof(*ix->remap));
	ix->nremap = xcalloc(threads, sizeof(*ix->nremap));
	if (start > end || build_index(ix, start, end, err) < 0) {
		if (start > end)
			ml_error_set(err, "%s: byte %llu: the code locations start inside the header", name,
				     (unsigned long long)end);
		index_free(ix);
		return NULL;
	}
	return reader_new(ix, true);
}

void trace_chunked_close(struct trace_chunked *c)
{
	if (!c)
		return;
	for (unsigned t = 0; t < c->ix->threads; t++) {
		free(c->s[t].stamps);
		free(c->s[t].recs);
		free(c->s[t].locs);
	}
	free(c->s);
	free(c->heap);
	free(c->payload);
	if (c->owns_index)
		index_free(c->ix);
	free(c);
}

/* Decodes thread T's chunk I into its stream, from record POS on. */
static int load_chunk(struct trace_chunked *c, unsigned t, size_t i, size_t pos, struct ml_error *err)
{
	const struct index *ix = c->ix;
	const struct chunk_ref *ref = &ix->chunks[t][i];
	struct stream *s = &c->s[t];
	struct trace_chunk_header h = { ref->payload, ref->records, (uint16_t)t, ref->stamp };
	uint64_t at = ref->offset + TRACE_CHUNK_HEADER_SIZE;
	enum trace_chunk_fault f;
	size_t bad;

	if (c->payload_cap < ref->payload) {
		c->payload_cap = ref->payload;
		c->payload = xrealloc(c->payload, c->payload_cap, 1);
	}
	if (s->cap < ref->records) {
		s->cap = ref->records;
		s->stamps = xrealloc(s->stamps, s->cap, sizeof(*s->stamps));
		s->recs = xrealloc(s->recs, s->cap, sizeof(*s->recs));
		s->locs = xrealloc(s->locs, s->cap, sizeof(*s->locs));
	}
	if (interrupt_check(err))
		return -1;
	if (read_at(ix->fd, c->payload, ref->payload, at) < 0) {
		ml_error_set(err, "%s: byte %llu: cannot read a chunk: %s", ix->name, (unsigned long long)at,
			     strerror(errno ? errno : EIO));
		return -1;
	}
	f = trace_chunk_decode(c->payload, &h, s->stamps, s->recs, s->locs, &bad, &c->state);
	if (f != TRACE_CHUNK_OK) {
		ml_error_set(err, "%s: byte %llu: %s", ix->name, (unsigned long long)(at + bad),
			     trace_chunk_fault_text[f]);
		return -1;
	}
	for (uint32_t k = 0; k < ref->records; k++) {
		uint32_t l = ix->located ? s->locs[k] : 0;

		if (l > ix->nremap[t]) {
			ml_error_set(err, "%s: byte %llu: code location %u beyond thread %u's %u", ix->name,
				     (unsigned long long)at, l, t, ix->nremap[t]);
			return -1;
		}
		s->locs[k] = l ? ix->remap[t][l - 1] : 0;
	}
	s->len = ref->records;
	s->pos = pos;
	s->next_chunk = i + 1;
	return 0;
}

/* Puts thread T's stream where it has handed out CONSUMED records:
 * false when it has none left. */
static int seek_stream(struct trace_chunked *c, unsigned t, uint64_t consumed, bool *left, struct ml_error *err)
{
	const struct index *ix = c->ix;
	size_t lo = 0, hi = ix->nchunks[t];

	c->s[t].consumed = consumed;
	*left = consumed < ix->total[t];
	if (!*left)
		return 0;
	/* The last chunk that starts at or before CONSUMED. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->chunks[t][mid].first <= consumed)
			lo = mid;
		else
			hi = mid;
	}
	return load_chunk(c, t, lo, (size_t)(consumed - ix->chunks[t][lo].first), err);
}

static bool before(const struct trace_chunked *c, unsigned a, unsigned b)
{
	uint64_t x = c->s[a].stamps[c->s[a].pos], y = c->s[b].stamps[c->s[b].pos];

	return x < y || (x == y && a < b);
}

static void sift_down(struct trace_chunked *c, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		unsigned x;

		if (l < c->nheap && before(c, c->heap[l], c->heap[m]))
			m = l;
		if (r < c->nheap && before(c, c->heap[r], c->heap[m]))
			m = r;
		if (m == i)
			return;
		x = c->heap[i];
		c->heap[i] = c->heap[m];
		c->heap[m] = x;
		i = m;
	}
}

/* The streams placed where their CONSUMED counts say, the merge's heap
 * built. */
static int start(struct trace_chunked *c, struct ml_error *err)
{
	c->started = true;
	c->nheap = 0;
	for (unsigned t = 0; t < c->ix->threads; t++) {
		bool left;

		if (c->only != NO_THREAD && (int)t != c->only)
			continue;
		if (seek_stream(c, t, c->s[t].consumed, &left, err) < 0)
			return -1;
		if (left)
			c->heap[c->nheap++] = t;
	}
	for (size_t i = c->nheap; i-- > 0;)
		sift_down(c, i);
	return 0;
}

/* Thread T's record handed out: the next in its stream, loading its next
 * chunk as needed; false when it has none left. */
static int advance(struct trace_chunked *c, unsigned t, bool *left, struct ml_error *err)
{
	struct stream *s = &c->s[t];

	s->consumed++;
	*left = true;
	if (++s->pos < s->len)
		return 0;
	if (s->next_chunk == c->ix->nchunks[t]) {
		*left = false;
		return 0;
	}
	return load_chunk(c, t, s->next_chunk, 0, err);
}

/* The next record of the merge (or of the thread read alone) into *OUT
 * and *LOC (when not NULL); 0 when there is none (the end, or the
 * trace's limit), -1 on bad input. */
static int pop(struct trace_chunked *c, struct trace_record *out, uint32_t *loc, struct ml_error *err)
{
	unsigned t;
	struct stream *s;
	bool left;

	if (c->nheap == 0 || (c->ix->limit && c->only == NO_THREAD && c->read >= c->ix->limit))
		return 0;
	t = c->heap[0];
	s = &c->s[t];
	if (out) {
		*out = s->recs[s->pos];
		if (loc)
			*loc = s->locs[s->pos];
	}
	c->read++;
	if (advance(c, t, &left, err) < 0)
		return -1;
	if (!left)
		c->heap[0] = c->heap[--c->nheap];
	if (c->nheap > 1)
		sift_down(c, 0);
	return 1;
}

ssize_t trace_chunked_batch(struct trace_chunked *c, struct trace_record *out, uint32_t *locs, size_t cap,
			    uint64_t *first, struct ml_error *err)
{
	size_t n = 0;
	int got = 1;

	if (!c->started) {
		if (start(c, err) < 0)
			return -1;
		while (c->read < c->skip && (got = pop(c, NULL, NULL, err)) > 0)
			if ((c->read & 0xfffff) == 0 && interrupt_check(err))
				return -1;
		if (got < 0)
			return -1;
	}
	*first = c->read;
	while (n < cap && (got = pop(c, &out[n], locs ? &locs[n] : NULL, err)) > 0)
		n++;
	return got < 0 ? -1 : (ssize_t)n;
}

uint64_t trace_chunked_read(const struct trace_chunked *c)
{
	return c->read;
}

bool trace_chunked_merges(const struct trace_chunked *c)
{
	return c->only == NO_THREAD;
}

struct trace_chunked *trace_chunked_cursor(const struct trace_chunked *c, uint64_t at)
{
	struct trace_chunked *k = reader_new(c->ix, false);

	if (at == c->read && c->only == NO_THREAD) {
		for (unsigned t = 0; t < c->ix->threads; t++)
			k->s[t].consumed = c->s[t].consumed;
		k->read = at;
	} else {
		/* Elsewhere: the merge from the start up to AT, lazily. */
		k->skip = at;
	}
	return k;
}

bool trace_chunked_narrow(struct trace_chunked *c, unsigned thread)
{
	uint64_t all = 0;

	for (unsigned t = 0; t < c->ix->threads; t++)
		all += c->ix->total[t];
	/* A limit that cuts the merged order leaves each thread a part that
	 * only the merge finds. */
	if (c->started || c->skip || thread >= c->ix->threads || (c->ix->limit && c->ix->limit < all))
		return false;
	c->only = (int)thread;
	return true;
}
