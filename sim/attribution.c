#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "xalloc.h"

/* An open-addressing index of entries kept in an array of the caller's:
 * slot -> entry number + 1 (0: empty), at most half full. */
struct index {
	uint32_t *slot;
	uint32_t mask;
};

static uint32_t slot_home(uint64_t hash, uint32_t mask)
{
	return (uint32_t)((hash * 0x9e3779b97f4a7c15u) >> 32) & mask;
}

struct last_access {
	uint64_t line;
	uint32_t loc;
	uint16_t core;
	int64_t addr_i; /* its address's entry, -1: none */
};

struct attribution {
	struct sim *s;
	unsigned nprotocols;
	uint32_t nlocs;
	unsigned line_shift;
	uint64_t line_mask;
	attr_loc_of loc_of;
	void *ctx;
	struct attr_counts *by_loc; /* [protocol * nlocs + loc] */
	/* Addresses: ADDR[i] with counts [i * nprotocols + protocol]. */
	uint64_t *addr;
	struct attr_counts *by_addr;
	size_t naddr, addr_cap;
	struct index addr_index;
	struct attr_touch *touch;
	size_t ntouch, touch_cap;
	struct index touch_index;
	/* Each core's last access to each line: whom an invalidation of the
	 * line in that core's cache takes the copy from. */
	struct last_access *last;
	size_t nlast, last_cap;
	struct index last_index;
	/* Each protocol's cores' invalidations received so far. */
	uint64_t (*received)[SIM_MAX_CORES];
	unsigned cores;
	bool truncated;
	/* The record being simulated, its gap, its core's counters before it
	 * and what its core waited before it outside any record's time (the
	 * synchronised order's wait for the synchronisation record before). */
	bool pending;
	unsigned core;
	uint32_t loc;
	int64_t addr_i; /* its address's entry, -1: none */
	uint64_t gap;
	struct core_stats before[SIM_MAX_PROTOCOLS];
	uint64_t waited[SIM_MAX_PROTOCOLS];
	/* Each protocol's cores' sync_wait as their last record began. */
	uint64_t (*wait_seen)[SIM_MAX_CORES];
};

static void index_init(struct index *x, uint32_t slots)
{
	x->slot = xcalloc(slots, sizeof(*x->slot));
	x->mask = slots - 1;
}

/* Rebuilds X twice as large from the N hashes HASH(i). */
static void index_grow(struct index *x, size_t n, uint64_t (*hash)(const void *, size_t), const void *entries)
{
	uint32_t slots = 2 * (x->mask + 1);

	free(x->slot);
	index_init(x, slots);
	for (size_t i = 0; i < n; i++) {
		uint32_t s = slot_home(hash(entries, i), x->mask);

		while (x->slot[s])
			s = (s + 1) & x->mask;
		x->slot[s] = (uint32_t)i + 1;
	}
}

static uint64_t addr_hash(const void *entries, size_t i)
{
	return ((const uint64_t *)entries)[i];
}

static uint64_t touch_key(uint64_t line, uint32_t loc, unsigned thread, bool write)
{
	return line * 0x100000001b3u ^ ((uint64_t)loc << 17) ^ ((uint64_t)thread << 1) ^ write;
}

static uint64_t touch_hash(const void *entries, size_t i)
{
	const struct attr_touch *t = &((const struct attr_touch *)entries)[i];

	return touch_key(t->line, t->loc, t->thread, t->write);
}

static uint64_t last_key(uint64_t line, unsigned core)
{
	return line * 0x100000001b3u ^ core;
}

static uint64_t last_hash(const void *entries, size_t i)
{
	const struct last_access *l = &((const struct last_access *)entries)[i];

	return last_key(l->line, l->core);
}

/* CORE's last access to LINE, added when new; NULL when the table is full. */
static struct last_access *last_access(struct attribution *a, uint64_t line, unsigned core, bool add)
{
	uint32_t s = slot_home(last_key(line, core), a->last_index.mask);

