#include <config.h>

#include <dlfcn.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "explain_names.h"
#include "xalloc.h"

void explain_code_name(const struct trace_code *c, char *buf, size_t len)
{
	if (c->file[0] && c->line && c->inlined[0])
		snprintf(buf, len, "%s:%u (inlined %s)", c->file, c->line, c->inlined);
	else if (c->file[0] && c->line)
		snprintf(buf, len, "%s:%u", c->file, c->line);
	else if (c->function[0] && c->module[0]) /* no debug information: the instruction, for objdump */
		snprintf(buf, len, "%s (%s+0x%" PRIx64 ")", c->function, c->module, c->offset);
	else if (c->function[0])
		snprintf(buf, len, "%s", c->function);
	else if (c->module[0])
		snprintf(buf, len, "%s+0x%" PRIx64, c->module, c->offset);
	else
		snprintf(buf, len, "0x%" PRIx64, c->offset);
}

typedef char *(*demangler)(const char *mangled, char *buf, size_t *len, int *status);

/* The C++ runtime's demangler, looked up once: a C program need not link
 * the C++ runtime, and a machine without it keeps the names mangled. */
static demangler cxa_demangle(void)
{
	static bool looked;
	static demangler found;

	if (!looked) {
		void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);

		looked = true;
		if (lib)
			*(void **)&found = dlsym(lib, "__cxa_demangle"); /* POSIX's way to a function pointer */
	}
	return found;
}

/* NAME (LEN bytes) demangled in place when it is a C++ name ("_ZL4worki"
 * -> "work(int)"), cut to LEN. */
static void demangle(char *name, size_t len)
{
	demangler f;
	char *plain;
	int status = -1;

	if (strncmp(name, "_Z", 2) != 0 || !(f = cxa_demangle()))
		return;
	plain = f(name, NULL, NULL, &status);
	if (plain && status == 0)
		snprintf(name, len, "%s", plain);
	free(plain);
}

#define NAME_SHOWN 160 /* a function's or a type's name shown, at most, its end cut to "..." */

/* NAME (at least NAME_SHOWN + 1 bytes) cut to NAME_SHOWN with "..." at its end. */
static void cut_shown(char *name)
{
	if (strlen(name) > NAME_SHOWN)
		memcpy(name + NAME_SHOWN - 3, "...", 4);
}

/* NAME (LEN bytes) demangled, then cut to NAME_SHOWN with "..." at its
 * end: a long C++ template's name is cut where it is read, whole until
 * demangled. */
static void shown_name(char *name, size_t len)
{
	demangle(name, len);
	cut_shown(name);
}

bool explain_code(struct explain *ex, uint32_t loc, struct trace_code *c)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);
	char *all;

	memset(c, 0, sizeof(*c));
	if (!loc || loc > l->npcs)
		return false;
	trace_symbols_code(ex->sym, l->pcs[loc - 1], c);
	shown_name(c->function, sizeof(c->function));
	if (!c->inlined_into[0])
		return true;
	shown_name(c->inlined_into, sizeof(c->inlined_into));
	shown_name(c->out_of_line, sizeof(c->out_of_line));
	/* The direct caller, and the function whose code holds both where
	 * that is inlined too: "bump (inlined into count_up, in worker)". */
	if (c->out_of_line[0])
		all = xasprintf("%s (inlined into %s, in %s)", c->function, c->inlined_into, c->out_of_line);
	else
		all = xasprintf("%s (inlined into %s)", c->function, c->inlined_into);
	snprintf(c->function, sizeof(c->function), "%s", all);
	free(all);
	return true;
}

void explain_data(struct explain *ex, uint64_t address, struct trace_data *d)
{
	trace_symbols_data(ex->sym, address, d);
	demangle(d->symbol, sizeof(d->symbol));
	/* The types' names whole from the symbols, cut where shown (a class
	 * template's, with its arguments). */
	cut_shown(d->type);
	for (unsigned i = 0; i < d->narrays; i++) {
		cut_shown(d->arrays[i].holder);
		cut_shown(d->arrays[i].element_type);
	}
}

void explain_where(struct explain *ex, uint32_t loc, char *buf, size_t len)
{
	struct trace_code c;

	if (!explain_code(ex, loc, &c)) {
		snprintf(buf, len, "(the runtime)");
		return;
	}
	explain_code_name(&c, buf, len);
	if (c.function[0] && c.line)
		snprintf(buf + strlen(buf), len - strlen(buf), " in %s", c.function);
}

