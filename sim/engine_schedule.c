/* The orders a replay issues its accesses in: the timed order, each
 * core's next access when its clock says so, and the synchronised order,
 * the same with the synchronisation records kept in the file's order (the
 * file order needs no scheduler: sim_access() on each record in turn).
 * Each order's loop has the hot path of an access inline
 * (engine_private.h). */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include "engine_private.h"
#include "xalloc.h"

/* Issues CORE's accesses REC[0..N) while the core's clock (under the first
 * protocol) leaves the next one before LIMIT; the first always issues.
 * Returns how many issued. */
static ML_ALWAYS_INLINE size_t run_lanes(struct sim *s, const struct lane *lanes, unsigned nlanes,
					 const struct trace_record *rec, size_t n, uint64_t limit)
{
	const uint64_t *clock = lanes[0].clock;
	size_t i = 0;

	do {
		access_record(s, lanes, nlanes, &rec[i]);
	} while (++i < n && *clock + ticks_of(rec[i].gap) < limit);
	return i;
}

/* One protocol, the usual case, gets a loop of its own without the loop
 * over the protocols. Inline in each order's loop, so that a run of
 * records costs no call. */
static ML_ALWAYS_INLINE size_t run_core(struct sim *s, unsigned core, const struct trace_record *rec, size_t n, uint64_t limit)
{
	const struct lane *lanes = &s->lanes[core * s->n];

	if (s->n == 1)
		return run_lanes(s, lanes, 1, rec, n, limit);
	return run_lanes(s, lanes, s->n, rec, n, limit);
}

/* The in-flight rule (sim_config's in_flight). A core's access to a line
 * that another core's transaction is still bringing in cannot take it
 * before it lands: the access's request waits at the line's home, and
 * reaches the new owner as a snoop once the line has landed there. That
 * way takes half the hand-over (the snoop's way to the owner, then the
 * data's back, taken as equal), so the access takes effect that long
 * after the landing, and its data then takes the other half
 * (engine_access.c): a waiting core gets the line a hand-over after it
 * landed, not a transfer, its request's way to the home already made.
 * Meanwhile the new owner uses the line, as a machine's core completes
 * the accesses it had waiting for the line. Without the rule the engine
 * applies every access when it issues: a waiting core's look at a line
 * on its way to another core took it back before that core's store,
 * which then paid a transfer of its own. A load of a line the core still
 * holds, or of bytes its store buffer forwards, waits for nothing. The
 * first protocol's flights decide, as its clocks decide the order. The
 * synchronised order's plain records follow the rule too; its
 * synchronisation records keep the file's order.
 *
 * When CORE's access REC, issuing at NOW, may take effect. */
static uint64_t may_issue_at(struct sim *s, unsigned core, const struct trace_record *rec, uint64_t now)
{
	struct sim_instance *in = &s->inst[0];
	uint64_t line = rec->address >> s->line_shift;
	const struct flight *f = flight_of(in, line);
	uint64_t effect = f->land + s->ticks.handover / 2;
	unsigned op = trace_op_of(rec);
	int way;

	if (op == TRACE_IFETCH || f->line_plus_one != line + 1 || f->core == core || effect <= now)
		return now;
	/* A plain store into a store buffer does not wait: the buffer does
	 * (its drain waits for the bus), and the core goes on. */
	if (op == TRACE_WRITE && in->sb && !trace_is_sync(rec))
		return now;
	if (op == TRACE_READ && (((way = cache_way_of(&in->pll[core], line)) >= 0 &&
				  cache_state(&in->pll[core], line, way) != STATE_I) ||
				 (in->sb && store_buffer_forwards(&in->sb[core], rec->address, rec->size, now))))
		return now;
	return effect;
}

/* run_core() under the in-flight rule: stops before an access that must
 * wait, its core's clocks (under every protocol alike) moved on to when
 * it may issue, and says that it waited when it issues. */
