/* The simulator's fast paths against plain reference versions: the timed
 * order against choosing the earliest core before every access, the
 * synchronised order against its rules (and against the timed order where
 * there is nothing to synchronise), the shadow LRU cache against an array
 * kept in recency order, the way matcher against a loop, and the
 * lost-lines filter; and the store buffer, lines in flight and atomics'
 * cost on hand-made traces. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "engine.h"
#include "lost_lines.h"
#include "presence.h"
#include "rng.h"
#include "way_match.h"
#include "xalloc.h"

#define THREADS 5
#define PER_THREAD 6000

struct workload {
	struct trace_record rec[THREADS][PER_THREAD];
};

/* Threads sharing a few lines (so that coherence happens) and each
 * touching more than its cache holds (so that lines are evicted). */
static struct workload *make_workload(uint64_t seed)
{
	struct workload *w = xmalloc(sizeof(*w));
	struct rng rng;

	rng_seed(&rng, seed);
	for (unsigned t = 0; t < THREADS; t++) {
		for (unsigned i = 0; i < PER_THREAD; i++) {
			uint64_t x = rng_next(&rng);
			bool shared = (x & 7) == 0;
			uint64_t line = shared ? (x >> 8) % 16 : 1024 + t * 4096 + (x >> 8) % 96;

			w->rec[t][i] = (struct trace_record){
				.address = line * 64 + ((x >> 40) % 8) * 8,
				.gap = (uint32_t)((x >> 48) % 12),
				.thread = (uint16_t)t,
				.op = (uint8_t)((x >> 56) % 3),
				.size = 8,
			};
		}
	}
	return w;
}

static struct sim *make_sim(unsigned cores)
{
	const struct protocol *p[3] = { protocol_find("mesi"), protocol_find("msi"), protocol_find("dragon") };
	struct sim_config cfg;

	sim_config_defaults(&cfg);
	cfg.cores = cores;
	cfg.l1 = (struct cache_geometry){ 2048, 4, 64 };
	return sim_new(&cfg, p, 3);
}

/* Before every access, the core whose next access comes first: the
 * definition the timed order implements. */
static void replay_reference(struct sim *s, const struct workload *w)
{
	size_t next[THREADS] = { 0 };

	for (;;) {
		int best = -1;
		uint64_t best_time = 0;

		for (unsigned t = 0; t < THREADS; t++) {
			struct core_stats st;
			uint64_t time;

			if (next[t] == PER_THREAD)
				continue;
			sim_core_stats(s, 0, t, &st);
			time = st.cycles + w->rec[t][next[t]].gap;
			if (best < 0 || time < best_time) {
				best = (int)t;
				best_time = time;
			}
		}
		if (best < 0)
			return;
		sim_access(s, &w->rec[best][next[best]++]);
	}
}

struct array_feed {
	const struct workload *w;
	size_t next[THREADS];
	struct rng rng;
};

/* Lends runs of 1 to 7 records, so that the engine stops both inside and
 * at the ends of runs. */
static ssize_t feed_array(void *ctx, unsigned core, const struct trace_record **records)
{
	struct array_feed *f = ctx;
	size_t n = 1 + rng_below(&f->rng, 7);

	if (core >= THREADS)
		return 0;
	n = n < PER_THREAD - f->next[core] ? n : PER_THREAD - f->next[core];
	*records = &f->w->rec[core][f->next[core]];
	f->next[core] += n;
	return (ssize_t)n;
}

static void assert_same_results(const struct sim *a, const struct sim *b)
{
	for (unsigned i = 0; i < sim_protocols(a); i++) {
		for (unsigned c = 0; c < sim_cores(a); c++) {
			struct core_stats x, y;

			sim_core_stats(a, i, c, &x);
			sim_core_stats(b, i, c, &y);
			if (memcmp(&x, &y, sizeof(x)))
				fail_msg("%s, core %u: the statistics differ", sim_protocol(a, i)->name, c);
		}
		for (unsigned st = 0; st < PROTOCOL_MAX_STATES; st++)
			for (unsigned ev = 0; ev < SIM_NEVENTS; ev++)
				for (unsigned next = 0; next < PROTOCOL_MAX_STATES; next++)
					assert_int_equal(sim_transitions(a, i, st, ev, next),
							 sim_transitions(b, i, st, ev, next));
	}
}

static void check_timed_order(unsigned cores, uint64_t seed)
{
	struct workload *w = make_workload(seed);
	struct sim *reference = make_sim(cores), *timed = make_sim(cores);
	struct array_feed feed = { .w = w };
	struct core_stats st;
	uint64_t done;

	rng_seed(&feed.rng, seed + 1);
	replay_reference(reference, w);
	assert_int_equal(sim_run_timed(timed, feed_array, &feed, &done), 0);
	assert_int_equal(done, (uint64_t)THREADS * PER_THREAD);
	assert_same_results(reference, timed);
	/* The workload did exercise coherence and replacement. */
	sim_core_stats(timed, 0, 0, &st);
	assert_true(st.invalidations_received > 0);
	assert_true(st.cause[CAUSE_CAPACITY] + st.cause[CAUSE_CONFLICT] > 0);
	sim_free(reference);
	sim_free(timed);
	free(w);
}

