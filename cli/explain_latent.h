/* Latent false sharing, as Predator reports it: what the same run would
 * show with 32- and 128-byte lines (128 bytes: the pairs of lines an
 * adjacent-line prefetcher fetches together, and some ARM cores' line)
 * and with its data placed half a line further (where a linker or an
 * allocator could put it). Each is a replay of the trace; a line of it
 * whose false sharing is mostly new (more than half its misses beyond
 * those of the actual run's lines over the same bytes) is latent: the
 * run has no such false sharing there, another machine or placement
 * would, and the misses it would add are said. */
#ifndef MESILAB_CLI_EXPLAIN_LATENT_H
#define MESILAB_CLI_EXPLAIN_LATENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attribution.h"
#include "engine.h"
#include "error.h"
#include "explain.h"
#include "table.h"

#define EXPLAIN_VARIANTS 3

/* A falsely shared line of the actual run: its number (lines of the
 * run's size) and its false-sharing misses per protocol. */
struct latent_actual {
	uint64_t line;
	const uint64_t *fs;
};

struct latent_line {
	uint64_t address;   /* the line's first byte, in the trace's addresses */
	uint64_t *fs;       /* [protocol] the false-sharing misses it adds to the run's */
	struct attr_touch *touches; /* which thread touched which bytes (of this line) from where */
	size_t ntouches;
	char *objects, *locations, *threads; /* ';'-separated */
};

struct latent_variant {
	unsigned line_bytes;
	uint64_t moved_by;      /* what was added to every address */
	bool replayed;          /* else WHY says why not */
	char why[200];
	struct core_stats total[SIM_MAX_PROTOCOLS];
	uint64_t latent[SIM_MAX_PROTOCOLS]; /* the false-sharing misses its latent lines add */
	struct latent_line *lines; /* the latent lines, most misses first */
	size_t nlines;
};

struct explain_latent {
	struct latent_variant v[EXPLAIN_VARIANTS];
	unsigned nprotocols;
};

/* The variants for EX's lines into OUT, none replayed: those that cannot
 * be (the run's own lines, lines too long to follow) with their why. */
void explain_latent_plan(const struct explain *ex, struct explain_latent *out);
/* OUT, planned, when explain looks no further: every variant not yet
 * said is not replayed for WHY. */
void explain_latent_skip(struct explain_latent *out, const char *why);
/* Replays EX's trace for each variant OUT plans; ACTUAL: the run's
 * NACTUAL falsely shared lines, in order. 0, or -1 with ERR (the trace
 * could not be read again, or a signal stopped it). */
int explain_latent_find(struct explain *ex, const struct latent_actual *actual, size_t nactual,
			struct explain_latent *out, struct ml_error *err);
/* Whether the search ran, variant by variant, for explain-latent.csv: the
 * report's 'none found' and 'not looked for' told apart. */
struct table *explain_latent_csv(const struct explain_latent *l);
/* The variants' totals and their latent lines, in words. */
void explain_latent_print(struct explain *ex, const struct explain_latent *l);
/* A variant in words: "128-byte lines", "64-byte lines, the data 32 bytes further". */
void explain_latent_words(const struct latent_variant *v, char *buf, size_t len);
void explain_latent_free(struct explain_latent *l);

#endif