static size_t run_core_in_flight(struct sim *s, unsigned core, const struct trace_record *rec, size_t n,
				 uint64_t limit)
{
	const uint64_t *clock = s->inst[0].clock;
	size_t i = 0;

	while (i < n) {
		uint64_t now = clock[core] + ticks_of(rec[i].gap), at;

		if (i > 0 && now >= limit)
			break;
		at = s->waited[core] ? now : may_issue_at(s, core, &rec[i], now);
		if (at != now) {
			for (unsigned k = 0; k < s->n; k++)
				s->inst[k].clock[core] += at - now;
			s->waited[core] = true;
			break;
		}
		run_core(s, core, &rec[i], 1, UINT64_MAX);
		s->waited[core] = false;
		i++;
	}
	return i;
}

/* The timed order: the core whose next access comes earliest issues it
 * (ties to the lower core), and goes on issuing while it stays ahead of
 * the next earliest core, whose time its own accesses cannot change. The
 * cores wait in a binary heap by (time of their next access, core), so that
 * the next earliest is one of the root's children and putting the core
 * that ran back costs a walk down the heap, whatever the number of cores.
 *
 * The synchronised order is the same, but for the synchronisation
 * records: they issue one at a time in the file's order, each when its
 * core's clock says so and the one before it has completed (under each
 * protocol, the core's clock waits for that). A core whose next record is
 * one whose turn has not come leaves the heap until it comes. The timed
 * order of a traced program is the same with its hand-over words' records
 * alone kept so, each word's in its own order (sim_handovers). */
/* A core in the heap: when its next access issues (UINT64_MAX: it has none). */
struct waiting {
	uint64_t time;
	unsigned core;
};

static inline bool issues_before(const struct waiting *a, const struct waiting *b)
{
	return a->time < b->time || (a->time == b->time && a->core < b->core);
}

/* Puts W at position I of the heap of N, moving the earlier of its
 * children up past it. */
static inline void sift_down(struct waiting *heap, unsigned n, unsigned i, struct waiting w)
{
	for (;;) {
		unsigned child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n && issues_before(&heap[child + 1], &heap[child]))
			child++;
		if (!issues_before(&heap[child], &w))
			break;
		heap[i] = heap[child];
		i = child;
	}
	heap[i] = w;
}

/* Adds W at the end of the heap of *N, moving it up past later parents. */
static void sift_up(struct waiting *heap, unsigned *n, struct waiting w)
{
	unsigned i = (*n)++;

	while (i > 0 && issues_before(&w, &heap[(i - 1) / 2])) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = w;
}

/* What is left of a core's loan from the feed. */
struct loan {
	const struct trace_record *rec;
	size_t n;
};

int sim_run_timed(struct sim *s, sim_feed feed, void *ctx, uint64_t *done)
{
	unsigned cores = s->cfg.cores;
	struct loan *loan = xcalloc(cores, sizeof(*loan));
	struct waiting *heap = xcalloc(cores, sizeof(*heap));
	const uint64_t *clock = s->inst[0].clock;
	uint64_t count = 0;
	ssize_t n;
	int rc = -1;

	for (unsigned c = 0; c < cores; c++) {
		if ((n = feed(ctx, c, &loan[c].rec)) < 0)
			goto out;
		loan[c].n = (size_t)n;
		heap[c] = (struct waiting){ n ? ticks_of(loan[c].rec[0].gap) : UINT64_MAX, c };
	}
	/* Every time starts as its first gap: heapify from the last parent. */
	for (unsigned i = cores / 2; i-- > 0;)
		sift_down(heap, cores, i, heap[i]);
	while (heap[0].time != UINT64_MAX) {
		unsigned first = heap[0].core;
		uint64_t limit = UINT64_MAX, next;
		struct loan *l = &loan[first];

		if (cores > 1) {
			const struct waiting *second = cores > 2 && issues_before(&heap[2], &heap[1]) ? &heap[2] : &heap[1];

			if (second->time != UINT64_MAX)
				limit = second->time + (first < second->core); /* a tie goes to the lower core */
		}
		for (;;) {
			size_t issued = s->cfg.in_flight ? run_core_in_flight(s, first, l->rec, l->n, limit)
							 : run_core(s, first, l->rec, l->n, limit);

			l->rec += issued;
			l->n -= issued;
			count += issued;
			if (!l->n) {
				if ((n = feed(ctx, first, &l->rec)) < 0)
					goto out;
				l->n = (size_t)n;
				if (!n) {
					next = UINT64_MAX;
					break;
				}
			}
			next = clock[first] + ticks_of(l->rec[0].gap);
			if (next >= limit)
				break;
		}
		sift_down(heap, cores, 0, (struct waiting){ next, first });
	}
	rc = 0;
out:
	*done = count;
	free(loan);
	free(heap);
	return rc;
}

