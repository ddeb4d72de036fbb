#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherence.h"
#include "verify.h"
#include "xalloc.h"

/* An abstract state packed in an integer: 3 bits of protocol state per
 * cache, then one "holds the latest value" bit per cache, then memory's. */
#define STATE_BITS 3

struct abstract {
	uint8_t state[VERIFY_MAX_CACHES];
	bool current[VERIFY_MAX_CACHES];
	bool memory_current;
};

static uint32_t pack(const struct abstract *a, unsigned n)
{
	uint32_t code = 0;

	for (unsigned c = 0; c < n; c++)
		code |= (uint32_t)a->state[c] << (STATE_BITS * c);
	for (unsigned c = 0; c < n; c++)
		code |= (uint32_t)a->current[c] << (STATE_BITS * n + c);
	return code | (uint32_t)a->memory_current << ((STATE_BITS + 1) * n);
}

static void unpack(uint32_t code, unsigned n, struct abstract *a)
{
	for (unsigned c = 0; c < n; c++) {
		a->state[c] = (code >> (STATE_BITS * c)) & 7;
		a->current[c] = (code >> (STATE_BITS * n + c)) & 1;
	}
	a->memory_current = (code >> ((STATE_BITS + 1) * n)) & 1;
}

static const char *const event_words[PROC_NEVENTS] = { "read", "write", "evict" };

/* Applies one operation; returns false (with WHY) when it breaks an invariant. */
static bool apply(const struct protocol *p, struct abstract *a, unsigned n, unsigned core,
		  enum proc_event ev, char *why, size_t len)
{
	struct coh_result r;
	bool before[VERIFY_MAX_CACHES], memory_before = a->memory_current;
	unsigned writable = 0, valid = 0, owners = 0;

	memcpy(before, a->current, sizeof(before));
	coherence_access(p, a->state, n, core, ev, &r);
	for (unsigned c = 0; c < n; c++)
		if (r.wrote_back_mask & (1ull << c))
			a->memory_current = before[c];
	if (r.writeback)
		a->memory_current = before[core];
	if (r.data)
		a->current[core] = r.supplier >= 0 ? before[r.supplier] : memory_before;
	if (ev == PROC_READ && !a->current[core]) {
		snprintf(why, len, "P%u read a stale value (%s, from %s)", core, p->state_names[a->state[core]],
			 r.data ? (r.supplier >= 0 ? "another cache" : "memory") : "its own copy");
		return false;
	}
	if (ev == PROC_WRITE) {
		for (unsigned c = 0; c < n; c++)
			a->current[c] = c == core || (r.updated_mask & (1ull << c));
		a->memory_current = false;
		if (!(p->state_flags[a->state[core]] & STATE_VALID)) {
			snprintf(why, len, "P%u wrote but holds no valid copy (%s)", core,
				 p->state_names[a->state[core]]);
			return false;
		}
	}
	for (unsigned c = 0; c < n; c++) {
		unsigned f = p->state_flags[a->state[c]];

		if (!(f & STATE_VALID))
			a->current[c] = false; /* an invalid copy holds nothing */
		writable += (f & STATE_WRITABLE) != 0;
		valid += (f & STATE_VALID) != 0;
		owners += (f & STATE_OWNER) != 0;
	}
	if (writable > 1 || (writable == 1 && valid > 1)) {
		snprintf(why, len, "a writable copy beside another copy (single writer violated)");
		return false;
	}
	if (owners > 1) {
		snprintf(why, len, "%u owners of one line", owners);
		return false;
	}
	return true;
}

static void describe_states(const struct protocol *p, const struct abstract *a, unsigned n,
			    char *buf, size_t len)
{
	size_t used = 0;

	for (unsigned c = 0; c < n; c++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", c ? " " : "",
					 p->state_names[a->state[c]]);
}

void verify_protocol(const struct protocol *p, unsigned n, struct verify_result *res)
{
	uint32_t space = 1u << ((STATE_BITS + 1) * n + 1);
	uint32_t *parent = xmalloc(space * sizeof(*parent));
	uint8_t *via = xmalloc(space);  /* the operation that first reached a state */
	uint32_t *queue = xmalloc(space * sizeof(*queue));
	uint32_t head = 0, tail = 0;
	struct abstract start = { .memory_current = true };

	memset(res, 0, sizeof(*res));
	res->ok = true;
	memset(parent, 0xff, space * sizeof(*parent));
	queue[tail++] = pack(&start, n);
	parent[queue[0]] = queue[0];
	res->states = 1;
	while (head < tail && res->ok) {
		uint32_t code = queue[head++];

		for (unsigned core = 0; core < n && res->ok; core++) {
			for (int ev = 0; ev < PROC_NEVENTS && res->ok; ev++) {
				struct abstract a;
				char why[128], states[64];
				uint32_t next;

				unpack(code, n, &a);
				if (ev == PROC_EVICT && !(p->state_flags[a.state[core]] & STATE_VALID))
					continue;
				res->transitions++;
				if (!apply(p, &a, n, core, (enum proc_event)ev, why, sizeof(why))) {
					describe_states(p, &a, n, states, sizeof(states));
					snprintf(res->violation, sizeof(res->violation), "%s; states then: %s",
						 why, states);
					res->ok = false;
					/* The path: back from CODE, then this operation. */
					for (uint32_t c = code; c != parent[c] && res->path_len < VERIFY_MAX_STEPS - 1;
					     c = parent[c])
						res->path[res->path_len++] =
							(struct verify_step){ (uint8_t)(via[c] >> 2), (uint8_t)(via[c] & 3) };
					for (unsigned i = 0; i < res->path_len / 2; i++) {
						struct verify_step t = res->path[i];

						res->path[i] = res->path[res->path_len - 1 - i];
						res->path[res->path_len - 1 - i] = t;
					}
					res->path[res->path_len++] = (struct verify_step){ (uint8_t)core, (uint8_t)ev };
					break;
				}
				next = pack(&a, n);
				if (parent[next] == UINT32_MAX) {
					parent[next] = code;
					via[next] = (uint8_t)(core << 2 | (unsigned)ev);
					queue[tail++] = next;
					res->states++;
				}
			}
		}
	}
	free(parent);
	free(via);
	free(queue);
}

void verify_format_path(const struct verify_result *r, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < r->path_len && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%sP%u %s", i ? ", " : "", r->path[i].core,
					 event_words[r->path[i].event]);
}
