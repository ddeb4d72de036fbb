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
/* Decoded chunks a thread keeps that no reader holds: a reader's cursors
 * (one per thread, replaying) read the same chunks about together, and
 * the first decodes each for all. */
#define SPARE_DECODED 16

struct chunk_ref {
	uint64_t offset; /* of its header */
	uint64_t first;  /* its thread's records before it */
	uint32_t payload, records;
	uint64_t stamp;
	uint16_t syncs_plus1; /* the header's count (trace_chunk.h) */
};

/* A thread's chunk decoded, shared by the readers of an index. */
struct decoded {
	size_t chunk;     /* which of its thread's, SIZE_MAX: none */
	unsigned users;   /* readers at it */
	uint64_t used;    /* when it was last taken (the index's clock) */
	uint64_t *stamps;
	struct trace_record *recs;
	uint32_t *locs;   /* the trace's locations */
	size_t cap;
};

/* What the file says, shared by a reader and its cursors (which one
 * thread uses, as the reader). */
struct index {
	int fd;
	char *name;
	unsigned threads;
	bool located;   /* the trace has code locations, NPCS of them */
	uint32_t npcs;
	uint64_t limit; /* of the merged order; 0: none */
	bool truncated; /* the header says so: only then may a limit cut the records */
	struct chunk_ref **chunks; /* per thread, in its order */
	size_t *nchunks;
	uint64_t *total;  /* per thread */
	uint32_t **remap; /* per thread: its location i's, remap[t][i - 1] */
	uint32_t *nremap;
	struct decoded ***decoded; /* per thread, those decoded */
	size_t *ndecoded;
	uint64_t clock;
	bool uncounted; /* a chunk does not count its synchronisation records */
};

/* A thread's place: its decoded chunk (HELD's arrays) and the next
 * record in it. */
struct stream {
	size_t next_chunk;
	uint64_t consumed; /* its records handed out */
	struct decoded *held;
	const uint64_t *stamps;
	const struct trace_record *recs;
	const uint32_t *locs;
	size_t len, pos;
};

struct trace_chunked {
	struct index *ix;
	bool owns_index;
	struct stream *s;
	unsigned *heap; /* threads with records left, by their next record */
	size_t nheap;
	bool started;
	int only;       /* a thread read alone, or NO_THREAD */
	bool syncs_only; /* the merge of the synchronisation records alone */
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
		for (size_t i = 0; i < ix->ndecoded[t]; i++) {
			free(ix->decoded[t][i]->stamps);
			free(ix->decoded[t][i]->recs);
			free(ix->decoded[t][i]->locs);
			free(ix->decoded[t][i]);
		}
		free(ix->decoded[t]);
	}
	free(ix->decoded);
	free(ix->ndecoded);
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
	ix->chunks[t][ix->nchunks[t]++] =
		(struct chunk_ref){ offset, ix->total[t], h->payload, h->records, h->stamp, h->syncs_plus1 };
	ix->total[t] += h->records;
	ix->uncounted |= h->syncs_plus1 == 0;
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
	else if (h->payload < (uint64_t)h->records * TRACE_CHUNK_MIN_RECORD_BYTES ||
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
	if (ix->limit) {
		uint64_t all = 0;

		for (unsigned t = 0; t < ix->threads; t++)
			all += ix->total[t];
		if (!ix->truncated || ix->limit > all) {
			ml_error_set(err, "%s: byte %llu: the end record cuts the records at %llu of %llu, %s", ix->name,
				     (unsigned long long)at, (unsigned long long)ix->limit, (unsigned long long)all,
				     ix->limit > all ? "more than the chunks hold"
						     : "but the header does not say the trace is truncated");
			goto out;
		}
	}
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
					 unsigned threads, bool located, uint32_t npcs, bool truncated, struct ml_error *err)
{
	struct index *ix = xcalloc(1, sizeof(*ix));

	ix->located = located;
	ix->truncated = truncated;
	ix->fd = fd;
	ix->name = xstrdup(name);
	ix->threads = threads;
	ix->npcs = npcs;
	ix->chunks = xcalloc(threads, sizeof(*ix->chunks));
	ix->nchunks = xcalloc(threads, sizeof(*ix->nchunks));
	ix->total = xcalloc(threads, sizeof(*ix->total));
	ix->remap = xcalloc(threads, sizeof(*ix->remap));
	ix->nremap = xcalloc(threads, sizeof(*ix->nremap));
	ix->decoded = xcalloc(threads, sizeof(*ix->decoded));
	ix->ndecoded = xcalloc(threads, sizeof(*ix->ndecoded));
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
	for (unsigned t = 0; t < c->ix->threads; t++)
		if (c->s[t].held)
			c->s[t].held->users--;
	free(c->s);
	free(c->heap);
	free(c->payload);
	if (c->owns_index)
		index_free(c->ix);
	free(c);
}

