/* MOESI: a modified line read by another cache stays dirty in the owner
 * (O), which supplies it from then on instead of writing it back. The
 * variants: moesi-shared-supplies, where a clean S copy supplies when no
 * cache owns the line; moesi-shared-flush-all, that counted as a course
 * does, a flush at every cache holding the line. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, O, M };

/* SHARED: whether a cache in S supplies the line (the owner, O or M,
 * still answers first: see coherence.c). */
#define MOESI_TABLE(shared)                                                                        \
	.nstates = 5,                                                                              \
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [O] = "O", [M] = "M" },                  \
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE,                             \
			 [O] = VALID | DIRTY | OWNER, [M] = VALID | WRITABLE | DIRTY | OWNER },    \
	.proc = {                                                                                  \
		[I] = { [PROC_READ] = ON(BUS_RD, E, S), [PROC_WRITE] = ON(BUS_RDX, M, M) },        \
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M),                   \
			[PROC_EVICT] = EVICT(false) },                                             \
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) }, \
		[O] = { [PROC_READ] = HIT(O), [PROC_WRITE] = ON(BUS_UPGR, M, M),                   \
			[PROC_EVICT] = EVICT(true) },                                              \
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) }, \
	},                                                                                         \
	.snoop = {                                                                                 \
		[S] = { [BUS_RD] = SNOOP(S, shared, false), [BUS_RDX] = SNOOP(I, shared, false),   \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[E] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false) },     \
		[O] = { [BUS_RD] = SNOOP(O, true, false), [BUS_RDX] = SNOOP(I, true, false),       \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[M] = { [BUS_RD] = SNOOP(O, true, false), [BUS_RDX] = SNOOP(I, true, false) },     \
	}

#define MOESI_RULES                                                                                \
	"MESI plus O (owned): on BusRd a cache in M supplies the line and keeps it dirty in O "   \
	"instead of writing it back; the owner supplies later readers and writes the line back " \
	"when it evicts it. "

const struct protocol protocol_moesi = {
	.name = "moesi",
	.title = "MOESI",
	.summary = "MOESI (Sweazey and Smith; AMD): the owner O or M supplies, clean S copies do not; "
		   "the default MOESI",
	.description = MOESI_RULES "Clean S copies do not supply: memory does when there is no "
				   "owner; a cache in E supplies its line.",
	MOESI_TABLE(false),
};

const struct protocol protocol_moesi_shared_supplies = {
	.name = "moesi-shared-supplies",
	.title = "MOESI, clean S copies supply",
	.summary = "variant of moesi: a clean S copy supplies a miss when no cache owns the line "
		   "(a course's MOESI)",
	.description = MOESI_RULES "A cache in E supplies its line, and so does a clean S copy "
				   "when no cache holds the line in O or M (the owner answers "
				   "first; of several S copies, the first after the requester in "
				   "core order); memory supplies only a line no cache holds. moesi "
				   "differs only in S never supplying.",
	.named_only = true,
	MOESI_TABLE(true),
};

const struct protocol protocol_moesi_shared_flush_all = {
	.name = "moesi-shared-flush-all",
	.title = "MOESI, clean S copies supply, a flush counted at every holder",
	.summary = "variant of moesi-shared-supplies: a flush counted at every cache holding the "
		   "line on BusRd or BusRdX (the course's counting and MOESI together)",
	.description = MOESI_RULES "A clean S copy supplies when no cache holds the line in O or M, "
				   "as in moesi-shared-supplies, and every cache holding the line "
				   "counts a flush on BusRd or BusRdX, as a course does; the "
				   "requester takes the line from one (the owner first) and the bus "
				   "carries it once. States, transactions and sources are "
				   "moesi-shared-supplies'.",
	.named_only = true,
	.flush_every_supplier = true,
	MOESI_TABLE(true),
};