/* The blocks holding ADDRESS in words: the runtime's word of a thread's
 * start and end ("thread 2's start and end (the runtime's)"); the
 * allocation sites of the heap blocks ("heap block from prog.c:12", two
 * sites at most), with their size into TYPE when they agree; else the
 * threads whose stack it is ("stack of thread 2", two at most: an ended
 * thread's stack is taken again); false when no block holds it. */
static bool block_name(struct explain *ex, uint64_t address, char *buf, size_t len, char *type, size_t type_len)
{
	const struct trace_locations *l = trace_reader_locations(ex->trace);
	const struct trace_block *b;
	uint32_t n = trace_locations_blocks(l, address, &b), sites[2] = { 0 }, nsites = 0;
	unsigned threads[2] = { 0 }, nthreads = 0;
	uint64_t size = 0;
	bool same_size = true;

	for (uint32_t i = 0; i < n; i++) {
		if (address - b[i].address >= b[i].size)
			continue;
		if (b[i].kind == TRACE_BLOCK_HANDOVER) {
			snprintf(buf, len, "thread %u's start and end (the runtime's)", b[i].thread);
			return true;
		}
		if (b[i].kind == TRACE_BLOCK_STACK) {
			if (nthreads < 2 && (!nthreads || threads[0] != b[i].thread))
				threads[nthreads++] = b[i].thread;
			continue;
		}
		same_size = same_size && (!size || size == b[i].size);
		size = b[i].size;
		if (nsites < 2 && (!nsites || sites[0] != b[i].loc))
			sites[nsites++] = b[i].loc;
	}
	if (!size && nthreads) {
		snprintf(buf, len, "stack of thread %u", threads[0]);
		if (nthreads > 1)
			snprintf(buf + strlen(buf), len - strlen(buf), " or %u", threads[1]);
		return true;
	}
	if (!size)
		return false;
	snprintf(buf, len, "heap block from");
	for (uint32_t k = 0; k < nsites; k++) {
		struct trace_code c;
		char where[320];

		if (explain_code(ex, sites[k], &c)) {
			explain_code_name(&c, where, sizeof(where));
		} else {
			snprintf(where, sizeof(where), "the runtime");
		}
		snprintf(buf + strlen(buf), len - strlen(buf), "%s %s", k ? " or" : "", where);
	}
	if (same_size)
		snprintf(type, type_len, "%" PRIu64 " bytes", size);
	return true;
}

void explain_object_name(struct explain *ex, uint64_t address, unsigned line_shift, struct trace_data *d, char *buf,
			 size_t len)
{
	explain_data(ex, address, d);
	/* An array of scalars is one object, not one per element. */
	if (d->member[0] == '[' && !strchr(d->member, '.'))
		d->member[0] = '\0';
	if (d->symbol[0])
		snprintf(buf, len, "%s%s", d->symbol, d->member);
	else if (!block_name(ex, address, buf, len, d->type, sizeof(d->type)))
		snprintf(buf, len, "line 0x%" PRIx64 "%s%s", address >> line_shift << line_shift,
			 d->module[0] ? " in " : "", d->module);
}

const char *explain_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

unsigned explain_shift_of(unsigned line)
{
	unsigned s = 0;

	while ((1u << s) < line)
		s++;
	return s;
}

void explain_list_add(char **list, const char *word)
{
	char *old = *list;
	size_t len = strlen(word);

	for (const char *p = old; p && *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && strncmp(p, word, n) == 0)
			return;
		p += n + (end != NULL);
	}
	*list = old && *old ? xasprintf("%s;%s", old, word) : xstrdup(word);
	free(old);
}

bool explain_next_range(const struct attr_touch *t, unsigned *first, unsigned *last)
{
	unsigned b = *first, e;

	while (b <= t->last && !(t->bytes[b / 64] >> (b % 64) & 1))
		b++;
	if (b > t->last)
		return false;
	for (e = b; e + 1 <= t->last && t->bytes[(e + 1) / 64] >> ((e + 1) % 64) & 1;)
		e++;
	*first = b;
	*last = e;
	return true;
}

/* The objects of bytes FIRST to LAST of the line at BASE into NAME (LEN
 * bytes): one name where one object holds them; the elements of an array
 * they span as a range of indices ("tl.hits[0..3]" for tl.hits[0] to
 * tl.hits[3]); else the first and the last ("st.a to st.c"). */