/* A place for thread T's chunk I: where it is decoded already, else the
 * spare one least recently taken (a new one when none is spare), marked
 * as holding nothing. */
static struct decoded *find_decoded(struct index *ix, unsigned t, size_t i)
{
	struct decoded *spare = NULL, *d;
	size_t spares = 0;

	for (size_t k = 0; k < ix->ndecoded[t]; k++) {
		d = ix->decoded[t][k];
		if (d->chunk == i)
			return d;
		if (d->users == 0) {
			spares++;
			if (!spare || d->used < spare->used)
				spare = d;
		}
	}
	if (!spare || spares < SPARE_DECODED) {
		ix->decoded[t] = xrealloc(ix->decoded[t], ix->ndecoded[t] + 1, sizeof(*ix->decoded[t]));
		spare = ix->decoded[t][ix->ndecoded[t]++] = xcalloc(1, sizeof(*spare));
	}
	spare->chunk = SIZE_MAX;
	return spare;
}

/* Decodes thread T's chunk I into D. */
static int decode_into(struct trace_chunked *c, unsigned t, size_t i, struct decoded *d, struct ml_error *err)
{
	const struct index *ix = c->ix;
	const struct chunk_ref *ref = &ix->chunks[t][i];
	struct trace_chunk_header h = { ref->payload, ref->records, (uint16_t)t, ref->stamp, ref->syncs_plus1 };
	uint64_t at = ref->offset + TRACE_CHUNK_HEADER_SIZE;
	enum trace_chunk_fault f;
	size_t bad;

	if (c->payload_cap < ref->payload) {
		c->payload_cap = ref->payload;
		c->payload = xrealloc(c->payload, c->payload_cap, 1);
	}
	if (d->cap < ref->records) {
		d->cap = ref->records;
		d->stamps = xrealloc(d->stamps, d->cap, sizeof(*d->stamps));
		d->recs = xrealloc(d->recs, d->cap, sizeof(*d->recs));
		d->locs = xrealloc(d->locs, d->cap, sizeof(*d->locs));
	}
	if (interrupt_check(err))
		return -1;
	if (read_at(ix->fd, c->payload, ref->payload, at) < 0) {
		ml_error_set(err, "%s: byte %llu: cannot read a chunk: %s", ix->name, (unsigned long long)at,
			     strerror(errno ? errno : EIO));
		return -1;
	}
	f = trace_chunk_decode(c->payload, &h, d->stamps, d->recs, d->locs, &bad, &c->state);
	if (f != TRACE_CHUNK_OK) {
		/* A count that lies is the header's, not the payload's: said
		 * beside the records' own. */
		if (f == TRACE_CHUNK_BAD_SYNCS) {
			uint32_t syncs = 0;

			for (uint32_t k = 0; k < ref->records; k++)
				syncs += trace_is_sync(&d->recs[k]);
			ml_error_set(err, "%s: byte %llu: %s (it says %u, its records hold %u)", ix->name,
				     (unsigned long long)(ref->offset + 14), trace_chunk_fault_text[f],
				     ref->syncs_plus1 - 1u, syncs);
			return -1;
		}
		ml_error_set(err, "%s: byte %llu: %s", ix->name, (unsigned long long)(at + bad), trace_chunk_fault_text[f]);
		return -1;
	}
	for (uint32_t k = 0; k < ref->records; k++) {
		uint32_t l = ix->located ? d->locs[k] : 0;

		if (l > ix->nremap[t]) {
			ml_error_set(err, "%s: byte %llu: code location %u beyond thread %u's %u", ix->name,
				     (unsigned long long)at, l, t, ix->nremap[t]);
			return -1;
		}
		d->locs[k] = l ? ix->remap[t][l - 1] : 0;
	}
	d->chunk = i;
	return 0;
}

/* Puts thread T's stream at record POS of its chunk I, decoded once for
 * every reader of the index. */
static int load_chunk(struct trace_chunked *c, unsigned t, size_t i, size_t pos, struct ml_error *err);

/* Merging the synchronisation records alone: thread T's stream moved on
 * to its next one, at or after where it stands, past the chunks that
 * count none without decoding them (consumed is not kept: such a reader
 * makes no cursors). *LEFT false when it has none left. */
