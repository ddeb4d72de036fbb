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
	memset(l, 0, sizeof(*l));
}

const struct trace_module *trace_locations_module(const struct trace_locations *l, uint64_t address)
{
	for (uint32_t i = 0; i < l->nmodules; i++)
		if (address >= l->modules[i].start && address < l->modules[i].end)
			return &l->modules[i];
	return NULL;
}