static void test_timed_order(void **state)
{
	(void)state;
	check_timed_order(THREADS, 1);
	check_timed_order(THREADS, 2);
	check_timed_order(THREADS + 2, 3); /* cores without a thread */
	check_timed_order(12, 4);          /* enough cores to keep a map of each line's holders */
}

struct stopping_feed {
	unsigned calls;
	struct trace_record rec;
};

/* Lends one record a call, and stops the replay at the fourth call. */
static ssize_t feed_stop(void *ctx, unsigned core, const struct trace_record **records)
{
	struct stopping_feed *f = ctx;

	if (++f->calls > 3)
		return -1;
	f->rec = (struct trace_record){ .address = 64 * f->calls, .thread = (uint16_t)core, .size = 8 };
	*records = &f->rec;
	return 1;
}

static void test_timed_order_stops(void **state)
{
	struct sim *s = make_sim(2);
	struct stopping_feed feed = { 0 };
	uint64_t done;

	(void)state;
	assert_int_equal(sim_run_timed(s, feed_stop, &feed, &done), -1);
	assert_true(done >= 1 && done <= 3);
	sim_free(s);
}

/* The synchronised order: threads whose records are each on a line of
 * their own (so that an observer of the accesses sees which record
 * issued), with random gaps and random synchronisation records, in a
 * random interleaving that keeps each thread's program order: the file. */
#define SYNC_THREADS 4
#define SYNC_PER_THREAD 400

struct synced_workload {
	struct trace_record rec[SYNC_THREADS][SYNC_PER_THREAD];
	uint64_t index[SYNC_THREADS][SYNC_PER_THREAD]; /* each record's place in the file */
	uint16_t sync_thread[SYNC_THREADS * SYNC_PER_THREAD]; /* the file's synchronisation records' threads */
	uint64_t nsync;
	size_t next[SYNC_THREADS], loan_start[SYNC_THREADS]; /* the feed's */
	struct rng rng;
	/* What the observer saw, protocol 0's accesses: their records' places. */
	uint64_t seen[SYNC_THREADS * SYNC_PER_THREAD];
	size_t nseen;
};

static struct synced_workload *make_synced(uint64_t seed, unsigned sync_percent)
{
	struct synced_workload *w = xcalloc(1, sizeof(*w));
	size_t taken[SYNC_THREADS] = { 0 }, placed = 0;

	rng_seed(&w->rng, seed);
	for (unsigned t = 0; t < SYNC_THREADS; t++) {
		for (unsigned i = 0; i < SYNC_PER_THREAD; i++) {
			uint64_t x = rng_next(&w->rng);

			w->rec[t][i] = (struct trace_record){
				.address = ((uint64_t)t * SYNC_PER_THREAD + i) * 64,
				.gap = (uint32_t)((x >> 8) % 300),
				.thread = (uint16_t)t,
				.op = (uint8_t)((x >> 20) % 3 | ((x >> 32) % 100 < sync_percent ? TRACE_SYNC : 0)),
				.size = 8,
			};
		}
	}
	while (placed < SYNC_THREADS * SYNC_PER_THREAD) {
		unsigned t = (unsigned)rng_below(&w->rng, SYNC_THREADS);

		if (taken[t] == SYNC_PER_THREAD)
			continue;
		w->index[t][taken[t]] = placed++;
		if (trace_is_sync(&w->rec[t][taken[t]]))
			w->sync_thread[w->nsync++] = (uint16_t)t;
		taken[t]++;
	}
	return w;
}

static ssize_t feed_synced(void *ctx, unsigned core, const struct trace_record **records)
{
	struct synced_workload *w = ctx;
	size_t n = 1 + rng_below(&w->rng, 7);

	if (core >= SYNC_THREADS)
		return 0;
	n = n < SYNC_PER_THREAD - w->next[core] ? n : SYNC_PER_THREAD - w->next[core];
	*records = &w->rec[core][w->next[core]];
	w->loan_start[core] = w->next[core];
	w->next[core] += n;
	return (ssize_t)n;
}

static int synced_sync_thread(void *ctx, uint64_t k)
{
	const struct synced_workload *w = ctx;

	return k < w->nsync ? w->sync_thread[k] : -1;
}

static const uint64_t *synced_indices(void *ctx, unsigned core)
{
	struct synced_workload *w = ctx;

	return &w->index[core][w->loan_start[core]];
}

static const struct sim_sync_feed synced_feed = { synced_sync_thread, synced_indices, NULL };