static int settle_on_sync(struct trace_chunked *c, unsigned t, bool *left, struct ml_error *err)
{
	struct stream *s = &c->s[t];
	const struct chunk_ref *chunks = c->ix->chunks[t];
	size_t next;

	for (;;) {
		while (s->pos < s->len && !trace_is_sync(&s->recs[s->pos]))
			s->pos++;
		*left = s->pos < s->len;
		if (*left)
			return 0;
		for (next = s->next_chunk; next < c->ix->nchunks[t] && chunks[next].syncs_plus1 == 1; next++)
			;
		if (next == c->ix->nchunks[t])
			return 0;
		if (load_chunk(c, t, next, 0, err) < 0)
			return -1;
	}
}

static int load_chunk(struct trace_chunked *c, unsigned t, size_t i, size_t pos, struct ml_error *err)
{
	struct stream *s = &c->s[t];
	struct decoded *d;

	if (s->held)
		s->held->users--;
	s->held = NULL;
	d = find_decoded(c->ix, t, i);
	if (d->chunk != i && decode_into(c, t, i, d, err) < 0)
		return -1;
	d->users++;
	d->used = ++c->ix->clock;
	s->held = d;
	s->stamps = d->stamps;
	s->recs = d->recs;
	s->locs = d->locs;
	s->len = c->ix->chunks[t][i].records;
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
	if (load_chunk(c, t, lo, (size_t)(consumed - ix->chunks[t][lo].first), err) < 0)
		return -1;
	return c->syncs_only ? settle_on_sync(c, t, left, err) : 0;
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
	if (c->syncs_only) {
		s->pos++;
		return settle_on_sync(c, t, left, err);
	}
	if (++s->pos < s->len)
		return 0;
	if (s->next_chunk == c->ix->nchunks[t]) {
		*left = false;
		return 0;
	}
	return load_chunk(c, t, s->next_chunk, 0, err);
}

/* The next record of the merge (or of the thread read alone) into *OUT,
 * *LOC and *STAMP (each when not NULL); 0 when there is none (the end,
 * or the trace's limit), -1 on bad input. */
static int pop(struct trace_chunked *c, struct trace_record *out, uint32_t *loc, uint64_t *stamp,
	       struct ml_error *err)
{
	unsigned t;
	struct stream *s;
	bool left;

	if (c->nheap == 0 || (c->ix->limit && c->only == NO_THREAD && c->read >= c->ix->limit))
		return 0;
	t = c->heap[0];
	s = &c->s[t];
	if (out)
		*out = s->recs[s->pos];
	if (loc)
		*loc = s->locs[s->pos];
	if (stamp)
		*stamp = s->stamps[s->pos];
	c->read++;
	if (advance(c, t, &left, err) < 0)
		return -1;
	if (!left)
		c->heap[0] = c->heap[--c->nheap];
	if (c->nheap > 1)
		sift_down(c, 0);
	return 1;
}

/* Two threads' merge, record by record (the commonest: a program's two
 * threads, its main thread's next record far off, or none): the records
 * of TA and TB by stamp (ties: the lower thread), until CAP, until one's
 * decoded chunk is used up (its position left at the chunk's end), or,
 * THIRD not negative, until the next would come after THIRD's. Returns
 * the new N. */
static size_t two_way(struct trace_chunked *c, struct trace_record *out, uint32_t *locs, uint64_t *stamps,
		      size_t n, size_t cap, unsigned ta, unsigned tb, int third)
{
	struct stream *a = &c->s[ta < tb ? ta : tb], *b = &c->s[ta < tb ? tb : ta];
	unsigned low = ta < tb ? ta : tb, high = ta < tb ? tb : ta;
	const struct stream *t3 = third >= 0 ? &c->s[third] : NULL;
	uint64_t bound = t3 ? t3->stamps[t3->pos] : UINT64_MAX;
	/* At BOUND, a thread above THIRD's comes after it. */
	bool a_stops_at_bound = t3 && (unsigned)third < low, b_stops_at_bound = t3 && (unsigned)third < high;
	/* In locals: the stores into OUT could alias the streams' fields. */
	size_t pa = a->pos, pb = b->pos, n0 = n, la = a->len, lb = b->len;
	const uint64_t *sa = a->stamps, *sb = b->stamps;
	const struct trace_record *ra = a->recs, *rb = b->recs;
	const uint32_t *oa = a->locs, *ob = b->locs;

	while (n < cap) {
		if (sa[pa] <= sb[pb]) {
			if (sa[pa] > bound || (sa[pa] == bound && a_stops_at_bound))
				break;
			out[n] = ra[pa];
			if (locs)
				locs[n] = oa[pa];
			if (stamps)
				stamps[n] = sa[pa];
			n++;
			if (++pa == la)
				break;
		} else {
			if (sb[pb] > bound || (sb[pb] == bound && b_stops_at_bound))
				break;
			out[n] = rb[pb];
			if (locs)
				locs[n] = ob[pb];
			if (stamps)
				stamps[n] = sb[pb];
			n++;
			if (++pb == lb)
				break;
		}
	}
	a->consumed += pa - a->pos;
	b->consumed += pb - b->pos;
	a->pos = pa;
	b->pos = pb;
	c->read += n - n0;
	return n;
}

