/* Whether explain's padded replay is a fix: the rule, and its words
 * where it is not. */
#ifndef MESILAB_EXPLAIN_SAVING_H
#define MESILAB_EXPLAIN_SAVING_H

#include <stdbool.h>
#include <stdint.h>

/* One protocol's whole run, before and after the padded replay. */
struct explain_saving {
	const char *protocol;
	uint64_t misses, misses_padded;
	uint64_t cycles, cycles_padded; /* modelled memory cycles */
};

/* Whether the move saves modelled memory cycles under each of the N
 * protocols S: what a fix must do. Fewer misses alone are not enough (a
 * lock moved off its counter's line misses less and may wait more). */
bool explain_saves(const struct explain_saving *s, unsigned n);

/* Why the move is no fix, in one line (allocated): the protocols whose
 * cycles it does not save where some save, else whether the misses rose,
 * fell or stayed. */
char *explain_no_saving(const struct explain_saving *s, unsigned n);

#endif