/* Each access of protocol 0, by the place of its record in the file. */
static void note_access(void *ctx, const struct sim_event *e)
{
	struct synced_workload *w = ctx;
	uint64_t record = e->line;

	if (e->kind != SIM_EV_ACCESS || e->protocol != 0)
		return;
	w->seen[w->nseen++] = w->index[record / SYNC_PER_THREAD][record % SYNC_PER_THREAD];
}

/* Every record replayed once, each thread's in program order, the
 * synchronisation records in the file's order (together: no record moved
 * across one of another thread's out of the order the file has them); and
 * the records replayed ahead of an earlier one of another thread in the
 * file counted as the engine counts them. */
static void check_synced_order(uint64_t seed, unsigned sync_percent)
{
	struct synced_workload *w = make_synced(seed, sync_percent);
	struct sim *s = make_sim(SYNC_THREADS);
	const struct trace_record *by_index[SYNC_THREADS * SYNC_PER_THREAD];
	size_t next[SYNC_THREADS] = { 0 }, nsync = 0;
	uint64_t done, sync_records, ahead, expected_ahead = 0;

	for (unsigned t = 0; t < SYNC_THREADS; t++)
		for (unsigned i = 0; i < SYNC_PER_THREAD; i++)
			by_index[w->index[t][i]] = &w->rec[t][i];
	sim_observe(s, note_access, w);
	assert_int_equal(sim_run_synced(s, feed_synced, &synced_feed, w, &done), 0);
	assert_int_equal(done, (uint64_t)SYNC_THREADS * SYNC_PER_THREAD);
	assert_int_equal(w->nseen, done);
	for (size_t k = 0; k < w->nseen; k++) {
		const struct trace_record *r = by_index[w->seen[k]];
		unsigned t = r->thread;

		if (w->index[t][next[t]] != w->seen[k])
			fail_msg("seed %llu, access %zu: thread %u's record at %llu out of program order",
				 (unsigned long long)seed, k, t, (unsigned long long)w->seen[k]);
		for (unsigned o = 0; o < SYNC_THREADS; o++)
			if (o != t && next[o] < SYNC_PER_THREAD && w->index[o][next[o]] < w->seen[k]) {
				expected_ahead++;
				break;
			}
		next[t]++;
		if (trace_is_sync(r) && w->sync_thread[nsync++] != t)
			fail_msg("seed %llu: synchronisation record %zu is thread %u's, the file has thread %u's",
				 (unsigned long long)seed, nsync - 1, t, w->sync_thread[nsync - 1]);
	}
	assert_int_equal(nsync, w->nsync);
	sim_order_stats(s, &sync_records, &ahead);
	assert_int_equal(sync_records, w->nsync);
	assert_int_equal(ahead, expected_ahead);
	sim_free(s);
	free(w);
}

static void test_synced_order(void **state)
{
	(void)state;
	check_synced_order(1, 20);
	check_synced_order(2, 3);
	check_synced_order(3, 60);
	check_synced_order(4, 100); /* every record: the file's order itself */
}

/* The timed order's workload fed to the synchronised order: no
 * synchronisation record, each record's index its place in its thread
 * (increasing numbers are all the count of records ahead needs). */
static uint64_t place_in_thread[PER_THREAD];

struct plain_synced {
	struct array_feed feed;
	size_t start[THREADS];
};

static ssize_t feed_plain(void *ctx, unsigned core, const struct trace_record **records)
{
	struct plain_synced *p = ctx;

	if (core < THREADS)
		p->start[core] = p->feed.next[core];
	return feed_array(&p->feed, core, records);
}

static int no_sync_records(void *ctx, uint64_t k)
{
	(void)ctx;
	(void)k;
	return -1;
}

static const uint64_t *plain_indices(void *ctx, unsigned core)
{
	const struct plain_synced *p = ctx;

	return &place_in_thread[p->start[core]];
}

/* Without synchronisation records, the synchronised order is the timed
 * order, to the last counter, however the records are lent. */
static void test_synced_without_sync_is_timed(void **state)
{
	static const struct sim_sync_feed plain = { no_sync_records, plain_indices, NULL };
	struct workload *w = make_workload(5);
	struct sim *timed = make_sim(THREADS), *synced = make_sim(THREADS);
	struct array_feed feed = { .w = w };
	struct plain_synced p = { .feed = { .w = w } };
	uint64_t done, sync_records, ahead;

	(void)state;
	for (unsigned i = 0; i < PER_THREAD; i++)
		place_in_thread[i] = i;
	rng_seed(&feed.rng, 6);
	rng_seed(&p.feed.rng, 7);
	assert_int_equal(sim_run_timed(timed, feed_array, &feed, &done), 0);
	assert_int_equal(sim_run_synced(synced, feed_plain, &plain, &p, &done), 0);
	assert_int_equal(done, (uint64_t)THREADS * PER_THREAD);
	assert_same_results(timed, synced);
	sim_order_stats(synced, &sync_records, &ahead);
	assert_int_equal(sync_records, 0);
	sim_free(timed);
	sim_free(synced);
	free(w);
}

