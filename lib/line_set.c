#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "compiler.h"
#include "line_set.h"
#include "xalloc.h"

#define HLL_BITS 14
#define HLL_REGISTERS (1u << HLL_BITS)
#define EMPTY UINT64_MAX /* line numbers are addresses / line size: never all ones */

struct line_set {
	uint64_t *slots; /* open addressing, NULL once over the limit */
	uint64_t capacity, used, limit;
	uint8_t hll[HLL_REGISTERS];
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53u;
	return x ^ (x >> 33);
}

static uint64_t *new_slots(uint64_t capacity)
{
	uint64_t *slots = xmalloc(capacity * sizeof(*slots));

	for (uint64_t i = 0; i < capacity; i++)
		slots[i] = EMPTY;
	return slots;
}

struct line_set *line_set_new(uint64_t exact_limit)
{
	struct line_set *s = xcalloc(1, sizeof(*s));

	s->limit = exact_limit;
	s->capacity = 1024;
	s->slots = new_slots(s->capacity);
	return s;
}

void line_set_free(struct line_set *s)
{
	if (s)
		free(s->slots);
	free(s);
}

static void insert(uint64_t *slots, uint64_t capacity, uint64_t line, uint64_t *used)
{
	for (uint64_t i = mix(line) & (capacity - 1);; i = (i + 1) & (capacity - 1)) {
		if (slots[i] == line)
			return;
		if (slots[i] == EMPTY) {
			slots[i] = line;
			(*used)++;
			return;
		}
	}
}

void line_set_add(struct line_set *s, uint64_t line)
{
	uint64_t h = mix(line ^ 0x5bd1e995u);
	unsigned reg = (unsigned)(h >> (64 - HLL_BITS));
	uint64_t rest = h << HLL_BITS;
	uint8_t rank = (uint8_t)(rest ? ML_CLZ64(rest) + 1 : 64 - HLL_BITS + 1);

	if (rank > s->hll[reg])
		s->hll[reg] = rank;
	if (!s->slots)
		return;
	if (2 * (s->used + 1) > s->capacity) {
		uint64_t *old = s->slots, old_capacity = s->capacity;

		if (s->used >= s->limit) {
			free(s->slots); /* from now on, the estimate */
			s->slots = NULL;
			return;
		}
		s->capacity *= 2;
		s->slots = new_slots(s->capacity);
		s->used = 0;
		for (uint64_t i = 0; i < old_capacity; i++)
			if (old[i] != EMPTY)
				insert(s->slots, s->capacity, old[i], &s->used);
		free(old);
	}
	insert(s->slots, s->capacity, line, &s->used);
}

bool line_set_exact(const struct line_set *s)
{
	return s->slots != NULL;
}

uint64_t line_set_count(const struct line_set *s)
{
	double sum = 0, m = HLL_REGISTERS, estimate;
	unsigned zeros = 0;

	if (s->slots)
		return s->used;
	for (unsigned i = 0; i < HLL_REGISTERS; i++) {
		sum += ldexp(1.0, -s->hll[i]);
		zeros += s->hll[i] == 0;
	}
	estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (estimate <= 2.5 * m && zeros) /* small ranges: linear counting */
		estimate = m * log(m / zeros);
	return (uint64_t)(estimate + 0.5);
}
