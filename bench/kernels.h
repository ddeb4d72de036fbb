/* The benchmark kernels, each compiled for both access backends. */
#ifndef MESILAB_KERNELS_H
#define MESILAB_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access.h"

/* Pointer chasing: STEPS dependent loads, each reading the address of the
 * next node. Returns the node it stopped at. */
struct chase_args {
	const uint64_t *start;
	uint64_t steps;
};
const uint64_t *chase_native(struct access_native *ctx, const struct chase_args *a);
const uint64_t *chase_logged(struct access_logged *ctx, const struct chase_args *a);

/* One thread working on its own counter ITERATIONS times, with WORK
 * cycles of other work after each step: a plain increment (a load and a
 * store), an atomic fetch-and-add, or only a load (a reader). The counter
 * is 4 or 8 bytes wide. */
enum counter_op { COUNTER_INCREMENT, COUNTER_ATOMIC, COUNTER_READ };
struct counter_args {
	void *counter;
	unsigned width; /* 4 or 8 */
	uint64_t iterations;
	enum counter_op op;
	uint32_t work;
};
uint64_t counter_native(struct access_native *ctx, const struct counter_args *a);
uint64_t counter_logged(struct access_logged *ctx, const struct counter_args *a);

/* One side of a ping-pong on one line: ROUNDS times, wait until FLAG holds
 * this side's turn (2i for side 0, 2i+1 for side 1), then hand the turn
 * over (a plain store, or a compare-and-swap that is also the wait). Each
 * failed look at the line, and each hand-over, is followed by RELAX
 * spin-wait hints and a back-off of BACKOFF_CYCLES dependent adds (a wait
 * whose length does not depend on what a hint costs). */
struct pingpong_args {
	uint64_t *flag;
	uint64_t rounds;
	unsigned side; /* 0 or 1 */
	bool cas;
	unsigned relax;
	uint32_t backoff_cycles;
};
void pingpong_native(struct access_native *ctx, const struct pingpong_args *a);
void pingpong_logged(struct access_logged *ctx, const struct pingpong_args *a);

/* Many threads on one line. FAA: atomic fetch-and-add on COUNTER; TAS: a
 * test-and-set lock (compare-and-swap 0 to 1, spinning on loads) around an
 * increment of COUNTER; TICKET: a ticket lock (NEXT, SERVING) around the
 * same; RING: side 0 produces ITERATIONS values into a single-producer,
 * single-consumer ring, side 1 consumes them (HEAD and TAIL are where the
 * indexes live: on one line or on two). */
enum contention_kind { CONTEND_FAA, CONTEND_TAS, CONTEND_TICKET, CONTEND_RING, CONTEND_NKINDS };
#define RING_SLOTS 64
struct contention_args {
	enum contention_kind kind;
	uint64_t iterations;
	unsigned side;
	uint64_t *counter, *lock, *next, *serving;
	uint64_t *head, *tail, *slots;
	unsigned relax; /* spin-wait hints after each look that finds it must wait */
};
/* Returns the sum of the values consumed (RING), else 0. */
uint64_t contention_native(struct access_native *ctx, const struct contention_args *a);
uint64_t contention_logged(struct access_logged *ctx, const struct contention_args *a);

/* Coherence-state costs, in rounds. In each round B (and C, for Shared)
 * leaves a set of lines in one state, then A times one operation on every
 * line of the set. The lines are NLINES lines STRIDE bytes apart; ORDER
 * is a random cyclic order of them, and each line's first word points to
 * the line after it in that order, so loads form a dependent chain and
 * every operation leaves the chain as it found it. PHASE (a line of its
 * own) sequences the roles. With FRESH, round r uses the r-th set of lines
 * of the region instead of flushing and reusing the first (how a trace
 * stands for a flush, which it cannot record). */
/* SHARED_WITH_A: B's copy and A's own, both Shared (A read the lines
 * after B): A's store is an upgrade, a transaction that moves no data. */
enum line_state { LINE_MODIFIED, LINE_EXCLUSIVE, LINE_SHARED, LINE_INVALID, LINE_SHARED_WITH_A, LINE_NSTATES };
enum line_op { LINE_LOAD, LINE_STORE, LINE_CAS, LINE_FAA, LINE_SWAP, LINE_NOPS };
extern const char *const line_state_names[LINE_NSTATES]; /* "M", "E", "S", "I", "SA" */
extern const char *const line_op_names[LINE_NOPS];       /* "load", "store", ... */
struct states_step {
	enum line_state state;
	enum line_op op;
};
struct states_args {
	unsigned role; /* 0: A, who measures; 1: B, who prepares; 2: C, who shares */
	const struct states_step *steps;
	size_t nsteps;
	unsigned rounds_per_step; /* round r runs step r % nsteps */
	unsigned char *lines;
	size_t nlines, stride;
	const uint32_t *order;
	bool fresh;
	uint64_t *phase;
	uint64_t *elapsed_ns; /* A: one per round */
};
/* Whether operation OP on lines in STATE measures a coherence cost: a
 * load of a line A shares is a hit in its own cache, nothing else. */
static inline bool states_step_measures(enum line_state state, enum line_op op)
{
	return !(state == LINE_SHARED_WITH_A && op == LINE_LOAD);
}
/* Lays out the chain of set SET (only set 0 unless FRESH). */
void states_chain(const struct states_args *a, size_t set);
void states_native(struct access_native *ctx, const struct states_args *a);
void states_logged(struct access_logged *ctx, const struct states_args *a);

/* PASSES passes of an operation over a buffer of BYTES (a multiple of 128,
 * 64-byte aligned); a copy reads the first half and writes the second. */
enum bandwidth_op { BW_READ, BW_WRITE, BW_COPY, BW_STREAM, BW_NOPS };
extern const char *const bandwidth_op_names[BW_NOPS]; /* "read", "write", "copy", "stream" */
struct bandwidth_args {
	unsigned char *buffer;
	size_t bytes;
	uint64_t passes;
	enum bandwidth_op op;
};
/* Returns a checksum of what was read, so no read can be optimised away. */
uint64_t bandwidth_native(struct access_native *ctx, const struct bandwidth_args *a);
uint64_t bandwidth_logged(struct access_logged *ctx, const struct bandwidth_args *a);

/* ACCESSES 8-byte accesses: HOT_PERMILLE of them to random words of the
 * thread's own hot region, the others to random words of a cold region
 * all threads share; WRITE_PERMILLE of them stores. */
struct mix_args {
	uint64_t *hot, *cold;
	uint64_t hot_words, cold_words;
	uint64_t accesses, seed;
	unsigned hot_permille, write_permille;
};
void mix_native(struct access_native *ctx, const struct mix_args *a);
void mix_logged(struct access_logged *ctx, const struct mix_args *a);

#endif