/* A fully associative LRU cache the plain way: an array, most recent first. */
struct plain_lru {
	uint64_t line[64];
	unsigned used, capacity;
};

static bool plain_reference(struct plain_lru *p, uint64_t line)
{
	unsigned i;
	bool hit;

	for (i = 0; i < p->used && p->line[i] != line; i++)
		;
	hit = i < p->used;
	if (!hit)
		i = p->used < p->capacity ? p->used++ : p->capacity - 1;
	memmove(&p->line[1], &p->line[0], i * sizeof(p->line[0]));
	p->line[0] = line;
	return hit;
}

static void test_shadow_lru(void **state)
{
	const unsigned capacities[] = { 1, 2, 5, 16, 64 };
	struct rng rng;

	(void)state;
	rng_seed(&rng, 7);
	for (size_t k = 0; k < sizeof(capacities) / sizeof(capacities[0]); k++) {
		struct plain_lru plain = { .capacity = capacities[k] };
		struct core_history h;
		bool seen[128] = { false };
		unsigned hits = 0;

		core_history_init(&h, capacities[k]);
		for (unsigned i = 0; i < 200000; i++) {
			/* Mostly a small working set, sometimes anywhere, often the same line again. */
			uint64_t x = rng_next(&rng);
			uint64_t line = (x & 3) == 0 ? (x >> 8) % 64 : (x >> 8) % (capacities[k] + 2);
			bool hit = plain_reference(&plain, line), cold = !seen[line];

			seen[line] = true;
			core_history_reference(&h, line);
			assert_int_equal(h.last_shadow_hit, hit);
			assert_int_equal(h.last_cold, cold);
			hits += hit;
		}
		assert_true(hits > 0 && hits < 200000);
		core_history_free(&h);
	}
}

static void test_way_match(void **state)
{
	uint32_t keys[64];
	struct rng rng;

	(void)state;
	rng_seed(&rng, 11);
	for (unsigned ways = 1; ways <= 64; ways++) {
		for (unsigned round = 0; round < 50; round++) {
			uint32_t key = (uint32_t)rng_below(&rng, 4);
			uint64_t want = 0;

			for (unsigned w = 0; w < ways; w++) {
				keys[w] = (uint32_t)rng_below(&rng, 4);
				want |= (uint64_t)(keys[w] == key) << w;
			}
			assert_int_equal(way_match(keys, ways, key), want);
		}
	}
}

static void test_lost_lines(void **state)
{
	struct lost_lines *l = xmalloc(sizeof(*l));

	(void)state;
	lost_lines_init(l, 4);
	assert_false(lost_lines_maybe(l, 100));
	lost_lines_add(l, 100, 1);
	lost_lines_add(l, 100, 2);
	assert_true(lost_lines_maybe(l, 100));
	lost_lines_write(l, 100, 3, 0x1);  /* word 0 */
	lost_lines_write(l, 100, 1, 0x10); /* core 1's own write: not for core 1 */
	assert_int_equal(lost_lines_take(l, 100, 0, 0x1), -1); /* core 0 never lost it */
	assert_int_equal(lost_lines_take(l, 100, 1, 0x10), 0); /* false sharing */
	assert_int_equal(lost_lines_take(l, 100, 1, 0x10), -1); /* core 1 has it again */
	assert_int_equal(lost_lines_take(l, 100, 2, 0x11), 1); /* true sharing */
	/* Every core has it back: the line is gone, and the filter forgets it. */
	assert_false(lost_lines_maybe(l, 100));
	/* Many lines at once share filter slots and still come and go. */
	for (uint64_t line = 0; line < 10000; line++)
		lost_lines_add(l, line, (unsigned)(line % 4));
	for (uint64_t line = 0; line < 10000; line++) {
		assert_true(lost_lines_maybe(l, line));
		assert_int_equal(lost_lines_take(l, line, (unsigned)(line % 4), 1), 0);
	}
	for (uint64_t line = 0; line < 10000; line++)
		assert_false(lost_lines_maybe(l, line));
	lost_lines_free(l);
	free(l);
}

/* The presence filter against exact sets of held lines: every holder is
 * named; a line nobody holds, in a bucket nobody has lines in, names none;
 * a count that reached its top stays. */
