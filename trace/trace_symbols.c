#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#endif

#include "trace_symbols.h"
#include "xalloc.h"

struct trace_symbols {
	const struct trace_locations *l;
	void (*warn)(const char *msg);
#ifdef HAVE_LIBDW
	Dwfl *dwfl;
	/* Each module's, reported on first use: NULL when it cannot be used. */
	Dwfl_Module **mods;
	bool *tried;
	/* The last variable looked up (an array's addresses come in runs):
	 * finding one walks every compilation unit. */
	Dwfl_Module *var_mod;
	char var_name[128];
	bool var_found;
	Dwarf_Die var;
	/* The last compilation unit a program counter was found in by scanning
	 * (unit_of): the next is most likely in it too. */
	Dwfl_Module *cu_mod;
	Dwarf_Die cu;
	Dwarf_Addr cu_bias;
#endif
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The module and offset: what is said of any address. */
static const struct trace_module *place(const struct trace_symbols *s, uint64_t address, char *module,
					size_t len, uint64_t *offset)
{
	const struct trace_module *m = trace_locations_module(s->l, address);

	snprintf(module, len, "%s", m ? base_name(m->path) : "");
	*offset = m ? address - m->bias : address;
	return m;
}

#ifdef HAVE_LIBDW
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static void say(const struct trace_symbols *s, const char *fmt, const char *path, const char *why)
{
	char msg[512];

	if (!s->warn)
		return;
	snprintf(msg, sizeof(msg), fmt, path, why);
	s->warn(msg);
}

/* Module M's libdw module, reported when first asked for; NULL (said
 * once) when its file cannot be read or is another build. */
static Dwfl_Module *module_of(struct trace_symbols *s, const struct trace_module *m)
{
	size_t i = (size_t)(m - s->l->modules);
	const unsigned char *id;
	GElf_Addr at;
	int id_len;

	if (s->tried[i])
		return s->mods[i];
	s->tried[i] = true;
	if (m->path[0] != '/')
		return NULL; /* the vDSO and the like: no file */
	dwfl_report_begin_add(s->dwfl);
	s->mods[i] = dwfl_report_elf(s->dwfl, m->path, m->path, -1, m->bias, true);
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!s->mods[i]) {
		say(s, "%s: cannot read its symbols: %s", m->path, dwfl_errmsg(-1));
		return NULL;
	}
	dwfl_module_getelf(s->mods[i], &at);
	id_len = dwfl_module_build_id(s->mods[i], &id, &at);
	if (m->build_id_len && (id_len != (int)m->build_id_len || memcmp(id, m->build_id, m->build_id_len) != 0)) {
		say(s, "%s: %s; its addresses are left unnamed", m->path,
		    "not the file that was traced (another build id)");
		s->mods[i] = NULL;
	}
	return s->mods[i];
}

bool trace_symbols_available(void)
{
	return true;
}

struct trace_symbols *trace_symbols_new(const struct trace_locations *l, void (*warn)(const char *msg))
{
	struct trace_symbols *s = xcalloc(1, sizeof(*s));

	s->l = l;
	s->warn = warn;
	s->dwfl = dwfl_begin(&callbacks);
	s->mods = xcalloc(l->nmodules + 1, sizeof(*s->mods));
	s->tried = xcalloc(l->nmodules + 1, sizeof(*s->tried));
	return s;
}

void trace_symbols_free(struct trace_symbols *s)
{
	if (!s)
		return;
	if (s->dwfl)
		dwfl_end(s->dwfl);
	free(s->mods);
	free(s->tried);
	free(s);
}

/* The compilation unit of MOD holding PC (a process address), and the
 * bias of its addresses. libdwfl finds it by .debug_aranges, which a
 * clang build can hold for the C startup objects alone (clang writes
 * none for the program's own units without -gdwarf-aranges), missing the
 * program's code: then every unit's ranges are scanned. */
static bool unit_of(struct trace_symbols *s, Dwfl_Module *mod, Dwarf_Addr pc, Dwarf_Die *cu, Dwarf_Addr *bias)
{
	Dwarf_Die *found = dwfl_module_addrdie(mod, pc, bias);
	Dwarf *dw;
	Dwarf_Off off = 0, next;
	size_t hsize;

	if (found) {
		*cu = *found;
		return true;
	}
	if (s->cu_mod == mod && dwarf_haspc(&s->cu, pc - s->cu_bias) > 0) {
		*cu = s->cu;
		*bias = s->cu_bias;
		return true;
	}
	if (!(dw = dwfl_module_getdwarf(mod, bias)))
		return false;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, cu) && dwarf_haspc(cu, pc - *bias) > 0) {
			s->cu_mod = mod;
			s->cu = *cu;
			s->cu_bias = *bias;
			return true;
		}
		off = next;
	}
	return false;
}