void explain_range_name(struct explain *ex, uint64_t base, unsigned first, unsigned last, unsigned shift, char *name,
			size_t len)
{
	char end[400], *both;
	struct trace_data d;
	size_t p = 0, open;

	explain_object_name(ex, base + first, shift, &d, name, len);
	if (first == last)
		return;
	explain_object_name(ex, base + last, shift, &d, end, sizeof(end));
	if (strcmp(name, end) == 0)
		return;
	while (name[p] && name[p] == end[p])
		p++;
	/* Where they part in an index of one array: its indices as a range,
	 * the members after them dropped (the bytes span whole elements). */
	open = p;
	while (open > 0 && name[open - 1] >= '0' && name[open - 1] <= '9')
		open--;
	if (open > 0 && name[open - 1] == '[' && strspn(name + open, "0123456789") &&
	    strspn(end + open, "0123456789")) {
		size_t a = strspn(name + open, "0123456789"), b = strspn(end + open, "0123456789");

		both = xasprintf("%.*s..%.*s]", (int)(open + a), name, (int)b, end + open);
	} else {
		both = xasprintf("%s to %s", name, end);
	}
	snprintf(name, len, "%s", both);
	free(both);
}

/* Appends "50" or "4-7" to BUF at *USED. */
static void add_range(char *buf, size_t len, size_t *used, bool comma, unsigned first, unsigned last)
{
	if (*used >= len)
		return;
	if (first == last)
		*used += (size_t)snprintf(buf + *used, len - *used, "%s%u", comma ? ", " : "", first);
	else
		*used += (size_t)snprintf(buf + *used, len - *used, "%s%u-%u", comma ? ", " : "", first, last);
}

void explain_touched_bytes(struct explain *ex, const struct attr_touch *t, uint64_t base, unsigned shift, char *buf,
			   size_t len)
{
	char names[4][400];
	unsigned first[4], last[4], n = 0;
	bool more = false, same = true;
	size_t used;

	for (unsigned b = t->first, e; explain_next_range(t, &b, &e); b = e + 1) {
		if (n == 4) {
			more = true;
			break;
		}
		explain_range_name(ex, base, b, e, shift, names[n], sizeof(names[n]));
		same = same && (n == 0 || strcmp(names[n], names[0]) == 0);
		first[n] = b;
		last[n++] = e;
	}
	used = (size_t)snprintf(buf, len, "%s", n == 1 && first[0] == last[0] ? "byte " : "bytes ");
	for (unsigned k = 0; k < n && used < len; k++) {
		char *o = escape_terminal_new(names[k]);

		add_range(buf, len, &used, k > 0, first[k], last[k]);
		if (!same && used < len)
			used += (size_t)snprintf(buf + used, len - used, " (%s)", o);
		free(o);
	}
	if (more && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", ...");
	if (same && n && used < len) {
		char *o = escape_terminal_new(names[0]);

		snprintf(buf + used, len - used, " (%s)", o);
		free(o);
	}
}

/* Adds the objects of bytes FIRST to LAST of the line at BASE to *LIST,
 * in address order: the names at both ends, and where they differ, those
 * of each half in turn (an object's bytes are together, so one name at
 * both ends holds the bytes between). */
static void add_objects(struct explain *ex, uint64_t base, unsigned first, unsigned last, unsigned shift,
			char **list)
{
	char a[400], z[400];
	struct trace_data d;

	explain_object_name(ex, base + first, shift, &d, a, sizeof(a));
	if (first == last) {
		explain_list_add(list, a);
		return;
	}
	explain_object_name(ex, base + last, shift, &d, z, sizeof(z));
	if (strcmp(a, z) == 0) {
		explain_list_add(list, a);
	} else if (last == first + 1) {
		explain_list_add(list, a);
		explain_list_add(list, z);
	} else {
		add_objects(ex, base, first, first + (last - first) / 2, shift, list);
		add_objects(ex, base, first + (last - first) / 2 + 1, last, shift, list);
	}
}

void explain_touch_objects(struct explain *ex, const struct attr_touch *t, uint64_t base, unsigned shift,
			   char **list)
{
	for (unsigned b = t->first, e; explain_next_range(t, &b, &e); b = e + 1)
		add_objects(ex, base, b, e, shift, list);
}