static void test_presence(void **state)
{
	enum { CORES = 8, LINES = 64 };
	static bool held[CORES][LINES];
	struct presence p;
	struct rng rng;

	(void)state;
	presence_init(&p, 16);
	presence_add(&p, 5, 7);
	assert_int_equal(presence_of(&p, 5), 1u << 7);
	presence_add(&p, 5, 0);
	assert_int_equal(presence_of(&p, 5), 1u << 7 | 1u);
	presence_remove(&p, 5, 7);
	presence_remove(&p, 5, 0);
	assert_int_equal(presence_of(&p, 5), 0);

	rng_seed(&rng, 11);
	for (unsigned step = 0; step < 200000; step++) {
		unsigned core = (unsigned)rng_below(&rng, CORES), line = (unsigned)rng_below(&rng, LINES);
		uint64_t want = 0, got;

		if (held[core][line])
			presence_remove(&p, line, core);
		else
			presence_add(&p, line, core);
		held[core][line] = !held[core][line];
		for (unsigned c = 0; c < CORES; c++)
			want |= (uint64_t)held[c][line] << c;
		got = presence_of(&p, line);
		assert_int_equal(got & want, want);
	}
	for (unsigned c = 0; c < CORES; c++)
		for (unsigned line = 0; line < LINES; line++)
			if (held[c][line])
				presence_remove(&p, line, c);
	for (unsigned line = 0; line < LINES; line++)
		assert_int_equal(presence_of(&p, line), 0);

	/* 300 lines of one bucket in core 2: the count sticks at its top. */
	for (unsigned i = 0; i < 300; i++)
		presence_add(&p, 9, 2);
	for (unsigned i = 0; i < 300; i++)
		presence_remove(&p, 9, 2);
	assert_int_equal(presence_of(&p, 9), 1u << 2);
	presence_free(&p);
}


/* --- the store buffer, on hand-made traces in file order --- */

/* A record of thread T: operation O on address A, 8 bytes. */
#define REC(t, o, a) { .address = (a), .thread = (t), .op = (o), .size = 8 }

struct sb_run {
	struct core_stats core[2];
	char *log; /* every access, as --log prints it */
};

/* Replays REC[0..N) in file order under MESI on two cores with the
 * default latencies (hit 4, memory 200, c2c 60, bus 10) and a store
 * buffer of ENTRIES (0: none). */
static struct sb_run sb_replay(const struct trace_record *rec, size_t n, unsigned entries)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	struct sim_config cfg;
	struct sb_run run;
	size_t len;
	struct sim *s;

	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.store_buffer = entries;
	cfg.log = open_memstream(&run.log, &len);
	assert_non_null(cfg.log);
	s = sim_new(&cfg, p, 1);
	for (size_t i = 0; i < n; i++)
		sim_access(s, &rec[i]);
	for (unsigned c = 0; c < 2; c++)
		sim_core_stats(s, 0, c, &run.core[c]);
	sim_free(s);
	assert_int_equal(fclose(cfg.log), 0);
	return run;
}

/* The log says LINE (a substring of one of its lines). */
static void assert_logged(const struct sb_run *run, const char *line)
{
	if (!strstr(run->log, line))
		fail_msg("the log lacks '%s'; it is:\n%s", line, run->log);
}

/* Two cores store in turn to their own words of one line, 50 times each.
 * Without a buffer every store takes the line from the other core. With
 * one, a store joins its core's waiting request while the other core's
 * request is served: the line moves once per request, and the cores run
 * ahead of it. */
static void test_store_buffer_false_sharing(void **state)
{
	struct trace_record rec[100];
	struct sb_run off, on;

	(void)state;
	for (unsigned i = 0; i < 100; i++)
		rec[i] = (struct trace_record)REC(i % 2, TRACE_WRITE, (i % 2) * 8);
	off = sb_replay(rec, 100, 0);
	on = sb_replay(rec, 100, 8);
	for (unsigned c = 0; c < 2; c++) {
		/* Without: the first store from memory, then a transfer each. */
		assert_int_equal(off.core[c].misses, 50);
		assert_int_equal(off.core[c].writes, 50);
		assert_int_equal(on.core[c].writes, 50);
		if (on.core[c].misses >= 10 || on.core[c].cycles * 5 >= off.core[c].cycles)
			fail_msg("core %u with a buffer of 8: %llu misses, %llu cycles; without: %llu misses, %llu cycles",
				 c, (unsigned long long)on.core[c].misses, (unsigned long long)on.core[c].cycles,
				 (unsigned long long)off.core[c].misses, (unsigned long long)off.core[c].cycles);
		/* A store that joined a request is a hit, not a miss. */
		assert_int_equal(on.core[c].hits + on.core[c].misses, 50);
		assert_int_equal(on.core[c].c2c_transfers + on.core[c].memory_reads, on.core[c].misses);
	}
	assert_logged(&on, "P0 W 0x0: store buffer, joins the request;");
	free(off.log);
	free(on.log);
}

/* Core 0's store waits for its line, which core 1's store then takes: a
 * load of the word core 0 stored is forwarded from its buffer, a load of
 * the word core 1 stored is not. */