	for (; a->last_index.slot[s]; s = (s + 1) & a->last_index.mask) {
		struct last_access *l = &a->last[a->last_index.slot[s] - 1];

		if (l->line == line && l->core == core)
			return l;
	}
	if (!add)
		return NULL;
	if (a->nlast == ATTR_MAX_TOUCHES) {
		a->truncated = true;
		return NULL;
	}
	if (a->nlast == a->last_cap) {
		a->last_cap *= 2;
		a->last = xrealloc(a->last, a->last_cap, sizeof(*a->last));
	}
	a->last[a->nlast] = (struct last_access){ .line = line, .core = (uint16_t)core, .addr_i = -1 };
	a->nlast++;
	if (2 * a->nlast > a->last_index.mask + 1)
		index_grow(&a->last_index, a->nlast, last_hash, a->last);
	else
		a->last_index.slot[s] = (uint32_t)a->nlast;
	return &a->last[a->nlast - 1];
}

/* The entry of ADDRESS, added when new; -1 when the table is full. */
static int64_t address_entry(struct attribution *a, uint64_t address)
{
	uint32_t s = slot_home(address, a->addr_index.mask);

	for (; a->addr_index.slot[s]; s = (s + 1) & a->addr_index.mask)
		if (a->addr[a->addr_index.slot[s] - 1] == address)
			return a->addr_index.slot[s] - 1;
	if (a->naddr == ATTR_MAX_ADDRESSES) {
		a->truncated = true;
		return -1;
	}
	if (a->naddr == a->addr_cap) {
		a->addr_cap *= 2;
		a->addr = xrealloc(a->addr, a->addr_cap, sizeof(*a->addr));
		a->by_addr = xrealloc(a->by_addr, a->addr_cap * a->nprotocols, sizeof(*a->by_addr));
	}
	a->addr[a->naddr] = address;
	memset(&a->by_addr[a->naddr * a->nprotocols], 0, a->nprotocols * sizeof(*a->by_addr));
	a->naddr++;
	if (2 * a->naddr > a->addr_index.mask + 1)
		index_grow(&a->addr_index, a->naddr, addr_hash, a->addr);
	else
		a->addr_index.slot[s] = (uint32_t)a->naddr;
	return (int64_t)a->naddr - 1;
}

static void mark_bytes(struct attr_touch *t, unsigned first, unsigned last)
{
	for (unsigned b = first; b <= last; b++)
		t->bytes[b / 64] |= UINT64_C(1) << (b % 64);
}

static void touch(struct attribution *a, uint64_t line, uint32_t loc, unsigned thread, bool write,
		  unsigned first, unsigned last)
{
	uint64_t key = touch_key(line, loc, thread, write);
	uint32_t s = slot_home(key, a->touch_index.mask);
	struct attr_touch *t;

	for (; a->touch_index.slot[s]; s = (s + 1) & a->touch_index.mask) {
		t = &a->touch[a->touch_index.slot[s] - 1];
		if (t->line == line && t->loc == loc && t->thread == thread && t->write == write) {
			t->first = first < t->first ? (uint16_t)first : t->first;
			t->last = last > t->last ? (uint16_t)last : t->last;
			mark_bytes(t, first, last);
			t->count++;
			return;
		}
	}
	if (a->ntouch == ATTR_MAX_TOUCHES) {
		a->truncated = true;
		return;
	}
	if (a->ntouch == a->touch_cap) {
		a->touch_cap *= 2;
		a->touch = xrealloc(a->touch, a->touch_cap, sizeof(*a->touch));
	}
	t = &a->touch[a->ntouch];
	*t = (struct attr_touch){ .line = line, .loc = loc, .thread = (uint16_t)thread, .write = write,
				  .first = (uint16_t)first, .last = (uint16_t)last, .count = 1 };
	mark_bytes(t, first, last);
	a->ntouch++;
	if (2 * a->ntouch > a->touch_index.mask + 1)
		index_grow(&a->touch_index, a->ntouch, touch_hash, a->touch);
	else
		a->touch_index.slot[s] = (uint32_t)a->ntouch;
}

void attr_counts_add(struct attr_counts *to, const struct attr_counts *from)
{
	to->accesses += from->accesses;
	to->misses += from->misses;
	for (int c = 0; c < SIM_NCAUSES; c++)
		to->cause[c] += from->cause[c];
	to->invalidations += from->invalidations;
	to->invalidations_received += from->invalidations_received;
	to->c2c += from->c2c;
	to->updates += from->updates;
	to->updates_received += from->updates_received;
	to->cycles += from->cycles;
	for (int c = 0; c < SIM_NCAUSES; c++)
		to->cause_cycles[c] += from->cause_cycles[c];
	to->update_cycles += from->update_cycles;
}