/* The synchronised order's loan: with its records' order keys (their
 * place in the file: sim_sync_feed), and how many records come before the
 * first synchronisation record. */
struct synced_loan {
	const struct trace_record *rec;
	const uint64_t *key;
	size_t n, plain;
};

/* A record's place in the file: its key, then its thread. */
struct file_place {
	uint64_t key;
	unsigned thread;
};

static inline bool place_before(struct file_place a, struct file_place b)
{
	return a.key < b.key || (a.key == b.key && a.thread < b.thread);
}

static inline struct file_place place_of(const struct synced_loan *l, size_t i)
{
	return (struct file_place){ l->key[i], l->rec[i].thread };
}

#define NO_PLACE ((struct file_place){ UINT64_MAX, UINT_MAX })

/* A replay in the synchronised order. */
struct schedule {
	struct sim *s;
	sim_feed feed;
	const struct sim_sync_feed *sync;
	void *ctx;
	struct synced_loan *loan;
	struct file_place *front; /* per core, its next record's (NO_PLACE: none) */
	unsigned cores;
	struct waiting *heap;
	unsigned n;        /* cores in the heap */
	bool *blocked;     /* out of the heap, waiting for their turn */
	uint64_t next_sync; /* the number of the next synchronisation record */
	uint64_t sync_done[SIM_MAX_PROTOCOLS]; /* when the last one completed */
	/* The hand-overs' order instead (sim_sync_feed): per word, the turn
	 * of its next record and when its last completed. */
	const struct sim_handovers *ho;
	size_t *ho_next;
	uint64_t (*ho_done)[SIM_MAX_PROTOCOLS];
	long last_word;    /* the word of the ordered record issued last */
	uint64_t count;
	bool stopped;      /* the feed could not say whose turn it is */
};

/* The thread whose synchronisation record is next, -1 while unknown. */
static int turn_of(struct schedule *sc)
{
	int turn = sc->sync->sync_thread(sc->ctx, sc->next_sync);

	sc->stopped |= turn == -2;
	return turn;
}

/* The hand-over word at ADDRESS, -1 when none is. */
static long word_of(const struct schedule *sc, uint64_t address)
{
	size_t lo = 0, hi = sc->ho->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sc->ho->word[mid] < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->ho->n && sc->ho->word[lo] == address ? (long)lo : -1;
}

/* Whether REC keeps its place: a synchronisation record (with hand-overs,
 * one on a hand-over word). */
static inline bool ordered(const struct schedule *sc, const struct trace_record *rec)
{
	return trace_is_sync(rec) && (!sc->ho || word_of(sc, rec->address) >= 0);
}

/* Whether CORE's ordered record REC may issue: it is the next of the file
 * (or of its hand-over word). */
static bool my_turn(struct schedule *sc, unsigned core, const struct trace_record *rec)
{
	long w;

	if (!sc->ho)
		return turn_of(sc) == (int)core;
	w = word_of(sc, rec->address);
	return sc->ho_next[w] < sc->ho->nturns[w] && sc->ho->turns[w][sc->ho_next[w]] == core;
}

/* When the ordered record before REC completed, under each protocol. */
static uint64_t *done_before(struct schedule *sc, const struct trace_record *rec)
{
	return sc->ho ? sc->ho_done[word_of(sc, rec->address)] : sc->sync_done;
}

#define BLOCKED (UINT64_MAX - 1)

static size_t plain_records(const struct schedule *sc, const struct trace_record *rec, size_t n)
{
	size_t i = 0;

	while (i < n && !ordered(sc, &rec[i]))
		i++;
	return i;
}

/* CORE's next loan; -1 to stop. */
static int take_loan(struct schedule *sc, unsigned core)
{
	struct synced_loan *l = &sc->loan[core];
	ssize_t n = sc->feed(sc->ctx, core, &l->rec);

	if (n < 0)
		return -1;
	l->n = (size_t)n;
	l->plain = 0;
	sc->front[core] = NO_PLACE;
	if (n) {
		l->plain = plain_records(sc, l->rec, l->n);
		if (sc->sync->keys) {
			l->key = sc->sync->keys(sc->ctx, core);
			sc->front[core] = place_of(l, 0);
		}
	}
	return 0;
}