static void test_store_buffer_forwards(void **state)
{
	const struct trace_record rec[] = {
		REC(0, TRACE_WRITE, 0x0), REC(1, TRACE_WRITE, 0x8), REC(0, TRACE_READ, 0x0), REC(0, TRACE_READ, 0x8),
	};
	struct sb_run off = sb_replay(rec, 4, 0), on = sb_replay(rec, 4, 8);

	(void)state;
	assert_logged(&off, "P0 R 0x0: BusRd from P1;");
	assert_logged(&on, "P0 R 0x0: forwarded from the store buffer; I M");
	assert_logged(&on, "t=8      P0 R 0x0: BusRd from P1;"); /* the log names the line */
	assert_int_equal(on.core[0].misses, 2); /* the store, and the load of core 1's word */
	free(off.log);
	free(on.log);
}

/* A lock's release: core 0 stores to the line's data word, core 1 loads
 * the lock word (a copy of the line, once core 0's store has drained),
 * core 0 stores to the lock word while its first store may still wait.
 * The release must not join that request, which leaves core 1's copy
 * alone: it invalidates the copy, and core 1's next load misses. */
static void test_store_buffer_join_invalidates(void **state)
{
	const struct trace_record rec[] = {
		REC(0, TRACE_WRITE, 0x8), REC(1, TRACE_READ, 0x0), REC(0, TRACE_WRITE, 0x0), REC(1, TRACE_READ, 0x0),
	};
	struct sb_run on = sb_replay(rec, 4, 8);

	(void)state;
	if (strstr(on.log, "joins the request"))
		fail_msg("the release joined a request, leaving core 1 its copy:\n%s", on.log);
	assert_logged(&on, "P0 W 0x0: BusUpgr; S>M S>I");
	assert_int_equal(on.core[1].misses, 2);
	free(on.log);
}

/* Two stores from memory drain one after the other (done at 200 and 400),
 * while the core goes on after an L1 hit each: an atomic issues once both
 * have drained, at 400, where without the buffer it issues at 400 too,
 * after the second store's own wait; a plain load instead goes at 8. */
static void test_store_buffer_atomic_drains(void **state)
{
	const struct trace_record atomic[] = {
		REC(0, TRACE_WRITE, 0x0), REC(0, TRACE_WRITE, 0x40), REC(0, TRACE_RMW, 0x80),
	};
	const struct trace_record load[] = {
		REC(0, TRACE_WRITE, 0x0), REC(0, TRACE_WRITE, 0x40), REC(0, TRACE_READ, 0x80),
	};
	struct sb_run off = sb_replay(atomic, 3, 0), on = sb_replay(atomic, 3, 8), plain = sb_replay(load, 3, 8);

	(void)state;
	assert_logged(&off, "t=400    P0 A 0x80");
	assert_logged(&on, "t=4      P0 W 0x40");
	assert_logged(&on, "t=400    P0 A 0x80");
	assert_logged(&plain, "t=8      P0 R 0x80");
	/* The atomic's line from memory after the bus is free: 400 + 200. */
	assert_int_equal(on.core[0].cycles, 600);
	free(off.log);
	free(on.log);
	free(plain.log);
}

/* A buffer of two holds two stores from memory (done at 200 and 400): the
 * third store stalls until the oldest drains, at 200, and retires at 204,
 * when the load after it issues; with room for three the load issues at
 * 12. */
static void test_store_buffer_full_stalls(void **state)
{
	const struct trace_record rec[] = {
		REC(0, TRACE_WRITE, 0x0), REC(0, TRACE_WRITE, 0x40), REC(0, TRACE_WRITE, 0x80), REC(0, TRACE_READ, 0xc0),
	};
	struct sb_run two = sb_replay(rec, 4, 2), three = sb_replay(rec, 4, 3);

	(void)state;
	assert_logged(&two, "t=204    P0 R 0xc0");
	assert_logged(&three, "t=12     P0 R 0xc0");
	free(two.log);
	free(three.log);
}

/* Latencies in sixteenths of a cycle accumulate exactly: a line from
 * memory (100 cycles) then 16 hits of 1 13/16 cycles (a machine's 1.8,
 * which whole cycles made 2) is 129 cycles, not 132; one such hit after
 * the miss is 101.8125, reported rounded as 102. A sixteenth more than
 * 15 is refused. */
static void test_fractional_latency(void **state)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	struct trace_record rec[17];
	struct core_stats st;
	struct sim_config cfg;
	struct ml_error err;
	struct sim *s;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 1;
	cfg.llc = (struct cache_geometry){ 0, 0, 0 };
	cfg.latency.memory = 100;
	cfg.latency.hit = 1;
	cfg.sixteenths.hit = 13;
	for (unsigned n = 1; n <= 17; n += 16) {
		s = sim_new(&cfg, p, 1);
		for (unsigned i = 0; i < n; i++) {
			rec[i] = (struct trace_record)REC(0, TRACE_READ, 0x40);
			sim_access(s, &rec[i]);
		}
		sim_core_stats(s, 0, 0, &st);
		assert_int_equal(st.cycles, n == 1 ? 100 : 129);
		sim_free(s);
	}
	s = sim_new(&cfg, p, 1);
	rec[0] = (struct trace_record)REC(0, TRACE_READ, 0x40);
	rec[1] = rec[0];
	sim_access(s, &rec[0]);
	sim_access(s, &rec[1]);
	sim_core_stats(s, 0, 0, &st);
	assert_int_equal(st.cycles, 102);
	sim_free(s);
	cfg.sixteenths.hit = 16;
	assert_int_equal(sim_config_check(&cfg, &err), -1);
}