/* The cycles of the pending record under protocol P, its counters now
 * NOW: what its core's time gained, less its gap and less the wait of
 * the next record of the same core (added before that record is shown),
 * plus its own wait. */
static uint64_t record_cycles(const struct attribution *a, unsigned p, const struct core_stats *now)
{
	const struct core_stats *was = &a->before[p];
	int64_t own = (int64_t)(now->cycles - was->cycles) - (int64_t)(now->sync_wait - was->sync_wait) -
		      (int64_t)a->gap;

	return (own > 0 ? (uint64_t)own : 0) + a->waited[p];
}

/* D's cycles to the causes of its misses, in proportion (the rest of the
 * division to the last cause). */
static void cycles_by_cause(struct attr_counts *d)
{
	uint64_t left = d->cycles;
	int last = -1;

	if (!d->misses)
		return;
	for (int c = 0; c < SIM_NCAUSES; c++) {
		if (!d->cause[c])
			continue;
		d->cause_cycles[c] = d->cycles * d->cause[c] / d->misses;
		left -= d->cause_cycles[c];
		last = c;
	}
	if (last >= 0)
		d->cause_cycles[last] += left;
}

/* The pending record's share: what its core's counters gained. */
static void settle(struct attribution *a)
{
	if (!a->pending)
		return;
	for (unsigned p = 0; p < a->nprotocols; p++) {
		struct core_stats now;
		const struct core_stats *was = &a->before[p];
		struct attr_counts d = { 0 };

		sim_core_stats(a->s, p, a->core, &now);
		d.accesses = 1;
		d.misses = now.misses - was->misses;
		for (int c = 0; c < SIM_NCAUSES; c++)
			d.cause[c] = now.cause[c] - was->cause[c];
		d.invalidations = now.invalidations_sent - was->invalidations_sent;
		d.c2c = now.c2c_transfers - was->c2c_transfers;
		d.updates = now.updates_sent - was->updates_sent;
		d.cycles = record_cycles(a, p, &now);
		cycles_by_cause(&d);
		if (d.updates && !d.misses)
			d.update_cycles = d.cycles;
		attr_counts_add(&a->by_loc[(size_t)p * a->nlocs + a->loc], &d);
		if (a->addr_i >= 0)
			attr_counts_add(&a->by_addr[(size_t)a->addr_i * a->nprotocols + p], &d);
	}
	a->pending = false;
}

static void watch(void *ctx, const struct trace_record *rec)
{
	struct attribution *a = ctx;
	unsigned op = trace_op_of(rec);
	uint64_t end = rec->address + rec->size - 1;

	settle(a);
	a->core = rec->thread;
	a->gap = rec->gap;
	for (unsigned p = 0; p < a->nprotocols; p++) {
		sim_core_stats(a->s, p, a->core, &a->before[p]);
		a->waited[p] = a->before[p].sync_wait - a->wait_seen[p][a->core];
		a->wait_seen[p][a->core] = a->before[p].sync_wait;
	}
	a->pending = true;
	if (!a->loc_of) {
		a->loc = 0;
		a->addr_i = -1;
		return;
	}
	a->loc = a->loc_of(a->ctx, rec);
	if (a->loc >= a->nlocs)
		a->loc = 0;
	a->addr_i = address_entry(a, rec->address);
	if (op == TRACE_IFETCH)
		return;
	/* Each line the record covers, with its part of it. */
	for (uint64_t line = rec->address >> a->line_shift; line <= end >> a->line_shift; line++) {
		uint64_t base = line << a->line_shift, lo = rec->address > base ? rec->address : base;
		uint64_t hi = end < base + a->line_mask ? end : base + a->line_mask;
		struct last_access *l = last_access(a, line, rec->thread, true);

		touch(a, line, a->loc, rec->thread, op != TRACE_READ, (unsigned)(lo - base), (unsigned)(hi - base));
		if (l) {
			l->loc = a->loc;
			l->addr_i = a->addr_i;
		}
	}
}

/* A transaction of E's core on E's line: the copies it invalidated in
 * other cores' caches (their invalidations received grew) and those it
 * updated, each to the victim's last access to the line. */
