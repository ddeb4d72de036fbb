#include <config.h>

#include <elf.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc_alloc.h"
#include "locations.h"

static uint32_t slot_of(uintptr_t pc, uint32_t mask)
{
	/* Fibonacci hashing: neighbouring instructions spread. */
	return (uint32_t)(((uint64_t)pc * 0x9e3779b97f4a7c15u) >> 32) & mask;
}

static bool grow(struct rt_pcs *p)
{
	uint32_t mask = p->slots_mask ? 2 * p->slots_mask + 1 : 255;
	/* glibc's own: a table grows while the allocation calls it interposes note into it. */
	uint32_t *slot = __libc_calloc((size_t)mask + 1, sizeof(*slot));
	uintptr_t *pc = __libc_realloc(p->pc, ((size_t)mask + 1) / 2 * sizeof(*pc));

	if (!slot || !pc) {
		free(slot);
		if (pc)
			p->pc = pc;
		return false;
	}
	p->pc = pc;
	for (uint32_t i = 0; i < p->n; i++) {
		uint32_t s = slot_of(pc[i], mask);

		while (slot[s])
			s = (s + 1) & mask;
		slot[s] = i + 1;
	}
	free(p->slot);
	p->slot = slot;
	p->slots_mask = mask;
	return true;
}

uint32_t rt_pcs_add(struct rt_pcs *p, uintptr_t pc)
{
	uint32_t s;

	if (p->slot) {
		for (s = slot_of(pc, p->slots_mask); p->slot[s]; s = (s + 1) & p->slots_mask)
			if (p->pc[p->slot[s] - 1] == pc)
				return p->slot[s];
	}
	/* Half full at most, so that a probe stays short. */
	if (p->n >= TRACE_LOC_MAX_PCS || ((p->n + 1) * 2 > p->slots_mask + 1 && !grow(p)) || !p->slot)
		return 0;
	for (s = slot_of(pc, p->slots_mask); p->slot[s]; s = (s + 1) & p->slots_mask)
		;
	p->pc[p->n++] = pc;
	p->slot[s] = p->n;
	return p->n;
}

uint32_t rt_pcs_miss(struct rt_pcs *p, uintptr_t pc)
{
	struct rt_pcs_recent *r = &p->recent[pc % RT_PCS_RECENT];

	r->pc = pc;
	r->loc = pc ? rt_pcs_add(p, pc) : 0;
	return r->loc;
}

void rt_pcs_free(struct rt_pcs *p)
{
	free(p->pc);
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

bool rt_locations_join(struct rt_locations *l, struct rt_pcs *const *tables, const struct rt_heap **heaps,
		       unsigned threads)
{
	memset(l, 0, sizeof(*l));
	l->heaps = heaps;
	l->remap = calloc(threads ? threads : 1, sizeof(*l->remap));
	l->nremap = calloc(threads ? threads : 1, sizeof(*l->nremap));
	if (!l->remap || !l->nremap)
		return false;
	l->threads = threads;
	for (unsigned t = 0; t < threads; t++) {
		const struct rt_pcs *p = tables[t];

		if (!p || p->n == 0)
			continue;
		l->remap[t] = malloc(p->n * sizeof(**l->remap));
		if (!l->remap[t])
			return false;
		l->nremap[t] = p->n;
		for (uint32_t i = 0; i < p->n; i++)
			l->remap[t][i] = rt_pcs_add(&l->all, p->pc[i]);
	}
	return true;
}

void rt_locations_free(struct rt_locations *l)
{
	for (unsigned t = 0; l->remap && t < l->threads; t++)
		free(l->remap[t]);
	free(l->remap);
	free(l->nremap);
	free(l->heaps);
	rt_pcs_free(&l->all);
}

/* The load map: each loaded object's segments and build id, from the
 * dynamic linker's list (the same as /proc/self/maps has, with the
 * bias that turns the file's addresses into the process's), gathered
 * first so that the count written is the modules written. */
struct module {
	uintptr_t bias, lo, hi;
	char *path;
	unsigned char id[TRACE_LOC_MAX_BUILD_ID];
	unsigned id_len;
};

struct map_walk {
	struct module *m;
	uint32_t n, cap;
};

static unsigned build_id(const struct dl_phdr_info *info, unsigned char *id)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t name = (n->n_namesz + 3) & ~(size_t)3, desc = (n->n_descsz + 3) & ~(size_t)3;

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + sizeof(*n), "GNU", 4) == 0) {
				unsigned len = n->n_descsz < TRACE_LOC_MAX_BUILD_ID ? n->n_descsz : TRACE_LOC_MAX_BUILD_ID;

				memcpy(id, p + sizeof(*n) + name, len);
				return len;
			}
			p += sizeof(*n) + name + desc;
		}
	}
	return 0;
}

