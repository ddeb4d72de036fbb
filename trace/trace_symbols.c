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

#include "interrupt.h"
#include "trace_symbols.h"
#include "xalloc.h"

#ifdef HAVE_LIBDW
/* A module's variables with a fixed address (globals, statics, static
 * data members, a function's statics, in any namespace), sorted by it:
 * a symbol's variable is found by its address, which names it whatever
 * its spelling in the symbol table (a C++ linkage name, a static's
 * "name.0"), and tells apart two statics of one name in two files. And
 * the variables it declares only, by their symbol's name: a library's
 * array that the program uses lies in the program's own memory (a copy
 * relocation), where the program's debug information has its type. */
struct var_index {
	struct var_at {
		Dwarf_Addr address; /* the module's file address */
		Dwarf_Off die;
	} *v;
	size_t n, cap;
	struct var_named {
		const char *name; /* its linkage name, else its name */
		Dwarf_Off die;
	} *d;
	size_t nd, dcap;
};
#endif

struct trace_symbols {
	const struct trace_locations *l;
	void (*warn)(const char *msg);
#ifdef HAVE_LIBDW
	Dwfl *dwfl;
	/* Each module's, reported on first use: NULL when it cannot be used. */
	Dwfl_Module **mods;
	bool *tried;
	size_t nmods;
	/* Each module's variables by address, made on its first data
	 * address: NULL before. */
	struct var_index **vars;
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
	s->nmods = l->nmodules + 1;
	s->mods = xcalloc(s->nmods, sizeof(*s->mods));
	s->tried = xcalloc(s->nmods, sizeof(*s->tried));
	s->vars = xcalloc(s->nmods, sizeof(*s->vars));
	return s;
}

void trace_symbols_free(struct trace_symbols *s)
{
	if (!s)
		return;
	if (s->dwfl)
		dwfl_end(s->dwfl);
	for (size_t i = 0; i < s->nmods; i++)
		if (s->vars[i]) {
			free(s->vars[i]->v);
			free(s->vars[i]->d);
			free(s->vars[i]);
		}
	free(s->vars);
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

/* PATH with its "." and "dir/.." steps taken out, into BUF (LEN bytes):
 * clang names the C++ library's headers from its own directory,
 * "/usr/bin/../lib/gcc/...". False when it does not fit. */
static bool lexical_path(const char *path, char *buf, size_t len)
{
	size_t used = 0;

	while (*path) {
		size_t n = strcspn(path, "/");

		if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (used > 0 && buf[--used] != '/')
				;
		} else if (n > 0 && !(n == 1 && path[0] == '.')) {
			if (used + 1 + n >= len)
				return false;
			buf[used++] = '/';
			memcpy(buf + used, path, n);
			used += n;
		}
		path += n + (path[n] == '/');
	}
	buf[used] = '\0';
	return true;
}

/* Whether PATH is a system header (the C++ library's, the compiler's):
 * code the user did not write, named where the user's code calls it. */
static bool system_header(const char *path)
{
	static const char *const dirs[] = { "/usr/include/", "/usr/local/include/", "/usr/lib/" };
	char plain[1024];

	if (path[0] != '/' || !lexical_path(path, plain, sizeof(plain)))
		return false;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strncmp(plain, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

/* The call in the user's code (outside the system headers) of the code
 * inlined at an address, from the N DIES holding it (CHAIN, innermost
 * first) into FILE and LINE: the call site of the innermost inlined
 * subroutine that the user's code called, however many header functions
 * deep (<atomic>'s fetch_add calling bits/atomic_base.h's). Its index in
 * CHAIN, or -1 when there is none. */
static int user_call(Dwarf_Die *cu, Dwarf_Die *chain, int n, const char **file, int *line)
{
	Dwarf_Files *files;
	size_t nfiles;

	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		return -1;
	/* Innermost first: the inlined subroutines up to the function. */
	for (int i = 0; i < n && dwarf_tag(&chain[i]) != DW_TAG_subprogram; i++) {
		Dwarf_Attribute a;
		Dwarf_Word file_i, line_n;
		const char *f;

		if (dwarf_tag(&chain[i]) != DW_TAG_inlined_subroutine)
			continue;
		if (dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &a), &file_i) != 0 ||
		    dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &a), &line_n) != 0 ||
		    file_i >= nfiles || line_n == 0 || line_n > INT32_MAX || !(f = dwarf_filesrc(files, file_i, NULL, NULL)))
			return -1;
		if (!system_header(f)) {
			*file = f;
			*line = (int)line_n;
			return i;
		}
	}
	return -1;
}