/* A bus transaction's time drawn within the spread: one line from memory
 * (200 cycles) takes 180 to 220 with a spread of 10%, the same for the
 * same seed; 512 of them take 512 times 200 give or take 2%, not exactly;
 * without a spread exactly. Over 50% is refused. */
static uint64_t spread_cycles(unsigned spread, unsigned lines, uint64_t seed)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	struct sim_config cfg;
	struct core_stats st;
	struct sim *s;

	sim_config_defaults(&cfg);
	cfg.cores = 1;
	cfg.spread = spread;
	cfg.seed = seed;
	s = sim_new(&cfg, p, 1);
	for (unsigned i = 0; i < lines; i++) {
		struct trace_record rec = REC(0, TRACE_READ, (uint64_t)i * 64);

		sim_access(s, &rec);
	}
	sim_core_stats(s, 0, 0, &st);
	sim_free(s);
	return st.cycles;
}

static void test_spread(void **state)
{
	struct sim_config cfg;
	struct ml_error err;
	uint64_t one = spread_cycles(10, 1, 1), many = spread_cycles(10, 512, 1);

	(void)state;
	if (one < 180 || one > 220)
		fail_msg("one line from memory with a spread of 10%%: %llu cycles, not within 180 to 220",
			 (unsigned long long)one);
	assert_int_equal(spread_cycles(10, 1, 1), one);
	assert_int_equal(spread_cycles(0, 512, 1), 512 * 200);
	if (many == 512 * 200 || many < 512 * 196 || many > 512 * 204)
		fail_msg("512 lines from memory with a spread of 10%%: %llu cycles, not about %u", (unsigned long long)many,
			 512 * 200);
	sim_config_defaults(&cfg);
	cfg.spread = 51;
	assert_int_equal(sim_config_check(&cfg, &err), -1);
}

/* --- lines in flight: the timed order on a hand-made trace --- */

/* Each core's records, lent whole. */
struct two_cores {
	const struct trace_record *rec[2];
	size_t n[2];
};

static ssize_t feed_two(void *ctx, unsigned core, const struct trace_record **records)
{
	struct two_cores *t = ctx;
	ssize_t n = (ssize_t)t->n[core];

	*records = t->rec[core];
	t->n[core] = 0;
	return n;
}

/* Core 0 writes the line at 0 (from memory, 200 cycles: it lands at 200)
 * and writes it again at 310; core 1 reads it at 300 (a transfer from core
 * 0, 60 cycles: it lands at 360) and writes it then (an upgrade, 10).
 * Core 0's second write comes while the line is on its way to core 1.
 * Replayed in the timed order under MESI with the default latencies
 * and HANDOVER (0: c2c's), the lines in flight or not: the log and
 * each core's cycles into CYCLES. SECOND: core 0's second access. */
static char *flight_replay(bool in_flight, unsigned handover, uint8_t second, uint64_t *cycles)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	const struct trace_record core0[] = { REC(0, TRACE_WRITE, 0), { .address = 0, .gap = 110, .thread = 0, .op = second, .size = 8 } };
	const struct trace_record core1[] = { { .address = 0, .gap = 300, .thread = 1, .op = TRACE_READ, .size = 8 },
					      REC(1, TRACE_WRITE, 0) };
	struct two_cores feed = { { core0, core1 }, { 2, 2 } };
	struct sim_config cfg;
	struct core_stats st;
	uint64_t done;
	char *log;
	size_t len;
	struct sim *s;

	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.order = SIM_ORDER_TIMED;
	cfg.in_flight = in_flight;
	cfg.latency.handover = handover;
	cfg.log = open_memstream(&log, &len);
	assert_non_null(cfg.log);
	s = sim_new(&cfg, p, 1);
	assert_int_equal(sim_run_timed(s, feed_two, &feed, &done), 0);
	assert_int_equal(done, 4);
	for (unsigned c = 0; c < 2; c++) {
		sim_core_stats(s, 0, c, &st);
		cycles[c] = st.cycles;
	}
	sim_free(s);
	assert_int_equal(fclose(cfg.log), 0);
	return log;
}

static void assert_in_log(const char *log, const char *line)
{
	if (!strstr(log, line))
		fail_msg("the log lacks '%s'; it is:\n%s", line, log);
}

/* Without the rule, core 0's write takes effect at 310: it invalidates
 * core 1's copy before core 1's write, which then takes the line back (a
 * transfer, after the bus frees at 370). With it, core 0's write waits
 * for the line to land at core 1 and for half a hand-over (the snoop's
 * way to core 1): core 1's write goes first, an upgrade, and core 0's
 * takes effect at 390 and gets the data in the other half (420). A given
 * hand-over of 40 halves into 20 and 20. */