static int walk_module(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct map_walk *w = arg;
	struct module *m;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	char exe[PATH_MAX];
	const char *path = info->dlpi_name;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		lo = info->dlpi_addr + ph->p_vaddr < lo ? info->dlpi_addr + ph->p_vaddr : lo;
		hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi ? info->dlpi_addr + ph->p_vaddr + ph->p_memsz : hi;
	}
	if (lo >= hi || w->n == TRACE_LOC_MAX_MODULES)
		return 0;
	if (w->n == w->cap) {
		uint32_t cap = w->cap ? 2 * w->cap : 32;
		struct module *more = realloc(w->m, cap * sizeof(*more));

		if (!more)
			return 1;
		w->m = more;
		w->cap = cap;
	}
	if (!path || !path[0]) {
		/* The program itself has no name in the list. */
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[n > 0 ? n : 0] = '\0';
		path = exe;
	}
	m = &w->m[w->n];
	m->path = strdup(path);
	if (!m->path)
		return 1;
	m->bias = info->dlpi_addr;
	m->lo = lo;
	m->hi = hi;
	m->id_len = build_id(info, m->id);
	w->n++;
	return 0;
}

static void write_heap(const struct rt_locations *l, trace_loc_put put, void *ctx)
{
	uint64_t n = 0, dropped = 0;

	for (unsigned t = 0; t < l->threads; t++) {
		if (!l->heaps || !l->heaps[t])
			continue;
		n += l->heaps[t]->n + (l->heaps[t]->stack.size > 0) + (l->heaps[t]->handover.size > 0);
		dropped += l->heaps[t]->dropped;
	}
	trace_loc_put_blocks(put, ctx, (uint32_t)n, dropped > UINT32_MAX ? UINT32_MAX : (uint32_t)dropped);
	for (unsigned t = 0; l->heaps && t < l->threads; t++) {
		const struct rt_heap *h = l->heaps[t];

		for (size_t i = 0; h && i < h->n; i++)
			trace_loc_put_block(put, ctx, h->b[i].address, h->b[i].size, rt_locations_global(l, t, h->b[i].loc),
					    t, TRACE_BLOCK_HEAP);
		if (h && h->stack.size)
			trace_loc_put_block(put, ctx, h->stack.address, h->stack.size, 0, t, TRACE_BLOCK_STACK);
		if (h && h->handover.size)
			trace_loc_put_block(put, ctx, h->handover.address, h->handover.size, 0, t, TRACE_BLOCK_HANDOVER);
	}
}

void rt_locations_write(const struct rt_locations *l, trace_loc_put put, void *ctx)
{
	struct map_walk w = { 0 };

	dl_iterate_phdr(walk_module, &w);
	trace_loc_put_counts(put, ctx, l->all.n, w.n);
	for (uint32_t i = 0; i < l->all.n; i++)
		trace_loc_put_pc(put, ctx, l->all.pc[i]);
	for (uint32_t i = 0; i < w.n; i++) {
		trace_loc_put_module(put, ctx, w.m[i].bias, w.m[i].lo, w.m[i].hi, w.m[i].path, w.m[i].id,
				     w.m[i].id_len);
		free(w.m[i].path);
	}
	free(w.m);
	write_heap(l, put, ctx);
}