/* Whether PATH is a system header (the C++ library's, the compiler's):
 * code the user did not write, named where the user's code calls it. */
static bool system_header(const char *path)
{
	static const char *const dirs[] = { "/usr/include/", "/usr/local/include/", "/usr/lib/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

/* The call in the user's code (outside the system headers) of the code
 * inlined at ADDRESS (of CU's addresses), into FILE and LINE: the call
 * site of the innermost inlined subroutine that the user's code called.
 * False when there is none. */
static bool user_call(Dwarf_Die *cu, Dwarf_Addr address, const char **file, int *line)
{
	Dwarf_Die *scopes = NULL;
	Dwarf_Files *files;
	size_t nfiles;
	int n = dwarf_getscopes(cu, address, &scopes);

	*file = NULL;
	if (n > 0 && dwarf_getsrcfiles(cu, &files, &nfiles) == 0) {
		/* Innermost first: the inlined subroutines up to the function. */
		for (int i = 0; i < n && dwarf_tag(&scopes[i]) != DW_TAG_subprogram; i++) {
			Dwarf_Attribute a;
			Dwarf_Word file_i, line_n;
			const char *f;

			if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
				continue;
			if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &a), &file_i) != 0 ||
			    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &a), &line_n) != 0 ||
			    file_i >= nfiles || line_n == 0 || line_n > INT32_MAX || !(f = dwarf_filesrc(files, file_i, NULL, NULL)))
				break;
			if (!system_header(f)) {
				*file = f;
				*line = (int)line_n;
				break;
			}
		}
	}
	free(scopes);
	return *file != NULL;
}

void trace_symbols_code(struct trace_symbols *s, uint64_t pc, struct trace_code *out)
{
	const struct trace_module *m;
	Dwfl_Module *mod;
	Dwarf_Line *line;
	Dwarf_Die cu;
	Dwarf_Addr bias;
	GElf_Off off;
	GElf_Sym sym;
	const char *name, *file, *call_file;
	int lineno = 0, call_line;

	memset(out, 0, sizeof(*out));
	/* The call's own line: a return address can be the next line's. */
	m = place(s, pc - 1, out->module, sizeof(out->module), &out->offset);
	if (!m || !s->dwfl || !(mod = module_of(s, m)))
		return;
	name = dwfl_module_addrinfo(mod, pc - 1, &off, &sym, NULL, NULL, NULL);
	snprintf(out->function, sizeof(out->function), "%s", name ? name : "");
	if (!unit_of(s, mod, pc - 1, &cu, &bias) || !(line = dwarf_getsrc_die(&cu, pc - 1 - bias)) ||
	    !(file = dwarf_linesrc(line, NULL, NULL)) || dwarf_lineno(line, &lineno) != 0)
		return;
	/* Code inlined from a system header (a std::atomic's add) is named at
	 * the user's line that calls it, the header's beside it. */
	if (system_header(file) && user_call(&cu, pc - 1 - bias, &call_file, &call_line)) {
		snprintf(out->inlined, sizeof(out->inlined), "%s:%d", base_name(file), lineno);
		file = call_file;
		lineno = call_line;
	}
	snprintf(out->file, sizeof(out->file), "%s", base_name(file));
	out->line = lineno > 0 ? (unsigned)lineno : 0;
}

/* The DIE of TYPE with typedefs and qualifiers taken off. */
static bool plain_type(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, type))
		return false;
	for (int depth = 0; depth < 16; depth++) {
		int tag = dwarf_tag(type);

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
		    tag != DW_TAG_atomic_type && tag != DW_TAG_restrict_type)
			return true;
		if (!dwarf_attr_integrate(type, DW_AT_type, &a) || !dwarf_formref_die(&a, type))
			return false;
	}
	return false;
}

/* Walks the type of the variable at DIE down to OFFSET: the members and
 * elements on the way into OUT. */