static void test_in_flight_order(void **state)
{
	uint64_t cycles[2];
	char *log;

	(void)state;
	log = flight_replay(false, 0, TRACE_WRITE, cycles);
	assert_in_log(log, "t=310    P0 W 0x0: BusUpgr;");
	assert_in_log(log, "t=360    P1 W 0x0: BusRdX from P0;");
	assert_int_equal(cycles[1], 430);
	free(log);

	log = flight_replay(true, 0, TRACE_WRITE, cycles);
	assert_in_log(log, "t=360    P1 W 0x0: BusUpgr;");
	assert_in_log(log, "t=390    P0 W 0x0: waited for the line in flight; BusRdX from P1;");
	assert_int_equal(cycles[0], 420);
	assert_int_equal(cycles[1], 370);
	free(log);

	log = flight_replay(true, 40, TRACE_WRITE, cycles);
	assert_in_log(log, "t=380    P0 W 0x0: waited for the line in flight; BusRdX from P1;");
	assert_int_equal(cycles[0], 400);
	free(log);
}

/* A load of a line the core still holds (Shared, after core 1's read)
 * waits for nothing, in flight or not. */
static void test_in_flight_load_of_own_copy(void **state)
{
	uint64_t cycles[2];
	char *log = flight_replay(true, 0, TRACE_READ, cycles);

	(void)state;
	assert_in_log(log, "t=310    P0 R 0x0: hit;");
	free(log);
}

/* A write that takes a line shared elsewhere with its data from below
 * (MSI's BusRdX: an S copy cannot supply) waits for the other copy's
 * invalidation as an upgrade does: with a last level of 40 and a bus of
 * 100, core 1's read then write cost 40 + 100 under MSI (the data in 40,
 * the acknowledgement in 100), not 40 + 40; under MESI 60 (core 0's
 * clean copy supplies) + 100 (the upgrade). */
static void test_invalidation_waits(void **state)
{
	const struct protocol *p[2] = { protocol_find("msi"), protocol_find("mesi") };
	/* Core 1 starts once core 0's line has come from memory. */
	const struct trace_record rec[] = { REC(0, TRACE_READ, 0),
					    { .address = 0, .gap = 1000, .thread = 1, .op = TRACE_READ, .size = 8 },
					    REC(1, TRACE_WRITE, 0) };
	struct sim_config cfg;
	struct core_stats st;
	struct sim *s;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 2;
	cfg.llc = (struct cache_geometry){ 1 << 20, 16, 64 };
	cfg.latency.bus = 100;
	s = sim_new(&cfg, p, 2);
	for (size_t i = 0; i < sizeof(rec) / sizeof(rec[0]); i++)
		sim_access(s, &rec[i]);
	sim_core_stats(s, 0, 1, &st);
	assert_int_equal(st.cycles, 1000 + 40 + 100);
	sim_core_stats(s, 1, 1, &st);
	assert_int_equal(st.cycles, 1000 + 60 + 100);
	sim_free(s);
}

/* An atomic costs its access and --atomic's cycles: a CAS of a line held
 * Modified, 4 + 6. */
static void test_atomic_cost(void **state)
{
	const struct protocol *p[1] = { protocol_find("mesi") };
	const struct trace_record rec[] = { REC(0, TRACE_WRITE, 0), REC(0, TRACE_RMW, 0) };
	struct sim_config cfg;
	struct core_stats st;
	struct sim *s;

	(void)state;
	sim_config_defaults(&cfg);
	cfg.cores = 1;
	cfg.latency.atomic = 6;
	s = sim_new(&cfg, p, 1);
	sim_access(s, &rec[0]);
	sim_access(s, &rec[1]);
	sim_core_stats(s, 0, 0, &st);
	assert_int_equal(st.cycles, 200 + 4 + 6);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timed_order),
		cmocka_unit_test(test_timed_order_stops),
		cmocka_unit_test(test_synced_order),
		cmocka_unit_test(test_synced_without_sync_is_timed),
		cmocka_unit_test(test_shadow_lru),
		cmocka_unit_test(test_way_match),
		cmocka_unit_test(test_lost_lines),
		cmocka_unit_test(test_presence),
		cmocka_unit_test(test_store_buffer_false_sharing),
		cmocka_unit_test(test_store_buffer_forwards),
		cmocka_unit_test(test_store_buffer_join_invalidates),
		cmocka_unit_test(test_store_buffer_atomic_drains),
		cmocka_unit_test(test_store_buffer_full_stalls),
		cmocka_unit_test(test_fractional_latency),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_in_flight_order),
		cmocka_unit_test(test_in_flight_load_of_own_copy),
		cmocka_unit_test(test_invalidation_waits),
		cmocka_unit_test(test_atomic_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