/* Moves CORE's loan past ISSUED records (at least one), taking the next
 * loan once the last is used up; -1 to stop. */
static inline int advance(struct schedule *sc, unsigned core, size_t issued)
{
	struct synced_loan *l = &sc->loan[core];

	l->rec += issued;
	l->n -= issued;
	sc->count += issued;
	if (l->key)
		l->key += issued;
	if (!l->n)
		return take_loan(sc, core);
	if (l->key)
		sc->front[core] = place_of(l, 0);
	return 0;
}

/* When CORE's next record issues: UINT64_MAX when it has none, BLOCKED
 * when it is a synchronisation record whose turn has not come. */
static inline uint64_t next_time(struct schedule *sc, unsigned core)
{
	const struct synced_loan *l = &sc->loan[core];
	uint64_t clock = sc->s->inst[0].clock[core], done;

	if (!l->n)
		return UINT64_MAX;
	if (l->plain)
		return clock + ticks_of(l->rec[0].gap);
	if (!my_turn(sc, core, &l->rec[0]))
		return BLOCKED;
	done = done_before(sc, &l->rec[0])[0];
	return (clock > done ? clock : done) + ticks_of(l->rec[0].gap);
}

/* Counts, of CORE's ISSUED records just replayed (L's first), those an
 * earlier record (in the file) of another core was still waiting for:
 * the others' next records did not move meanwhile, and the places grow
 * within a core. */
static inline void count_ahead(struct schedule *sc, unsigned core, const struct synced_loan *l, size_t issued)
{
	struct file_place *front = sc->front, first_other = NO_PLACE, own = front[core];
	size_t lo = 0, hi = issued;

	if (!l->key) /* the hand-overs' timed order: no place in the file */
		return;
	/* The others' least, without a test per core for CORE. */
	front[core] = NO_PLACE;
	for (unsigned c = 0; c < sc->cores; c++)
		first_other = place_before(front[c], first_other) ? front[c] : first_other;
	front[core] = own;
	if (place_before(place_of(l, issued - 1), first_other))
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (place_before(place_of(l, mid), first_other))
			lo = mid + 1;
		else
			hi = mid;
	}
	sc->s->ahead += issued - lo;
}

/* The synchronisation record at the front of CORE's loan, whose turn it
 * is: its clock waits for the one before it under each protocol. */
static int issue_sync(struct schedule *sc, unsigned core)
{
	struct sim *s = sc->s;
	struct synced_loan *l = &sc->loan[core];
	long word = sc->ho ? word_of(sc, l->rec[0].address) : -1;
	uint64_t *done = word >= 0 ? sc->ho_done[word] : sc->sync_done;

	count_ahead(sc, core, l, 1);
	for (unsigned i = 0; i < s->n; i++)
		if (s->inst[i].clock[core] < done[i]) {
			s->inst[i].stats[core].sync_wait += done[i] - s->inst[i].clock[core];
			s->inst[i].clock[core] = done[i];
		}
	run_core(s, core, l->rec, 1, UINT64_MAX);
	for (unsigned i = 0; i < s->n; i++)
		done[i] = s->inst[i].clock[core];
	if (word >= 0) {
		sc->last_word = word;
		sc->ho_next[word]++;
	} else {
		sc->next_sync++;
	}
	s->sync_records++;
	l->plain = plain_records(sc, l->rec + 1, l->n - 1);
	return advance(sc, core, 1);
}

/* CORE's plain records while it stays ahead of the next earliest core,
 * as in the timed order. */