/* The name of function scope DIE (an inlined subroutine's origin's
 * linkage name, else its name); NULL when it has none. */
static const char *scope_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *found = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &a));

	return found ? found : dwarf_diename(die);
}

/* The direct caller of inlined subroutine CHAIN[AT] into CALLER when
 * that is inlined too, else "": the first inlined subroutine holding it
 * not declared in a system header (a lambda's caller is std::thread's
 * invoke, named by no user). */
static void inlined_caller(Dwarf_Die *chain, int n, int at, char *caller, size_t len)
{
	caller[0] = '\0';
	for (int j = at + 1; j < n && dwarf_tag(&chain[j]) != DW_TAG_subprogram; j++) {
		const char *file = dwarf_decl_file(&chain[j]), *found;

		if (dwarf_tag(&chain[j]) != DW_TAG_inlined_subroutine || (file && system_header(file)) ||
		    !(found = scope_name(&chain[j])))
			continue;
		snprintf(caller, len, "%s", found);
		return;
	}
}

/* The function whose code the line at an address is, from the N DIES
 * holding it (CHAIN, innermost first), the first function scope from
 * FROM on: when it is an inlined subroutine (a static inline function's
 * body in its caller's code), its name into NAME, its direct caller's
 * into CALLER when that is inlined too (inlined_caller) and true; false
 * for the out-of-line function itself, whose symbol names it already. */
static bool inlined_function(Dwarf_Die *chain, int n, int from, char *name, char *caller, size_t len)
{
	for (int i = from; i < n; i++) {
		int tag = dwarf_tag(&chain[i]);
		const char *found;

		if (tag == DW_TAG_subprogram)
			return false;
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		if (!(found = scope_name(&chain[i])))
			return false;
		snprintf(name, len, "%s", found);
		inlined_caller(chain, n, i, caller, len);
		return true;
	}
	return false;
}

/* Whether the code of the N SCOPES at an address (innermost first) is
 * inlined: an inlined subroutine before the function. Only then are the
 * DIEs holding it looked up, a walk of the whole unit. */
static bool inlined_code(Dwarf_Die *scopes, int n)
{
	for (int i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);

		if (tag == DW_TAG_inlined_subroutine)
			return true;
		if (tag == DW_TAG_subprogram)
			return false;
	}
	return false;
}

