#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "stress.h"
#include "xalloc.h"

/* Data versions: the latest write of each line, memory's, each copy's. */
struct tracker {
	const struct protocol *p;
	unsigned cores, lines;
	uint64_t *latest, *memory, *copy; /* copy[line * cores + core] */
	uint64_t step;
	bool failed;
	char *violation;
	size_t len;
};

static void fail(struct tracker *t, const char *fmt, unsigned core, uint64_t line)
{
	if (t->failed)
		return;
	t->failed = true;
	snprintf(t->violation, t->len, fmt, t->step, core, line);
}

static void follow(void *ctx, const struct sim_event *e)
{
	struct tracker *t = ctx;
	uint64_t *copy = &t->copy[e->line * t->cores];

	if (e->kind == SIM_EV_EVICT) {
		if (e->writeback)
			t->memory[e->line] = copy[e->core];
		return;
	}
	for (unsigned c = 0; c < t->cores; c++)
		if (e->wrote_back_mask >> c & 1)
			t->memory[e->line] = copy[c];
	if (e->data)
		copy[e->core] = e->supplier >= 0 ? copy[e->supplier] : t->memory[e->line];
	if (e->op == PROC_READ && copy[e->core] != t->latest[e->line])
		fail(t, "step %" PRIu64 ": P%u read a stale value of line %" PRIu64, e->core, e->line);
	if (e->op == PROC_WRITE) {
		copy[e->core] = ++t->latest[e->line];
		for (unsigned c = 0; c < t->cores; c++)
			if (e->updated_mask >> c & 1)
				copy[c] = t->latest[e->line];
	}
}

static void check_line(struct tracker *t, const struct sim *s, unsigned core, uint64_t line)
{
	unsigned writable = 0, valid = 0, owners = 0;

	for (unsigned c = 0; c < t->cores; c++) {
		unsigned f = t->p->state_flags[sim_line_state(s, 0, c, line)];

		writable += (f & STATE_WRITABLE) != 0;
		valid += (f & STATE_VALID) != 0;
		owners += (f & STATE_OWNER) != 0;
	}
	if (writable > 1 || (writable == 1 && valid > 1))
		fail(t, "step %" PRIu64 ": after P%u's access, line %" PRIu64 " has a writable copy beside another",
		     core, line);
	if (owners > 1)
		fail(t, "step %" PRIu64 ": after P%u's access, line %" PRIu64 " has several owners", core, line);
}

void stress_protocol(const struct protocol *p, const struct sim_config *cfg, unsigned lines,
		     uint64_t steps, uint64_t seed, struct stress_result *r)
{
	struct sim *s = sim_new(cfg, &p, 1);
	struct tracker t = { .p = p, .cores = cfg->cores, .lines = lines, .violation = r->violation,
			     .len = sizeof(r->violation) };
	struct rng rng;

	memset(r, 0, sizeof(*r));
	t.latest = xcalloc(lines, sizeof(*t.latest));
	t.memory = xcalloc(lines, sizeof(*t.memory));
	t.copy = xcalloc((size_t)lines * cfg->cores, sizeof(*t.copy));
	sim_observe(s, follow, &t);
	rng_seed(&rng, seed);
	for (t.step = 0; t.step < steps && !t.failed; t.step++) {
		uint64_t x = rng_next(&rng);
		unsigned core = (unsigned)(x % cfg->cores), kind = (unsigned)(x >> 16) % 10;
		uint64_t line = (x >> 24) % lines;
		struct trace_record rec = {
			.address = (line * cfg->l1.line) + ((x >> 48) % (cfg->l1.line / 8)) * 8,
			.thread = (uint16_t)core,
			.op = kind < 5 ? TRACE_READ : kind < 9 ? TRACE_WRITE : TRACE_RMW,
			.size = 8,
		};

		sim_access(s, &rec);
		check_line(&t, s, core, sim_line_of(s, rec.address));
	}
	r->steps = t.step;
	r->ok = !t.failed;
	sim_free(s);
	free(t.latest);
	free(t.memory);
	free(t.copy);
}

bool stress_config(unsigned index, unsigned cores, struct sim_config *cfg, const char **name)
{
	static const struct {
		const char *name;
		struct cache_geometry l1, l2, llc;
	} configs[] = {
		{ "L1 of 4 lines", { 256, 2, 64 }, { 0, 0, 0 }, { 0, 0, 0 } },
		{ "L1 + L2 + inclusive LLC", { 256, 2, 64 }, { 512, 4, 64 }, { 1024, 4, 64 } },
	};

	if (index >= sizeof(configs) / sizeof(configs[0]))
		return false;
	sim_config_defaults(cfg);
	cfg->cores = cores;
	cfg->l1 = configs[index].l1;
	cfg->l2 = configs[index].l2;
	cfg->llc = configs[index].llc;
	*name = configs[index].name;
	return true;
}