static void observe(void *ctx, const struct sim_event *e)
{
	struct attribution *a = ctx;

	if (e->kind != SIM_EV_ACCESS || !e->bus)
		return;
	for (unsigned c = 0; c < a->cores; c++) {
		struct core_stats st;
		const struct last_access *l;
		struct attr_counts got = { 0 };

		if (c == e->core)
			continue;
		sim_core_stats(a->s, e->protocol, c, &st);
		got.invalidations_received = st.invalidations_received - a->received[e->protocol][c];
		a->received[e->protocol][c] = st.invalidations_received;
		got.updates_received = e->updated_mask >> c & 1;
		if (!got.invalidations_received && !got.updates_received)
			continue;
		l = last_access(a, e->line, c, false);
		attr_counts_add(&a->by_loc[(size_t)e->protocol * a->nlocs + (l ? l->loc : 0)], &got);
		if (l && l->addr_i >= 0)
			attr_counts_add(&a->by_addr[(size_t)l->addr_i * a->nprotocols + e->protocol], &got);
	}
}

struct attribution *attribution_new(struct sim *s, unsigned line_size, uint32_t nlocs, attr_loc_of loc_of,
				    void *ctx)
{
	struct attribution *a = xcalloc(1, sizeof(*a));

	a->s = s;
	a->nprotocols = sim_protocols(s);
	a->nlocs = nlocs ? nlocs : 1;
	a->loc_of = loc_of;
	a->ctx = ctx;
	while ((1u << a->line_shift) < line_size)
		a->line_shift++;
	a->line_mask = ((uint64_t)1 << a->line_shift) - 1;
	a->by_loc = xcalloc((size_t)a->nprotocols * a->nlocs, sizeof(*a->by_loc));
	a->addr_cap = 1024;
	a->addr = xmalloc(a->addr_cap * sizeof(*a->addr));
	a->by_addr = xmalloc(a->addr_cap * a->nprotocols * sizeof(*a->by_addr));
	index_init(&a->addr_index, 2048);
	a->touch_cap = 1024;
	a->touch = xmalloc(a->touch_cap * sizeof(*a->touch));
	index_init(&a->touch_index, 2048);
	a->last_cap = 1024;
	a->last = xmalloc(a->last_cap * sizeof(*a->last));
	index_init(&a->last_index, 2048);
	a->cores = sim_cores(s);
	a->received = xcalloc(a->nprotocols, sizeof(*a->received));
	a->wait_seen = xcalloc(a->nprotocols, sizeof(*a->wait_seen));
	sim_watch_records(s, watch, a);
	if (loc_of)
		sim_observe(s, observe, a);
	return a;
}

struct attribution *attribution_new_totals(struct sim *s)
{
	return attribution_new(s, 64, 1, NULL, NULL);
}

void attribution_finish(struct attribution *a)
{
	settle(a);
	sim_watch_records(a->s, NULL, NULL);
	sim_observe(a->s, NULL, NULL);
}

void attribution_free(struct attribution *a)
{
	if (!a)
		return;
	free(a->by_loc);
	free(a->addr);
	free(a->by_addr);
	free(a->addr_index.slot);
	free(a->touch);
	free(a->touch_index.slot);
	free(a->last);
	free(a->last_index.slot);
	free(a->received);
	free(a->wait_seen);
	free(a);
}

const struct attr_counts *attribution_of_loc(const struct attribution *a, unsigned protocol, uint32_t loc)
{
	return &a->by_loc[(size_t)protocol * a->nlocs + (loc < a->nlocs ? loc : 0)];
}

size_t attribution_addresses(const struct attribution *a)
{
	return a->naddr;
}

uint64_t attribution_address(const struct attribution *a, size_t i)
{
	return a->addr[i];
}

const struct attr_counts *attribution_of_address(const struct attribution *a, unsigned protocol, size_t i)
{
	return &a->by_addr[i * a->nprotocols + protocol];
}

size_t attribution_touches(const struct attribution *a, const struct attr_touch **touches)
{
	*touches = a->touch;
	return a->ntouch;
}

bool attribution_truncated(const struct attribution *a)
{
	return a->truncated;
}

void attribution_total(const struct attribution *a, unsigned protocol, struct attr_counts *total)
{
	memset(total, 0, sizeof(*total));
	for (uint32_t loc = 0; loc < a->nlocs; loc++)
		attr_counts_add(total, &a->by_loc[(size_t)protocol * a->nlocs + loc]);
}

int attr_touch_compare(const void *a, const void *b)
{
	const struct attr_touch *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->write != y->write)
		return x->write ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}