void trace_symbols_code(struct trace_symbols *s, uint64_t pc, struct trace_code *out)
{
	const struct trace_module *m;
	Dwfl_Module *mod;
	Dwarf_Line *line;
	Dwarf_Die cu, *scopes = NULL, *chain = NULL;
	Dwarf_Addr bias;
	GElf_Off off;
	GElf_Sym sym;
	const char *name, *file, *call_file;
	int lineno = 0, call_line, nscopes, nchain = 0, from = 0;

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
	/* The DIEs holding the code, innermost first: the scopes at an
	 * address go on, after an inlined subroutine, with its own
	 * definition, not the callers it was inlined into; those are the
	 * DIEs that hold its innermost scope. */
	nscopes = dwarf_getscopes(&cu, pc - 1 - bias, &scopes);
	if (nscopes > 0 && inlined_code(scopes, nscopes))
		nchain = dwarf_getscopes_die(&scopes[0], &chain);
	free(scopes);
	/* Code inlined from a system header (a std::atomic's add) is named at
	 * the user's line that calls it, the header's beside it; the function
	 * is then the one holding that call. */
	if (system_header(file) && nchain > 0 && (from = user_call(&cu, chain, nchain, &call_file, &call_line)) >= 0) {
		snprintf(out->inlined, sizeof(out->inlined), "%s:%d", base_name(file), lineno);
		file = call_file;
		lineno = call_line;
		from++;
	} else {
		from = 0;
	}
	/* The line is the inlined function's, not its caller's, whose symbol
	 * holds the code: both are said. */
	if (nchain > 0 && inlined_function(chain, nchain, from, out->function, out->inlined_into,
					   sizeof(out->function))) {
		if (out->inlined_into[0])
			snprintf(out->out_of_line, sizeof(out->out_of_line), "%s", name ? name : "");
		else
			snprintf(out->inlined_into, sizeof(out->inlined_into), "%s", name ? name : "");
	}
	free(chain);
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

/* The kinds of aggregate a member is named in, as the language spells them. */
static const struct {
	int tag;
	const char *keyword;
} aggregates[] = {
	{ DW_TAG_structure_type, "struct" },
	{ DW_TAG_class_type, "class" },
	{ DW_TAG_union_type, "union" },
};

static const char *aggregate_keyword(int tag)
{
	for (size_t i = 0; i < sizeof(aggregates) / sizeof(aggregates[0]); i++)
		if (aggregates[i].tag == tag)
			return aggregates[i].keyword;
	return NULL;
}

/* The byte offset of member or base class CHILD in its aggregate: a
 * constant, or DWARF 2's one-operation expression; false for a virtual
 * base (its place is known at run time only). A union's members have
 * none: 0. */
static bool member_offset(Dwarf_Die *child, Dwarf_Word *at)
{
	Dwarf_Attribute a;
	Dwarf_Op *expr;
	size_t n;

	*at = 0;
	if (!dwarf_attr_integrate(child, DW_AT_data_member_location, &a))
		return true;
	if (dwarf_formudata(&a, at) == 0)
		return true;
	if (dwarf_getlocation(&a, &expr, &n) == 0 && n == 1 && expr[0].atom == DW_OP_plus_uconst) {
		*at = expr[0].number;
		return true;
	}
	return false;
}

/* Whether member NAME of aggregate TYPE is a library's inside (the
 * _M_i of a std::atomic, the _M_elems of a std::array): a name reserved
 * to the implementation in a type of a system header, left out of the
 * member's name as the user's code never spells it. */
static bool library_inside(Dwarf_Die *type, const char *name)
{
	const char *file;

	if (!name || name[0] != '_' || !(name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z')))
		return false;
	file = dwarf_decl_file(type);
	return file && system_header(file);
}

/* The member or base class of aggregate TYPE holding byte OFFSET, into
 * CHILD and its plain type MTYPE, its offset into AT; static members
 * (declarations) hold none. */
static bool member_at(Dwarf_Die *type, uint64_t offset, Dwarf_Die *child, Dwarf_Die *mtype, Dwarf_Word *at)
{
	if (dwarf_child(type, child) != 0)
		return false;
	do {
		int tag = dwarf_tag(child);
		Dwarf_Word size;

		if ((tag != DW_TAG_member && tag != DW_TAG_inheritance) ||
		    dwarf_hasattr_integrate(child, DW_AT_declaration) || !member_offset(child, at) ||
		    !plain_type(child, mtype) || dwarf_aggregate_size(mtype, &size) != 0)
			continue;
		if (offset >= *at && offset - *at < size)
			return true;
	} while (dwarf_siblingof(child, child) == 0);
	return false;
}

/* The dimensions of array TYPE into COUNTS (each one's count of
 * elements, 0 unknown: the first of a flexible array): how many, 1 to
 * TRACE_DATA_ARRAYS; a type without subranges (or an unknown inner
 * count) is one dimension of its element. */
static unsigned array_dims(Dwarf_Die *type, Dwarf_Word *counts)
{
	Dwarf_Die child;
	unsigned n = 0;

	counts[0] = 0;
	if (dwarf_child(type, &child) != 0)
		return 1;
	do {
		Dwarf_Attribute a;
		Dwarf_Word v;

		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		if (n == TRACE_DATA_ARRAYS)
			return 1;
		counts[n] = 0;
		if (dwarf_attr_integrate(&child, DW_AT_count, &a) && dwarf_formudata(&a, &v) == 0)
			counts[n] = v;
		else if (dwarf_attr_integrate(&child, DW_AT_upper_bound, &a) && dwarf_formudata(&a, &v) == 0)
			counts[n] = v + 1;
		if (n > 0 && !counts[n])
			return 1;
		n++;
	} while (dwarf_siblingof(&child, &child) == 0);
	return n ? n : 1;
}

/* One more array on the way to OUT's member, whose index starts at
 * *USED: its element's size ELEMENT and, for the innermost dimension,
 * ELEM's type by name (NULL: an outer one, of rows); HOLDER the aggregate
 * it is a member of. */
static void add_array(struct trace_data *out, const size_t *used, Dwarf_Die *elem, uint64_t element,
		      const char *holder)
{
	struct trace_array *a;

	if (out->narrays == TRACE_DATA_ARRAYS || *used >= sizeof(out->member))
		return;
	a = &out->arrays[out->narrays++];
	memset(a, 0, sizeof(*a));
	a->open = (unsigned)*used;
	a->element = element;
	snprintf(a->holder, sizeof(a->holder), "%s", holder);
	a->rows = !elem;
	if (elem) {
		int tag = dwarf_tag(elem);
		const char *name = dwarf_diename(elem), *keyword = aggregate_keyword(tag);

		if (keyword)
			snprintf(a->element_type, sizeof(a->element_type), "%s %s", keyword, name ? name : "(anonymous)");
		else if (name && tag == DW_TAG_base_type)
			snprintf(a->element_type, sizeof(a->element_type), "%s", name);
	}
}

/* The last array's index ends before USED; cut short, it is not there
 * to tell apart and is dropped. */
static void close_array(struct trace_data *out, size_t used)
{
	struct trace_array *a = out->narrays ? &out->arrays[out->narrays - 1] : NULL;

	if (!a || a->close)
		return;
	if (used < sizeof(out->member))
		a->close = (unsigned)(used - 1);
	else
		out->narrays--;
}

/* Walks the type of the variable at DIE down to OFFSET: the members and
 * elements on the way into OUT. A base class's members are named as the
 * derived type's own (a struct Padded : Base's count is "[1].count" in
 * struct Padded), and a library's insides are passed through unnamed
 * ("[1].hits" for a std::atomic member, "[1]" of a std::array). */
static void describe_member(Dwarf_Die *var, uint64_t offset, struct trace_data *out)
{
	Dwarf_Die type;
	size_t used = 0;
	/* The type a member found next is said to be in: the aggregate
	 * entered last, not counting a base class or a library's inside. */
	char holder[sizeof(out->type)] = "";
	/* The aggregate of the member named last (for an array it holds). */
	char member_holder[sizeof(out->type)] = "";
	bool named = false, through = false; /* through a base or a library's inside */
	bool in_union = false; /* a union's bytes are views of one object, not elements */

	if (!plain_type(var, &type))
		return;
	for (int depth = 0; depth < 16 && used < sizeof(out->member); depth++) {
		int tag = dwarf_tag(&type);
		const char *keyword = aggregate_keyword(tag);
		Dwarf_Word size;

		if (tag == DW_TAG_array_type) {
			Dwarf_Word counts[TRACE_DATA_ARRAYS], stride;
			unsigned ndims = array_dims(&type, counts);
			Dwarf_Die elem;

			if (!plain_type(&type, &elem) || dwarf_aggregate_size(&elem, &size) != 0 || size == 0)
				return;
			/* One array type may have several dimensions (C's long
			 * grid[4][2]): each index steps over the rest's elements. */
			stride = size;
			for (unsigned i = 1; i < ndims; i++) {
				/* Counts no memory could hold: one dimension, as before. */
				if (counts[i] > UINT64_MAX / stride) {
					ndims = 1;
					stride = size;
					break;
				}
				stride *= counts[i];
			}
			for (unsigned i = 0; i < ndims && used < sizeof(out->member); i++) {
				/* The variable's own elements (a std::array's included,
				 * the rows of a 2-D one): what padding them would pad;
				 * not a union's bytes (a pthread_barrier_t's char array). */
				if (!named && !in_union && !out->element)
					out->element = stride;
				if (!in_union)
					add_array(out, &used, i + 1 == ndims ? &elem : NULL, stride,
						  named && i == 0 ? member_holder : "");
				used += (size_t)snprintf(out->member + used, sizeof(out->member) - used, "[%" PRIu64 "]",
							 offset / stride);
				close_array(out, used);
				offset %= stride;
				if (i + 1 < ndims)
					stride /= counts[i + 1];
			}
			type = elem;
			through = false;
		} else if (keyword) {
			Dwarf_Die child, mtype;
			Dwarf_Word at;
			const char *tname = dwarf_diename(&type), *mname;

			in_union |= tag == DW_TAG_union_type;
			if (!through) {
				snprintf(holder, sizeof(holder), "%s %s", keyword, tname ? tname : "(anonymous)");
				if (!named)
					snprintf(out->type, sizeof(out->type), "%s", holder);
			}
			if (!member_at(&type, offset, &child, &mtype, &at))
				return;
			mname = dwarf_diename(&child);
			through = dwarf_tag(&child) == DW_TAG_inheritance || library_inside(&type, mname);
			if (!through) {
				used += (size_t)snprintf(out->member + used, sizeof(out->member) - used, ".%s",
							 mname ? mname : "?");
				snprintf(out->type, sizeof(out->type), "%s", holder);
				snprintf(member_holder, sizeof(member_holder), "%s", holder);
				named = true;
			}
			offset -= at;
			type = mtype;
		} else {
			return;
		}
	}
}

/* The address of variable DIE when its location is a fixed one (one
 * DW_OP_addr, or DWARF 5's index into .debug_addr). */
static bool fixed_address(Dwarf_Die *die, Dwarf_Addr *address)
{
	Dwarf_Attribute a, addr;
	Dwarf_Op *expr;
	size_t n;

	if (!dwarf_attr(die, DW_AT_location, &a) || dwarf_getlocation(&a, &expr, &n) != 0 || n != 1)
		return false;
	if (expr[0].atom == DW_OP_addr) {
		*address = expr[0].number;
		return true;
	}
	return (expr[0].atom == DW_OP_addrx || expr[0].atom == DW_OP_GNU_addr_index) &&
	       dwarf_getlocation_attr(&a, expr, &addr) == 0 && dwarf_formaddr(&addr, address) == 0;
}

/* Adds the variables with a fixed address under DIE (in the namespaces,
 * classes, functions and blocks it holds) to X. */
static void index_variables(struct var_index *x, Dwarf_Die *die, int depth)
{
	Dwarf_Die child;

	if (depth > 32 || dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		Dwarf_Addr address;
		Dwarf_Attribute a;
		const char *name;

		if (tag == DW_TAG_variable && fixed_address(&child, &address)) {
			if (x->n == x->cap) {
				x->cap = x->cap ? 2 * x->cap : 256;
				x->v = xrealloc(x->v, x->cap, sizeof(*x->v));
			}
			x->v[x->n++] = (struct var_at){ address, dwarf_dieoffset(&child) };
		} else if (tag == DW_TAG_variable && dwarf_hasattr(&child, DW_AT_declaration) &&
			   ((name = dwarf_formstring(dwarf_attr(&child, DW_AT_linkage_name, &a))) ||
			    (name = dwarf_diename(&child)))) {
			if (x->nd == x->dcap) {
				x->dcap = x->dcap ? 2 * x->dcap : 256;
				x->d = xrealloc(x->d, x->dcap, sizeof(*x->d));
			}
			x->d[x->nd++] = (struct var_named){ name, dwarf_dieoffset(&child) };
		} else if (tag == DW_TAG_namespace || tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
			   aggregate_keyword(tag)) {
			index_variables(x, &child, depth + 1);
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* By address, then in the debug information's order. */
static int by_var_address(const void *a, const void *b)
{
	const struct var_at *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return x->die < y->die ? -1 : x->die > y->die;
}

/* By name, then in the debug information's order. */
static int by_var_name(const void *a, const void *b)
{
	const struct var_named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->die < y->die ? -1 : x->die > y->die);
}

/* The variables of DW's debug information (var_index), every compilation
 * unit walked once. */
static struct var_index *variables_of(Dwarf *dw)
{
	struct var_index *x = xcalloc(1, sizeof(*x));
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (!interrupt_requested() && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu))
			index_variables(x, &cu, 0);
		off = next;
	}
	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), by_var_address);
	if (x->nd > 1)
		qsort(x->d, x->nd, sizeof(*x->d), by_var_name);
	return x;
}

/* The DIE of the variable of symbol NAME at ADDRESS (a process address)
 * of module I: the one defined there, else one declared by that name
 * (with a type). */
static bool find_variable(struct trace_symbols *s, size_t i, const char *name, uint64_t address, Dwarf_Die *var)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(s->mods[i], &bias);
	const struct var_index *x;
	size_t lo = 0, hi;

	if (!dw)
		return false;
	if (!s->vars[i])
		s->vars[i] = variables_of(dw);
	x = s->vars[i];
	for (hi = x->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->v[mid].address < address - bias)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->n && x->v[lo].address == address - bias; lo++)
		if (dwarf_offdie(dw, x->v[lo].die, var) && dwarf_hasattr_integrate(var, DW_AT_type))
			return true;
	for (lo = 0, hi = x->nd; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->d[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->nd && strcmp(x->d[lo].name, name) == 0; lo++)
		if (dwarf_offdie(dw, x->d[lo].die, var) && dwarf_hasattr_integrate(var, DW_AT_type))
			return true;
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
	if (find_variable(s, (size_t)(m - s->l->modules), name, out->start, &var))
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
