/* Coherence-state costs: B (and C) leave lines in a state, A operates on
 * them. Compiled once per backend; see kernels.h. */
#include <config.h>

#include "kernels.h"
#include "timer.h"

static uint64_t *line_at(const struct states_args *a, size_t set, size_t index)
{
	return (uint64_t *)(a->lines + (set * a->nlines + index) * a->stride);
}

/* The pointer line ORDER[i] holds: the next line in the chain (no
 * division: this runs inside the timed loop). */
static uint64_t chain_next(const struct states_args *a, size_t set, size_t i)
{
	size_t k = i + 1 < a->nlines ? i + 1 : 0;

	return (uint64_t)(uintptr_t)line_at(a, set, a->order[k]);
}

/* Built by the driver, never traced: only a layout, like a freshly loaded
 * data structure. */
#if defined(ACCESS_BACKEND_NATIVE)
const char *const line_state_names[LINE_NSTATES] = { "M", "E", "S", "I", "SA" };
const char *const line_op_names[LINE_NOPS] = { "load", "store", "cas", "faa", "swap" };

void states_chain(const struct states_args *a, size_t set)
{
	for (size_t i = 0; i < a->nlines; i++)
		*line_at(a, set, a->order[i]) = chain_next(a, set, i);
}
#endif

/* Waits until PHASE reaches VALUE; false when the wait was given up. */
static bool wait_phase(access_ctx *ctx, uint64_t *phase, uint64_t value)
{
	while (access_load_acquire_u64(ctx, phase) != value)
		if (!access_wait(ctx, 0))
			return false;
	return true;
}

static void flush_lines(access_ctx *ctx, const struct states_args *a, size_t set)
{
	for (size_t i = 0; i < a->nlines; i++)
		access_flush(ctx, line_at(a, set, i));
	access_fence(ctx);
}

static void read_lines(access_ctx *ctx, const struct states_args *a, size_t set)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < a->nlines; i++)
		sum += access_load_u64(ctx, line_at(a, set, i));
	ML_OPAQUE(sum);
}

/* B's part of a round: the lines end Modified in B, or (after a flush)
 * Exclusive in B, Shared by B and C (or by B and then A), or in memory
 * only. */
static void prepare(access_ctx *ctx, const struct states_args *a, size_t set, enum line_state state)
{
	if (state == LINE_MODIFIED) {
		for (size_t i = 0; i < a->nlines; i++) {
			uint64_t *p = line_at(a, set, i);

			access_store_u64(ctx, p, access_load_u64(ctx, p));
		}
		return;
	}
	flush_lines(ctx, a, set);
	if (state != LINE_INVALID)
		read_lines(ctx, a, set);
}

/* A's part: the operation on every line, in chain order. Each address
 * comes from the previous operation's result, so no access can start (or
 * have its line prefetched) before the one before it has completed: loads
 * and read-modify-writes return the next pointer, and a store, which
 * returns nothing, is fenced and its line read back. */
static uint64_t operate(access_ctx *ctx, const struct states_args *a, size_t set, enum line_op op)
{
	uint64_t *p = line_at(a, set, a->order[0]), zero = 0;

	ML_OPAQUE(zero);
	for (size_t i = 0; i < a->nlines; i++) {
		uint64_t next = 0;

		switch (op) {
		case LINE_LOAD:
			next = access_load_u64(ctx, p);
			break;
		case LINE_STORE:
			access_store_u64(ctx, p, chain_next(a, set, i));
			access_fence(ctx);
			next = access_load_u64(ctx, p);
			break;
		case LINE_CAS:
			next = access_cas_value_u64(ctx, p, chain_next(a, set, i), chain_next(a, set, i));
			break;
		case LINE_FAA:
			next = access_fetch_add_u64(ctx, p, zero);
			break;
		case LINE_SWAP:
			next = access_swap_u64(ctx, p, chain_next(a, set, i));
			break;
		case LINE_NOPS:
			break;
		}
		p = (uint64_t *)(uintptr_t)next;
	}
	return (uint64_t)(uintptr_t)p;
}

void KERNEL(states)(access_ctx *ctx, const struct states_args *a)
{
	size_t rounds = a->nsteps * a->rounds_per_step;

	for (size_t r = 0; r < rounds; r++) {
		const struct states_step *s = &a->steps[r % a->nsteps];
		size_t set = a->fresh ? r : 0;
		bool shared = s->state == LINE_SHARED;

		if (a->role == 1) {
			if (!wait_phase(ctx, a->phase, 3 * r))
				return;
			prepare(ctx, a, set, s->state);
			access_store_release_u64(ctx, a->phase, 3 * r + (shared ? 1 : 2));
		} else if (a->role == 2 && shared) {
			if (!wait_phase(ctx, a->phase, 3 * r + 1))
				return;
			read_lines(ctx, a, set);
			access_store_release_u64(ctx, a->phase, 3 * r + 2);
		} else if (a->role == 0) {
			uint64_t t0, end;

			if (!wait_phase(ctx, a->phase, 3 * r + 2))
				return;
			/* A's own copies beside B's, untimed. */
			if (s->state == LINE_SHARED_WITH_A)
				read_lines(ctx, a, set);
			t0 = timer_now_ns();
			end = operate(ctx, a, set, s->op);
			a->elapsed_ns[r] = timer_now_ns() - t0;
			ML_OPAQUE(end);
			access_store_release_u64(ctx, a->phase, 3 * (r + 1));
		}
	}
}
