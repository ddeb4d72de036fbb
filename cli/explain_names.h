/* What 'mesilab explain' calls things in its words: a code location, a
 * data address (its symbol and member, its heap block, or its line), the
 * bytes of a line an access touched; shared by the report's parts. */
#ifndef MESILAB_CLI_EXPLAIN_NAMES_H
#define MESILAB_CLI_EXPLAIN_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explain.h"

/* Location LOC of the trace symbolized, C++ names demangled; false for
 * none (0, the runtime's own). */
bool explain_code(struct explain *ex, uint32_t loc, struct trace_code *c);
/* ADDRESS symbolized, C++ names demangled. */
void explain_data(struct explain *ex, uint64_t address, struct trace_data *d);
/* "file.c:41", "file.cc:26 (inlined atomic_base.h:618)", else "function (module+0x...)" (no debug information),
 * else "module+0x...". */
void explain_code_name(const struct trace_code *c, char *buf, size_t len);
/* Location LOC of the trace: "file.c:41 in worker", or "(the runtime)". */
void explain_where(struct explain *ex, uint32_t loc, char *buf, size_t len);
/* A data address in words: its symbol and member, its heap block ("heap
 * block from prog.c:12"), or its line (lines of 2^LINE_SHIFT bytes); D
 * gets what the symbols say of it. */
void explain_object_name(struct explain *ex, uint64_t address, unsigned line_shift, struct trace_data *d, char *buf,
			 size_t len);
/* The run of T's touched bytes at or after *FIRST, into *FIRST and
 * *LAST; false when there is none. */
bool explain_next_range(const struct attr_touch *t, unsigned *first, unsigned *last);
/* The objects of bytes FIRST to LAST of the line at BASE (lines of
 * 2^SHIFT bytes) into NAME: one name, a range of an array's elements
 * ("tl.hits[0..3]"), else the first and the last ("st.a to st.c"). */
void explain_range_name(struct explain *ex, uint64_t base, unsigned first, unsigned last, unsigned shift, char *name,
			size_t len);
/* T's runs of bytes on the line at BASE in words, each with the objects
 * there, escaped for the terminal, at most four runs: "bytes 32-35
 * (slots[0].even), 44-47 (slots[1].even)"; "bytes 0-31 (tl.hits[0..3])";
 * one name after them all where they share it; "byte 50 (flag)". */
void explain_touched_bytes(struct explain *ex, const struct attr_touch *t, uint64_t base, unsigned shift, char *buf,
			   size_t len);
/* Adds every object T's bytes on the line at BASE lie in to the
 * ';'-separated list *LIST (explain_list_add), in address order. */
void explain_touch_objects(struct explain *ex, const struct attr_touch *t, uint64_t base, unsigned shift,
			   char **list);
/* Appends WORD to the ';'-separated list *LIST unless it is there. */
void explain_list_add(char **list, const char *word);
/* ONE after a count of 1, else MANY: "1 miss", "2 misses". */
const char *explain_plural(uint64_t n, const char *one, const char *many);
/* The power of two of LINE (a power of two). */
unsigned explain_shift_of(unsigned line);

#endif
