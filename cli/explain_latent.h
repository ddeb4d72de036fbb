/* Latent false sharing, as Predator reports it: what the same run would
 * show with 32- and 128-byte lines (128 bytes: the pairs of lines an
 * adjacent-line prefetcher fetches together, and some ARM cores' line)
 * and with its data placed half a line further (where a linker or an
 * allocator could put it). Each is a replay of the trace; a line of it
 * that falsely shares while no line of the actual run over the same bytes
 * does is latent: the run has no false sharing there, another machine or
 * placement would. */
#ifndef MESILAB_CLI_EXPLAIN_LATENT_H
#define MESILAB_CLI_EXPLAIN_LATENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attribution.h"
#include "engine.h"
#include "error.h"
#include "explain_report.h"

#define EXPLAIN_VARIANTS 3

struct latent_line {
	uint64_t address;   /* the line's first byte, in the trace's addresses */
	uint64_t *fs;       /* [protocol] its false-sharing misses */
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
	uint64_t latent[SIM_MAX_PROTOCOLS]; /* false-sharing misses on its latent lines */
	struct latent_line *lines; /* the latent lines, most misses first */
	size_t nlines;
};

struct explain_latent {
	struct latent_variant v[EXPLAIN_VARIANTS];
	unsigned nprotocols;
};

/* Replays EX's trace for each variant; ACTUAL: the NACTUAL line numbers
 * (EX's line size) that falsely share in the actual run, in order. 0, or
 * -1 with ERR (the trace could not be read again). */
int explain_latent_find(struct explain *ex, const uint64_t *actual, size_t nactual, struct explain_latent *out,
			struct ml_error *err);
/* The variants' totals and their latent lines, in words. */
void explain_latent_print(struct explain *ex, const struct explain_latent *l);
/* A variant in words: "128-byte lines", "64-byte lines, the data 32 bytes further". */
void explain_latent_words(const struct latent_variant *v, char *buf, size_t len);
void explain_latent_free(struct explain_latent *l);

#endif
