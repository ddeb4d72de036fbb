/* Naming a traced program's code locations and data addresses from its
 * load map (trace_locations.h): with elfutils' libdw (optional at build
 * time), a program counter's function and file:line, a data address's
 * global or static symbol, and with debug information the member of the
 * struct, class or union (or the array element) the address falls in;
 * without it, the module and the offset in it. A module whose file is gone, or is not the
 * binary that was traced (another build id), is named by module and
 * offset only, and said once. */
#ifndef MESILAB_TRACE_SYMBOLS_H
#define MESILAB_TRACE_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_locations.h"

struct trace_symbols;

/* A function's linkage name is kept whole up to this, so that a long
 * C++ name still demangles: cutting it is the display's business. */
#define TRACE_FUNCTION_NAME 4096

struct trace_code {
	char function[TRACE_FUNCTION_NAME]; /* "" when unknown */
	char file[256];     /* "" without debug information */
	unsigned line;
	/* Code of a system header inlined into the user's (a std::atomic's
	 * add): FILE and LINE are the user's call of it, this the header's
	 * own "file:line"; "" otherwise. */
	char inlined[280];
	/* FUNCTION inlined (a static inline function's body): the function
	 * it was inlined into, its direct caller ("" otherwise); where that
	 * is itself inlined, OUT_OF_LINE is the function whose code holds
	 * them (its symbol), else "". Callers inlined from a system header
	 * (a std::thread's invoke) are passed over. */
	char inlined_into[TRACE_FUNCTION_NAME];
	char out_of_line[TRACE_FUNCTION_NAME];
	char module[128];   /* the module's file name, "" when no module holds it */
	uint64_t offset;    /* in the module's file addresses */
};

#define TRACE_DATA_ARRAYS 4

/* A type's name is kept whole up to this (a C++ template's, with its
 * arguments, runs to hundreds of bytes): cutting it is the display's
 * business, as for a function's. */
#define TRACE_TYPE_NAME 1024

struct trace_data {
	char symbol[128];   /* "" when no symbol holds it */
	uint64_t start, size; /* the symbol's span (process addresses) */
	char member[192];   /* with debug information: "[1].hits", else "" */
	/* The struct, class or union holding the member named last
	 * ("struct stats", "class Counters"), else the outermost one; "". */
	char type[TRACE_TYPE_NAME];
	/* The variable's element size when it is an array (a std::array
	 * too): what padding its elements would pad; 0 otherwise. */
	uint64_t element;
	/* Every array on the way to the member, outermost first (the
	 * variable's own, a member's, a row of a 2-D one): what a fix that
	 * pads the elements where the threads' indices differ names. */
	struct trace_array {
		unsigned open, close;  /* its index's '[' and ']' in MEMBER */
		uint64_t element;      /* its element's size */
		char element_type[TRACE_TYPE_NAME]; /* the element's type by name ("long int", "struct slot"), "" unnamed */
		bool rows;             /* its elements are the rows of a multi-dimensional array */
		/* The aggregate it is a member of ("struct stats" for its
		 * hits[4]), "" for the variable's own or a row's. */
		char holder[TRACE_TYPE_NAME];
	} arrays[TRACE_DATA_ARRAYS];
	unsigned narrays;
	char module[128];
	uint64_t offset;
};

/* L must outlive the result. WARN is called with each warning (a module
 * that cannot be read), once per module; NULL: none. */
struct trace_symbols *trace_symbols_new(const struct trace_locations *l, void (*warn)(const char *msg));
void trace_symbols_free(struct trace_symbols *s);
/* Whether this build symbolizes (libdw). */
bool trace_symbols_available(void);

/* PC is a return address: the line looked up is the call's, PC - 1. */
void trace_symbols_code(struct trace_symbols *s, uint64_t pc, struct trace_code *out);
void trace_symbols_data(struct trace_symbols *s, uint64_t address, struct trace_data *out);

#endif