static int issue_plain(struct schedule *sc, unsigned core)
{
	struct synced_loan *l = &sc->loan[core];
	const uint64_t *clock = sc->s->inst[0].clock;
	uint64_t limit = UINT64_MAX;

	if (sc->n > 1) {
		const struct waiting *second = sc->n > 2 && issues_before(&sc->heap[2], &sc->heap[1]) ? &sc->heap[2] : &sc->heap[1];

		if (second->time != UINT64_MAX)
			limit = second->time + (core < second->core); /* a tie goes to the lower core */
	}
	for (;;) {
		size_t issued = sc->s->cfg.in_flight ? run_core_in_flight(sc->s, core, l->rec, l->plain, limit)
						      : run_core(sc->s, core, l->rec, l->plain, limit);

		count_ahead(sc, core, l, issued);
		l->plain -= issued;
		if (advance(sc, core, issued) < 0)
			return -1;
		if (!l->plain || clock[core] + ticks_of(l->rec[0].gap) >= limit)
			return 0;
	}
}

static int run_schedule(struct schedule *sc)
{
	unsigned cores = sc->s->cfg.cores;

	for (unsigned c = 0; c < cores; c++) {
		uint64_t time;

		if (take_loan(sc, c) < 0)
			return -1;
		time = next_time(sc, c);
		if (time == BLOCKED)
			sc->blocked[c] = true;
		else
			sc->heap[sc->n++] = (struct waiting){ time, c };
	}
	/* Every time starts as its first gap: heapify from the last parent. */
	for (unsigned i = sc->n / 2; i-- > 0;)
		sift_down(sc->heap, sc->n, i, sc->heap[i]);
	while (!sc->stopped && sc->n && sc->heap[0].time != UINT64_MAX) {
		unsigned first = sc->heap[0].core;
		bool was_sync = sc->loan[first].plain == 0;
		uint64_t next;
		int turn;

		if ((was_sync ? issue_sync(sc, first) : issue_plain(sc, first)) < 0)
			return -1;
		next = next_time(sc, first);
		if (next == BLOCKED) {
			sc->blocked[first] = true;
			sc->n--;
			sift_down(sc->heap, sc->n, 0, sc->heap[sc->n]);
		} else {
			sift_down(sc->heap, sc->n, 0, (struct waiting){ next, first });
		}
		if (!was_sync)
			continue;
		/* The turn moved on: the core whose record it now is may be
		 * waiting for it. */
		if (sc->ho)
			turn = sc->ho_next[sc->last_word] < sc->ho->nturns[sc->last_word]
				       ? sc->ho->turns[sc->last_word][sc->ho_next[sc->last_word]]
				       : -1;
		else
			turn = turn_of(sc);
		if (turn >= 0 && (unsigned)turn < cores && sc->blocked[turn]) {
			sc->blocked[turn] = false;
			sift_up(sc->heap, &sc->n, (struct waiting){ next_time(sc, (unsigned)turn), (unsigned)turn });
		}
	}
	if (sc->stopped)
		return -1;
	for (unsigned c = 0; c < cores; c++)
		if (sc->blocked[c])
			ml_die(ML_EXIT_CHECK_FAILED, "internal: core %u waits for a synchronisation record that never comes", c);
	return 0;
}

int sim_run_synced(struct sim *s, sim_feed feed, const struct sim_sync_feed *sync, void *ctx, uint64_t *done)
{
	struct schedule sc = { .s = s, .feed = feed, .sync = sync, .ctx = ctx, .cores = s->cfg.cores,
			       .ho = sync->handovers };
	int rc;

	if (sc.ho) {
		sc.ho_next = xcalloc(sc.ho->n ? sc.ho->n : 1, sizeof(*sc.ho_next));
		sc.ho_done = xcalloc(sc.ho->n ? sc.ho->n : 1, sizeof(*sc.ho_done));
	}
	sc.loan = xcalloc(s->cfg.cores, sizeof(*sc.loan));
	sc.front = xcalloc(s->cfg.cores, sizeof(*sc.front));
	sc.heap = xcalloc(s->cfg.cores, sizeof(*sc.heap));
	sc.blocked = xcalloc(s->cfg.cores, sizeof(*sc.blocked));
	rc = run_schedule(&sc);
	*done = sc.count;
	free(sc.loan);
	free(sc.front);
	free(sc.heap);
	free(sc.blocked);
	free(sc.ho_next);
	free(sc.ho_done);
	return rc;
}

void sim_order_stats(const struct sim *s, uint64_t *sync_records, uint64_t *ahead)
{
	*sync_records = s->sync_records;
	*ahead = s->ahead;
}
