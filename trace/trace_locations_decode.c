/* Reading a trace's code locations (see trace_locations.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "trace_locations.h"
#include "xalloc.h"

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int short_section(const char *name, uint64_t at, const char *what, struct ml_error *err)
{
	ml_error_set(err, "%s: byte %llu: code locations end inside %s", name, (unsigned long long)at, what);
	return -1;
}

static int by_address(const void *a, const void *b)
{
	const struct trace_block *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

/* The heap blocks after the modules, from *AT. */
static int decode_blocks(const unsigned char *in, size_t len, size_t *at, struct trace_locations *l,
			 const char *name, uint64_t base, struct ml_error *err)
{
	uint32_t n;

	if (len - *at < 8)
		return short_section(name, base + *at, "the heap's counts", err);
	n = (uint32_t)get_le(in + *at, 4);
	l->blocks_dropped = (uint32_t)get_le(in + *at + 4, 4);
	*at += 8;
	if ((len - *at) / TRACE_LOC_BLOCK_SIZE < n)
		return short_section(name, base + *at, "the heap blocks", err);
	l->blocks = xmalloc(((size_t)n + 1) * sizeof(*l->blocks));
	for (uint32_t i = 0; i < n; i++, *at += TRACE_LOC_BLOCK_SIZE) {
		struct trace_block *b = &l->blocks[i];

		b->address = get_le(in + *at, 8);
		b->size = get_le(in + *at + 8, 8);
		b->loc = (uint32_t)get_le(in + *at + 16, 4);
		b->thread = (uint16_t)get_le(in + *at + 20, 2);
		if (get_le(in + *at + 22, 2) >= TRACE_NBLOCK_KINDS) {
			ml_error_set(err, "%s: byte %llu: a block of unknown kind %u (0: heap, 1: stack, 2: a thread's hand-over)", name,
				     (unsigned long long)(base + *at + 22), (unsigned)get_le(in + *at + 22, 2));
			return -1;
		}
		b->kind = (uint8_t)get_le(in + *at + 22, 2);
		if (b->loc > l->npcs || b->size == 0 || b->address + b->size < b->address) {
			ml_error_set(err, "%s: byte %llu: a heap block of %llu bytes at 0x%llx from location %u (of %u)",
				     name, (unsigned long long)(base + *at), (unsigned long long)b->size,
				     (unsigned long long)b->address, b->loc, l->npcs);
			return -1;
		}
		l->nblocks = i + 1;
	}
	qsort(l->blocks, l->nblocks, sizeof(*l->blocks), by_address);
	return 0;
}

int trace_locations_decode(const unsigned char *in, size_t len, struct trace_locations *l, const char *name,
			   uint64_t base, struct ml_error *err)
{
	size_t at = 8;

	memset(l, 0, sizeof(*l));
	if (len < 8)
		return short_section(name, base, "their counts", err);
	l->npcs = (uint32_t)get_le(in, 4);
	l->nmodules = (uint32_t)get_le(in + 4, 4);
	if (l->npcs > TRACE_LOC_MAX_PCS || l->nmodules > TRACE_LOC_MAX_MODULES) {
		ml_error_set(err, "%s: byte %llu: %u code locations and %u modules (at most %u and %u)", name,
			     (unsigned long long)base, l->npcs, l->nmodules, TRACE_LOC_MAX_PCS, TRACE_LOC_MAX_MODULES);
		l->npcs = l->nmodules = 0;
		return -1;
	}
	if ((len - at) / 8 < l->npcs) {
		l->npcs = l->nmodules = 0;
		return short_section(name, base + at, "the program counters", err);
	}
	l->pcs = xmalloc(((size_t)l->npcs + 1) * sizeof(*l->pcs));
	for (uint32_t i = 0; i < l->npcs; i++, at += 8)
		l->pcs[i] = get_le(in + at, 8);
	l->modules = xcalloc((size_t)l->nmodules + 1, sizeof(*l->modules));
	for (uint32_t i = 0; i < l->nmodules; i++) {
		struct trace_module *m = &l->modules[i];
		size_t path_len, id_len, padded;

		if (len - at < 32) {
			l->nmodules = i;
			return short_section(name, base + at, "a module", err);
		}
		m->bias = get_le(in + at, 8);
		m->start = get_le(in + at + 8, 8);
		m->end = get_le(in + at + 16, 8);
		path_len = get_le(in + at + 24, 2);
		id_len = get_le(in + at + 26, 2);
		if (path_len > TRACE_LOC_MAX_PATH || id_len > TRACE_LOC_MAX_BUILD_ID || m->end < m->start) {
			ml_error_set(err, "%s: byte %llu: a module with a path of %zu bytes, a build id of %zu, "
				     "addresses 0x%llx to 0x%llx", name, (unsigned long long)(base + at), path_len,
				     id_len, (unsigned long long)m->start, (unsigned long long)m->end);
			l->nmodules = i;
			return -1;
		}
		at += 32;
		padded = (path_len + id_len + 7) / 8 * 8;
		if (len - at < padded) {
			l->nmodules = i;
			return short_section(name, base + at, "a module's path", err);
		}
		m->path = xmalloc(path_len + 1);
		memcpy(m->path, in + at, path_len);
		m->path[path_len] = '\0';
		for (size_t c = 0; c < path_len; c++)
			if ((unsigned char)m->path[c] < 0x20 || m->path[c] == 0x7f || m->path[c] == '\0') {
				ml_error_set(err, "%s: byte %llu: control character in a module's path", name,
					     (unsigned long long)(base + at + c));
				l->nmodules = i + 1;
				return -1;
			}
		memcpy(m->build_id, in + at + path_len, id_len);
		m->build_id_len = (unsigned)id_len;
		at += padded;
	}
	if (at < len && decode_blocks(in, len, &at, l, name, base, err) < 0)
		return -1;
	if (at != len) {
		ml_error_set(err, "%s: byte %llu: %zu bytes after the code locations", name,
			     (unsigned long long)(base + at), len - at);
		return -1;
	}
	return 0;
}

void trace_locations_free(struct trace_locations *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->nmodules; i++)
		free(l->modules[i].path);
	free(l->modules);
	free(l->pcs);
	free(l->blocks);
	memset(l, 0, sizeof(*l));
}

uint32_t trace_locations_blocks(const struct trace_locations *l, uint64_t address, const struct trace_block **first)
{
	size_t lo = 0, hi = l->nblocks, start;
	uint32_t n = 0;

	/* The blocks that start last at or below ADDRESS: a freed block's
	 * address taken again starts where it did. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->blocks[mid].address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	start = lo - 1;
	while (start > 0 && l->blocks[start - 1].address == l->blocks[lo - 1].address)
		start--;
	for (size_t i = start; i < lo; i++)
		n += address - l->blocks[i].address < l->blocks[i].size;
	*first = &l->blocks[start];
	return n ? (uint32_t)(lo - start) : 0;
}

const struct trace_module *trace_locations_module(const struct trace_locations *l, uint64_t address)
{
	for (uint32_t i = 0; i < l->nmodules; i++)
		if (address >= l->modules[i].start && address < l->modules[i].end)
			return &l->modules[i];
	return NULL;
}