static void describe_member(Dwarf_Die *var, uint64_t offset, struct trace_data *out)
{
	Dwarf_Die type, child;
	size_t used = 0;

	if (!plain_type(var, &type))
		return;
	for (int depth = 0; depth < 8; depth++) {
		int tag = dwarf_tag(&type);
		Dwarf_Word size;

		if (tag == DW_TAG_array_type) {
			Dwarf_Die elem;

			if (!plain_type(&type, &elem) || dwarf_aggregate_size(&elem, &size) != 0 || size == 0)
				return;
			if (depth == 0)
				out->element = size;
			used += (size_t)snprintf(out->member + used, sizeof(out->member) - used, "[%" PRIu64 "]",
						 offset / size);
			offset %= size;
			type = elem;
		} else if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
			const char *tname = dwarf_diename(&type);
			bool found = false;

			if (dwarf_child(&type, &child) != 0)
				return;
			snprintf(out->type, sizeof(out->type), "%s %s", tag == DW_TAG_union_type ? "union" : "struct",
				 tname ? tname : "(anonymous)");
			do {
				Dwarf_Attribute a;
				Dwarf_Word at = 0;
				Dwarf_Die mtype;
				const char *mname = dwarf_diename(&child);

				if (dwarf_tag(&child) != DW_TAG_member)
					continue;
				if (dwarf_attr_integrate(&child, DW_AT_data_member_location, &a))
					dwarf_formudata(&a, &at);
				if (!plain_type(&child, &mtype) || dwarf_aggregate_size(&mtype, &size) != 0)
					continue;
				if (offset >= at && offset < at + size) {
					used += (size_t)snprintf(out->member + used, sizeof(out->member) - used, ".%s",
								 mname ? mname : "?");
					offset -= at;
					type = mtype;
					found = true;
					break;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
			if (!found)
				return;
		} else {
			return;
		}
		if (used >= sizeof(out->member))
			return;
	}
}

/* The DIE of the global or static variable NAME in MOD's debug information. */
static bool find_variable(Dwfl_Module *mod, const char *name, Dwarf_Die *var)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Dwarf_Off off = 0, next;
	size_t hsize;

	if (!dw)
		return false;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *n;

				if (dwarf_tag(&child) == DW_TAG_variable && (n = dwarf_diename(&child)) &&
				    strcmp(n, name) == 0 && dwarf_hasattr_integrate(&child, DW_AT_type)) {
					*var = child;
					return true;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	return false;
}

void trace_symbols_data(struct trace_symbols *s, uint64_t address, struct trace_data *out)
{
	const struct trace_module *m;
	Dwfl_Module *mod;
	GElf_Off off;
	GElf_Sym sym;
	const char *name;
	Dwarf_Die var;

	memset(out, 0, sizeof(*out));
	m = place(s, address, out->module, sizeof(out->module), &out->offset);
	if (!m || !s->dwfl || !(mod = module_of(s, m)))
		return;
	name = dwfl_module_addrinfo(mod, address, &off, &sym, NULL, NULL, NULL);
	if (!name || GELF_ST_TYPE(sym.st_info) != STT_OBJECT || off >= sym.st_size)
		return;
	snprintf(out->symbol, sizeof(out->symbol), "%s", name);
	out->start = address - off;
	out->size = sym.st_size;
	if (mod != s->var_mod || strcmp(out->symbol, s->var_name) != 0) {
		s->var_mod = mod;
		snprintf(s->var_name, sizeof(s->var_name), "%s", out->symbol);
		s->var_found = find_variable(mod, name, &s->var);
	}
	var = s->var;
	if (s->var_found)
		describe_member(&var, off, out);
}
#else
bool trace_symbols_available(void)
{
	return false;
}

struct trace_symbols *trace_symbols_new(const struct trace_locations *l, void (*warn)(const char *msg))
{
	struct trace_symbols *s = xcalloc(1, sizeof(*s));

	s->l = l;
	s->warn = warn;
	return s;
}

void trace_symbols_free(struct trace_symbols *s)
{
	free(s);
}

void trace_symbols_code(struct trace_symbols *s, uint64_t pc, struct trace_code *out)
{
	memset(out, 0, sizeof(*out));
	place(s, pc - 1, out->module, sizeof(out->module), &out->offset);
}

void trace_symbols_data(struct trace_symbols *s, uint64_t address, struct trace_data *out)
{
	memset(out, 0, sizeof(*out));
	place(s, address, out->module, sizeof(out->module), &out->offset);
}
#endif