/* After a two-way run: a thread whose decoded chunk is used up gets its
 * next (or leaves the merge), and the heap is made again. */
static int after_two_way(struct trace_chunked *c, struct ml_error *err)
{
	for (size_t i = c->nheap; i-- > 0;) {
		struct stream *s = &c->s[c->heap[i]];
		bool left;

		if (s->pos < s->len)
			continue;
		s->pos--;
		s->consumed--;
		if (advance(c, c->heap[i], &left, err) < 0)
			return -1;
		if (!left)
			c->heap[i] = c->heap[--c->nheap];
	}
	for (size_t i = c->nheap; i-- > 0;)
		sift_down(c, i);
	return 0;
}

ssize_t trace_chunked_batch(struct trace_chunked *c, struct trace_record *out, uint32_t *locs, uint64_t *stamps,
			    size_t cap, uint64_t *first, struct ml_error *err)
{
	size_t n = 0;
	int got = 1;

	if (!c->started) {
		if (start(c, err) < 0)
			return -1;
		while (c->read < c->skip && (got = pop(c, NULL, NULL, NULL, err)) > 0)
			if ((c->read & 0xfffff) == 0 && interrupt_check(err))
				return -1;
		if (got < 0)
			return -1;
	}
	*first = c->read;
	/* Few, and one at a time: no runs to copy. */
	while (c->syncs_only && n < cap && (got = pop(c, &out[n], locs ? &locs[n] : NULL,
							 stamps ? &stamps[n] : NULL, err)) > 0)
		n++;
	if (c->syncs_only)
		return got < 0 ? -1 : (ssize_t)n;
	while (n < cap && c->nheap > 0) {
		unsigned t, rival = 0;
		struct stream *s;
		size_t end, run;
		bool left;

		if ((c->nheap == 2 || c->nheap == 3) && !c->ix->limit) {
			unsigned second = c->nheap == 2 || before(c, c->heap[1], c->heap[2]) ? c->heap[1] : c->heap[2];
			int third = c->nheap == 2 ? -1 : (int)(second == c->heap[1] ? c->heap[2] : c->heap[1]);

			n = two_way(c, out, locs, stamps, n, cap, c->heap[0], second, third);
			if (after_two_way(c, err) < 0)
				return -1;
			continue;
		}
		t = c->heap[0];
		s = &c->s[t];
		/* The run the first thread has before the next best's record
		 * comes: copied without the heap. */
		end = s->len - s->pos < cap - n ? s->len : s->pos + (cap - n);

		if (c->ix->limit && c->only == NO_THREAD) {
			if (c->read >= c->ix->limit)
				break;
			end = c->ix->limit - c->read < end - s->pos ? s->pos + (size_t)(c->ix->limit - c->read) : end;
		}
		if (c->nheap > 1) {
			uint64_t bound;
			size_t k = s->pos;

			rival = c->nheap > 2 && before(c, c->heap[2], c->heap[1]) ? c->heap[2] : c->heap[1];
			bound = c->s[rival].stamps[c->s[rival].pos];
			while (k < end && (s->stamps[k] < bound || (s->stamps[k] == bound && t < rival)))
				k++;
			end = k > s->pos ? k : s->pos + 1;
		}
		run = end - s->pos;
		memcpy(out + n, s->recs + s->pos, run * sizeof(*out));
		if (locs)
			memcpy(locs + n, s->locs + s->pos, run * sizeof(*locs));
		if (stamps)
			memcpy(stamps + n, s->stamps + s->pos, run * sizeof(*stamps));
		n += run;
		c->read += run;
		s->consumed += run - 1;
		s->pos += run - 1;
		if (advance(c, t, &left, err) < 0)
			return -1;
		if (!left)
			c->heap[0] = c->heap[--c->nheap];
		if (c->nheap > 1)
			sift_down(c, 0);
	}
	return (ssize_t)n;
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

bool trace_chunked_syncs_only(struct trace_chunked *c)
{
	/* A limit on the merged order needs the merge of all to be placed;
	 * an uncounted chunk must be decoded to be passed. */
	if (c->started || c->only != NO_THREAD || c->ix->limit || c->ix->uncounted)
		return false;
	c->syncs_only = true;
	return true;
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
